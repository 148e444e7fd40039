package dev.strata.search.space;

import java.util.Objects;

/**
 * A real parameter in {@code [low, high]}. JSON: {@code {"float": [1e-4, 1e-1], "log": true}};
 * {@code "log": true} samples uniformly in {@code ln} (needs {@code low > 0}); {@code "step": q}
 * restricts the values to {@code low + k·q} (q must divide {@code high − low}, up to 1e-9
 * relative). Log and step cannot be combined. Values are canonical to 12 significant digits (see
 * {@link Dimension}).
 *
 * <p>Immutable and thread-safe.
 *
 * @param step 0 for continuous
 * @param defaultValue in range (and on the step grid), or null (then the unit midpoint: the
 *     arithmetic mean, or the geometric mean on a log scale)
 */
public record FloatParameter(String name, double low, double high, double step, boolean log,
    Double defaultValue, Condition when) implements Parameter {

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
    if (log && step > 0) {
      throw new IllegalArgumentException(name + ": log and step cannot be combined; remove one");
    }
    if (step > 0 && !divides(step, high - low)) {
      throw new IllegalArgumentException(name + ": " + stepProblem(step, low, high));
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

  /** An unconditional continuous linear range without a default. */
  public static FloatParameter of(String name, double low, double high) {
    return new FloatParameter(name, low, high, 0, false, null, Condition.ALWAYS);
  }

  public FloatParameter withLog(boolean newLog) {
    return new FloatParameter(name, low, high, step, newLog, defaultValue, when);
  }

  public FloatParameter withStep(double newStep) {
    return new FloatParameter(name, low, high, newStep, log, defaultValue, when);
  }

  public FloatParameter withDefault(Double value) {
    return new FloatParameter(name, low, high, step, log, value, when);
  }

  public FloatParameter withWhen(Condition condition) {
    return new FloatParameter(name, low, high, step, log, defaultValue, condition);
  }

  @Override
  public Dimension dimension(String path) {
    return new Dimension(path, Dimension.Kind.FLOAT, null, low, high, log, step);
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
