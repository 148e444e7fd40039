package dev.strata.search.space;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.List;
import java.util.Objects;

/**
 * One flat, numeric view of a searchable parameter, as strategies see it.
 *
 * <p>Repeat groups are expanded up to their maximum count, so {@code blocks/3/width} is a
 * dimension even when a configuration has only two blocks (it is then inactive); the count of a
 * repeat group is the INT dimension {@code blocks/#count}. Each dimension maps a unit value {@code
 * u ∈ [0, 1]} to a parameter value ({@link #valueAt(double)}) and back ({@link #unitOf(Object)}):
 *
 * <ul>
 *   <li>{@link Kind#CATEGORICAL}: index {@code min(floor(u·n), n−1)} into {@link #choices()};
 *       back: the centre {@code (i + ½)/n} of the index's cell.
 *   <li>{@link Kind#INT} (linear, {@code step} ≥ 1, 0 meaning 1): the {@code m = (high − low)/step
 *       + 1} values {@code low, low + step, …, high} get equal cells: value {@code low +
 *       step·min(floor(u·m), m−1)}, so {@code u = (v − low)/(high − low)} maps back to exactly
 *       {@code v} and a uniform {@code u} gives a uniform value; back: the cell centre.
 *   <li>{@link Kind#INT} with {@link #log()}: {@code round(exp(ln low + u·(ln high − ln low)))}.
 *   <li>{@link Kind#FLOAT}: {@code low + u·(high − low)}, or {@code low·(high/low)^u} on a log
 *       scale; with a positive {@code step} it takes the values {@code low + k·step} in equal cells
 *       like a linear INT.
 *   <li>With a {@link NormalPrior} (INT or FLOAT), the continuous part above is replaced by the
 *       truncated prior's quantile function {@code T(u)} over {@code [low, high]} (of {@code ln}
 *       on a log scale), so a uniform {@code u} gives a draw from the prior; back: its CDF.
 *   <li>Discrete dimensions other than the equal-cell ones (a log INT, a log FLOAT with a step, and
 *       any INT or stepped FLOAT with a prior) round the continuous value {@code T(u)} to the
 *       nearest grid value {@code low + k·step}: the value gets the probability of the interval
 *       of width {@code step} around it (half of it at the two ends), as NNI's {@code
 *       round(x/q)·q} does; back: {@code F(v)}, the CDF at the value.
 * </ul>
 *
 * <p>Floats are canonical: rounded to 12 significant digits (for a linear scale, 12 digits at the
 * magnitude of the larger bound, i.e. to a multiple of {@code 10^(e − 11)} where {@code e =
 * floor(log10(max(|low|, |high|)))}). This makes {@code valueAt(unitOf(v)) == v} exact for every
 * canonical {@code v}, so configurations survive a trip through the unit cube unchanged.
 *
 * <p>Immutable and thread-safe.
 *
 * @param path JSON-pointer-like path without the leading slash, e.g. {@code blocks/2/width}
 * @param choices the values of a categorical dimension (empty otherwise)
 * @param step 0 for continuous
 * @param prior a normal prior on a numeric dimension, or null for uniform (on the log scale when
 *     {@code log})
 */
public record Dimension(String path, Kind kind, List<Object> choices, double low, double high, boolean log,
    double step, NormalPrior prior) {

  private static final MathContext SIGNIFICANT = new MathContext(12, RoundingMode.HALF_EVEN);

  /** The kind of values a dimension holds. */
  public enum Kind {
    CATEGORICAL,
    INT,
    FLOAT
  }

  public Dimension {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(kind, "kind");
    choices = choices == null ? List.of() : List.copyOf(choices);
    if (kind == Kind.CATEGORICAL && choices.isEmpty()) {
      throw new IllegalArgumentException(path + ": a categorical dimension needs at least one choice");
    }
    if (kind != Kind.CATEGORICAL && !(low <= high)) {
      throw new IllegalArgumentException(path + ": low " + low + " must be <= high " + high);
    }
    if (log && low <= 0) {
      throw new IllegalArgumentException(path + ": a log scale needs low > 0, got " + low);
    }
    if (!(step >= 0)) {
      throw new IllegalArgumentException(path + ": step must be >= 0, got " + step);
    }
    if (prior != null && kind == Kind.CATEGORICAL) {
      throw new IllegalArgumentException(path + ": a categorical dimension cannot have a normal prior");
    }
    if (prior != null && low < high) {
      String problem = prior.truncationProblem(scale(low, log), scale(high, log));
      if (problem != null) {
        throw new IllegalArgumentException(path + ": " + problem);
      }
    }
  }

  /** A dimension with a uniform prior (on the log scale when {@code log}). */
  public Dimension(String path, Kind kind, List<Object> choices, double low, double high, boolean log, double step) {
    this(path, kind, choices, low, high, log, step, null);
  }

  /** A categorical dimension. */
  public static Dimension categorical(String path, List<?> choices) {
    return new Dimension(path, Kind.CATEGORICAL, List.copyOf(choices), 0, 0, false, 0);
  }

  /** A linear integer dimension over {@code low..high} (both included). */
  public static Dimension ofInt(String path, long low, long high) {
    return new Dimension(path, Kind.INT, List.of(), low, high, false, 1);
  }

  /** A continuous linear float dimension. */
  public static Dimension ofFloat(String path, double low, double high) {
    return new Dimension(path, Kind.FLOAT, List.of(), low, high, false, 0);
  }

  /** Number of categories (1 for numeric dimensions). */
  public int cardinality() {
    return kind == Kind.CATEGORICAL ? choices.size() : 1;
  }

  /**
   * The parameter value at unit coordinate {@code u} (clamped to [0, 1]): a choice, a {@link Long}
   * or a {@link Double}.
   *
   * @throws IllegalArgumentException when {@code u} is NaN
   */
  public Object valueAt(double u) {
    if (Double.isNaN(u)) {
      throw new IllegalArgumentException(path + ": unit value is NaN");
    }
    u = Math.clamp(u, 0.0, 1.0);
    switch (kind) {
      case CATEGORICAL -> {
        int n = choices.size();
        return choices.get(Math.min((int) Math.floor(u * n), n - 1));
      }
      case INT -> {
        if (!equalCells() && !(log && prior == null && step <= 1)) {
          return (long) low + intStep() * roundedIndex(u);
        }
        if (log) {
          long v = Math.round(Math.exp(Math.log(low) + u * (Math.log(high) - Math.log(low))));
          return Math.clamp(v, (long) low, (long) high);
        }
        long s = intStep();
        long m = cells();
        return (long) low + s * Math.min((long) Math.floor(u * m), m - 1);
      }
      default -> {
        double x;
        if (step > 0 && !equalCells()) {
          x = low + step * roundedIndex(u);
        } else if (step > 0) {
          long m = cells();
          x = low + step * Math.min((long) Math.floor(u * m), m - 1);
        } else {
          x = continuous(u);
        }
        return Math.clamp(canonical(x), low, high);
      }
    }
  }

  /**
   * The unit coordinate of a value, such that {@code valueAt(unitOf(v))} is {@code v} for every
   * valid canonical value.
   *
   * @throws IllegalArgumentException when the value is not a choice, or not a number for INT/FLOAT
   */
  public double unitOf(Object value) {
    switch (kind) {
      case CATEGORICAL -> {
        int i = Values.indexOf(choices, value);
        if (i < 0) {
          throw new IllegalArgumentException(path + ": " + Values.show(value) + " is not one of " + Values.show(choices));
        }
        return (i + 0.5) / choices.size();
      }
      case INT, FLOAT -> {
        if (!(value instanceof Number number)) {
          throw new IllegalArgumentException(path + ": " + Values.show(value) + " is not a number");
        }
        double v = number.doubleValue();
        if (high == low) {
          return 0.5;
        }
        if (equalCells()) {
          double s = kind == Kind.INT ? intStep() : step;
          long k = Math.clamp(Math.round((v - low) / s), 0, cells() - 1);
          return (k + 0.5) / cells();
        }
        if (prior != null) {
          return prior.cdf(scale(Math.clamp(v, low, high), log), scale(low, log), scale(high, log));
        }
        if (log) {
          return Math.clamp((Math.log(v) - Math.log(low)) / (Math.log(high) - Math.log(low)), 0.0, 1.0);
        }
        return Math.clamp((v - low) / (high - low), 0.0, 1.0);
      }
      default -> throw new IllegalStateException();
    }
  }

  /**
   * The number of values of a discrete dimension: the choices of a categorical, the grid values of
   * an INT or stepped FLOAT; 0 for a continuous FLOAT.
   */
  public long valueCount() {
    return switch (kind) {
      case CATEGORICAL -> choices.size();
      case INT -> cells();
      case FLOAT -> step > 0 ? cells() : 0;
    };
  }

  /** The index {@code 0..valueCount()−1} of the value at unit coordinate {@code u} (discrete only). */
  public long indexAt(double u) {
    if (valueCount() == 0) {
      throw new IllegalStateException(path + ": a continuous dimension has no value index");
    }
    u = Double.isNaN(u) ? 0.5 : Math.clamp(u, 0.0, 1.0);
    if (kind == Kind.CATEGORICAL || equalCells()) {
      long n = valueCount();
      return Math.min((long) Math.floor(u * n), n - 1);
    }
    double v = ((Number) valueAt(u)).doubleValue();
    double s = kind == Kind.INT ? intStep() : step;
    return Math.clamp(Math.round((v - low) / s), 0, cells() - 1);
  }

  /** The unit coordinate of the value with index {@code k} (discrete only): {@code unitOf(value k)}. */
  public double unitOfIndex(long k) {
    long n = valueCount();
    if (k < 0 || k >= n) {
      throw new IllegalArgumentException(path + ": value index " + k + " is outside 0.." + (n - 1));
    }
    if (kind == Kind.CATEGORICAL || equalCells()) {
      return (k + 0.5) / n;
    }
    return kind == Kind.INT ? unitOf((long) low + intStep() * k) : unitOf(canonical(low + step * k));
  }

  /** Whether the values get equal cells of the unit interval (linear INT, linear stepped FLOAT, uniform prior). */
  private boolean equalCells() {
    return prior == null && !log && (kind == Kind.INT || step > 0);
  }

  /** The continuous value at u: the prior's quantile, or uniform on the linear or log scale. */
  private double continuous(double u) {
    if (prior != null) {
      double s = prior.quantile(u, scale(low, log), scale(high, log));
      return Math.clamp(log ? Math.exp(s) : s, low, high);
    }
    if (log) {
      return Math.exp(Math.log(low) + u * (Math.log(high) - Math.log(low)));
    }
    return low + u * (high - low);
  }

  /** The index of the grid value nearest the continuous value at u. */
  private long roundedIndex(double u) {
    double s = kind == Kind.INT ? intStep() : step;
    return Math.clamp(Math.round((continuous(u) - low) / s), 0, cells() - 1);
  }

  private static double scale(double x, boolean log) {
    return log ? Math.log(x) : x;
  }

  private long intStep() {
    return step >= 1 ? (long) step : 1;
  }

  /** Number of grid values of a stepped (or linear INT) dimension. */
  private long cells() {
    double s = kind == Kind.INT ? intStep() : step;
    return Math.round((high - low) / s) + 1;
  }

  private double canonical(double x) {
    if (x == 0 || !Double.isFinite(x)) {
      return x;
    }
    if (log) {
      return new BigDecimal(x).round(SIGNIFICANT).doubleValue();
    }
    double magnitude = Math.max(Math.abs(low), Math.abs(high));
    if (magnitude == 0) {
      return x;
    }
    int e = (int) Math.floor(Math.log10(magnitude));
    return new BigDecimal(x).setScale(11 - e, RoundingMode.HALF_EVEN).doubleValue();
  }
}
