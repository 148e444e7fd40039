package dev.strata.search.space;

import java.util.Objects;

/**
 * A real parameter in {@code [low, high]}. JSON: {@code {"float": [1e-4, 1e-1], "log": true}};
 * {@code "log": true} samples uniformly in {@code ln} (needs {@code low > 0}); {@code "step": q}
 * restricts the values to {@code low + k·q} (q must divide {@code high − low}, up to 1e-9
 * relative); with both, a log-uniform draw is rounded to the nearest grid value (NNI's {@code
 * qloguniform}). {@code "normal": [mu, sigma]} replaces the uniform prior by a normal one truncated
 * to the range ({@link NormalPrior}; of {@code ln x} with {@code log}). Values are canonical to 12
 * significant digits (see {@link Dimension}).
 *
 * <p>Immutable and thread-safe.
 *
 * @param step 0 for continuous
 * @param defaultValue in range (and on the step grid), or null (then the unit midpoint: the
 *     arithmetic mean, or the geometric mean on a log scale)
 */
public record FloatParameter(String name, double low, double high, double step, boolean log,
    Double defaultValue, Condition when, NormalPrior prior) implements Parameter {

  /** Relative tolerance for "step divides the range" and "default is on the grid". */
  static final double GRID_TOLERANCE = 1e-9;

  public FloatParameter {
    SpaceNode.checkName(name);
    Objects.requireNonNull(when, "when");
    if (!Double.isFinite(low) || !Double.isFinite(high)) {
      throw new IllegalArgumentException(name + ": bounds must be finite numbers");
    }
    if (!(low < high)) {
      throw new IllegalArgumentException(name + ": " + rangeProblem(low, high));
    }
    if (log && low <= 0) {
      throw new IllegalArgumentException(name + ": a log scale needs low > 0, got " + low
          + "; raise the lower bound or drop \"log\"");
    }
    if (!(step >= 0) || Double.isInfinite(step)) {
      throw new IllegalArgumentException(name + ": step must be a positive number, got " + step);
    }
    if (step > 0 && !divides(step, high - low)) {
      throw new IllegalArgumentException(name + ": " + stepProblem(step, low, high));
    }
    if (prior != null) {
      String problem = prior.truncationProblem(log ? Math.log(low) : low, log ? Math.log(high) : high);
      if (problem != null) {
        throw new IllegalArgumentException(name + ": " + problem);
      }
    }
    if (defaultValue != null) {
      if (!(defaultValue >= low && defaultValue <= high)) {
        throw new IllegalArgumentException(name + ": default " + defaultValue + " is outside [" + low + ", " + high + "]");
      }
      if (step > 0 && !divides(step, defaultValue - low)) {
        throw new IllegalArgumentException(name + ": default " + defaultValue + " is not on the step grid "
            + low + " + k·" + step);
      }
    }
  }

  static String rangeProblem(double low, double high) {
    return low == high
        ? "the range [" + low + ", " + high + "] is empty; use a constant or widen it"
        : "the range [" + low + ", " + high + "] is inverted; write [" + high + ", " + low + "]";
  }

  static String stepProblem(double step, double low, double high) {
    return "step " + step + " does not divide the range [" + low + ", " + high + "] ("
        + String.format(java.util.Locale.ROOT, "%.4g", (high - low) / step)
        + " steps); choose a step that divides high − low";
  }

  static boolean divides(double step, double length) {
    double k = length / step;
    return k >= 1 - GRID_TOLERANCE && Math.abs(k - Math.rint(k)) <= GRID_TOLERANCE * Math.max(1, k)
        || length == 0;
  }

  /** A parameter with a uniform prior (on the log scale when {@code log}). */
  public FloatParameter(String name, double low, double high, double step, boolean log, Double defaultValue, Condition when) {
    this(name, low, high, step, log, defaultValue, when, null);
  }

  /** An unconditional continuous linear range without a default. */
  public static FloatParameter of(String name, double low, double high) {
    return new FloatParameter(name, low, high, 0, false, null, Condition.ALWAYS);
  }

  public FloatParameter withLog(boolean newLog) {
    return new FloatParameter(name, low, high, step, newLog, defaultValue, when, prior);
  }

  public FloatParameter withStep(double newStep) {
    return new FloatParameter(name, low, high, newStep, log, defaultValue, when, prior);
  }

  public FloatParameter withDefault(Double value) {
    return new FloatParameter(name, low, high, step, log, value, when, prior);
  }

  /** A copy with a normal prior ({@code mu}, {@code sigma} of {@code ln x} on a log scale), or null for uniform. */
  public FloatParameter withPrior(NormalPrior newPrior) {
    return new FloatParameter(name, low, high, step, log, defaultValue, when, newPrior);
  }

  public FloatParameter withWhen(Condition condition) {
    return new FloatParameter(name, low, high, step, log, defaultValue, condition, prior);
  }

  @Override
  public Dimension dimension(String path) {
    return new Dimension(path, Dimension.Kind.FLOAT, null, low, high, log, step, prior);
  }

  @Override
  public String problem(Object value) {
    if (!(value instanceof Double v)) {
      return Values.show(value) + " is not a float" + (value instanceof Long ? " (write " + value + ".0)" : "");
    }
    if (!(v >= low && v <= high)) {
      return v + " is outside [" + low + ", " + high + "]";
    }
    if (step > 0 && !divides(step, v - low)) {
      return v + " is not on the step grid " + low + " + k·" + step;
    }
    return null;
  }
}
