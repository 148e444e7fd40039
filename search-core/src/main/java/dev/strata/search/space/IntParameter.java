package dev.strata.search.space;

import java.util.Objects;

/**
 * An integer parameter over {@code low..high}, both included. JSON: {@code {"int": [1, 8]}},
 * optionally {@code "step": 2} (values {@code low, low+step, …, high}; the step must divide {@code
 * high − low}) and {@code "log": true} (sampled uniformly in {@code ln}, rounded after {@code exp}
 * to the nearest value on the step grid; needs {@code low ≥ 1}). {@code "normal": [mu, sigma]}
 * replaces the uniform prior by a normal one truncated to the range and rounded to the grid
 * ({@link NormalPrior}; of {@code ln x} with {@code log}).
 *
 * <p>Immutable and thread-safe.
 *
 * @param step ≥ 1
 * @param defaultValue in range and on the step grid, or null (then the middle of the range)
 */
public record IntParameter(String name, long low, long high, long step, boolean log, Long defaultValue,
    Condition when, NormalPrior prior) implements Parameter {

  public IntParameter {
    SpaceNode.checkName(name);
    Objects.requireNonNull(when, "when");
    if (low >= high) {
      throw new IllegalArgumentException(name + ": " + rangeProblem(low, high));
    }
    if (step < 1) {
      throw new IllegalArgumentException(name + ": step must be a positive integer, got " + step);
    }
    if (log && low < 1) {
      throw new IllegalArgumentException(name + ": a log scale needs low >= 1, got " + low
          + "; raise the lower bound or drop \"log\"");
    }
    if ((high - low) % step != 0) {
      throw new IllegalArgumentException(name + ": step " + step + " does not divide the range " + low + ".." + high
          + " (high − low = " + (high - low) + "); choose a divisor or move a bound");
    }
    if (prior != null) {
      String problem = prior.truncationProblem(log ? Math.log(low) : low, log ? Math.log(high) : high);
      if (problem != null) {
        throw new IllegalArgumentException(name + ": " + problem);
      }
    }
    if (defaultValue != null) {
      if (defaultValue < low || defaultValue > high) {
        throw new IllegalArgumentException(name + ": default " + defaultValue + " is outside [" + low + ", " + high + "]");
      }
      if ((defaultValue - low) % step != 0) {
        throw new IllegalArgumentException(name + ": default " + defaultValue + " is not on the step grid "
            + low + " + k·" + step);
      }
    }
  }

  static String rangeProblem(long low, long high) {
    return low == high
        ? "the range [" + low + ", " + high + "] holds a single value; use a constant instead"
        : "the range [" + low + ", " + high + "] is inverted; write [" + high + ", " + low + "]";
  }

  /** A parameter with a uniform prior (on the log scale when {@code log}). */
  public IntParameter(String name, long low, long high, long step, boolean log, Long defaultValue, Condition when) {
    this(name, low, high, step, log, defaultValue, when, null);
  }

  /** An unconditional linear range without a default. */
  public static IntParameter of(String name, long low, long high) {
    return new IntParameter(name, low, high, 1, false, null, Condition.ALWAYS);
  }

  public IntParameter withStep(long newStep) {
    return new IntParameter(name, low, high, newStep, log, defaultValue, when, prior);
  }

  public IntParameter withLog(boolean newLog) {
    return new IntParameter(name, low, high, step, newLog, defaultValue, when, prior);
  }

  public IntParameter withDefault(Long value) {
    return new IntParameter(name, low, high, step, log, value, when, prior);
  }

  /** A copy with a normal prior ({@code mu}, {@code sigma} of {@code ln x} on a log scale), or null for uniform. */
  public IntParameter withPrior(NormalPrior newPrior) {
    return new IntParameter(name, low, high, step, log, defaultValue, when, newPrior);
  }

  public IntParameter withWhen(Condition condition) {
    return new IntParameter(name, low, high, step, log, defaultValue, condition, prior);
  }

  @Override
  public Dimension dimension(String path) {
    return new Dimension(path, Dimension.Kind.INT, null, low, high, log, log && step == 1 ? 0 : step, prior);
  }

  @Override
  public String problem(Object value) {
    if (!(value instanceof Long v)) {
      return Values.show(value) + " is not an integer";
    }
    if (v < low || v > high) {
      return v + " is outside [" + low + ", " + high + "]";
    }
    if ((v - low) % step != 0) {
      return v + " is not on the step grid " + low + " + k·" + step;
    }
    return null;
  }
}
