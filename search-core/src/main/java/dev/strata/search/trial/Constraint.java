package dev.strata.search.trial;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A feasibility limit on one metric of a trial, e.g. {@code params ≤ 100000}: {@code min ≤
 * metric ≤ max}, either bound infinite when absent.
 *
 * <p>The <b>violation</b> of a value is how far it lies outside, relative to the bound it
 * breaks: {@code (value − max)/max(|max|, 1)} above, {@code (min − value)/max(|min|, 1)} below, 0
 * inside; so violations of different metrics (a parameter count, a latency in ms) are comparable
 * and a trial's total is their sum. Strategies rank infeasible trials by it (see {@link
 * Outcome#violation()}). Immutable and thread-safe.
 *
 * @param metric the metric name, e.g. {@code params}
 */
public record Constraint(String metric, double min, double max) {

  public Constraint {
    Objects.requireNonNull(metric, "metric");
    if (metric.isBlank()) {
      throw new IllegalArgumentException("a constraint needs a metric name");
    }
    if (Double.isNaN(min) || Double.isNaN(max) || !(min <= max)) {
      throw new IllegalArgumentException("constraint on " + metric + ": min " + min + " must be <= max " + max);
    }
    if (min == Double.NEGATIVE_INFINITY && max == Double.POSITIVE_INFINITY) {
      throw new IllegalArgumentException("constraint on " + metric + " needs a min or a max");
    }
  }

  /** {@code metric ≤ max}. */
  public static Constraint atMost(String metric, double max) {
    return new Constraint(metric, Double.NEGATIVE_INFINITY, max);
  }

  /** {@code metric ≥ min}. */
  public static Constraint atLeast(String metric, double min) {
    return new Constraint(metric, min, Double.POSITIVE_INFINITY);
  }

  /** The relative violation of {@code value} (see the class comment); NaN counts as infeasible (1). */
  public double violation(double value) {
    if (Double.isNaN(value)) {
      return 1;
    }
    if (value > max) {
      return (value - max) / Math.max(Math.abs(max), 1);
    }
    if (value < min) {
      return (min - value) / Math.max(Math.abs(min), 1);
    }
    return 0;
  }

  /**
   * The total violation of a trial's metrics; a missing metric counts as 1 (unknown is not
   * feasible).
   */
  public static double violation(List<Constraint> constraints, Map<String, Double> metrics) {
    double total = 0;
    for (Constraint c : constraints) {
      Double v = metrics.get(c.metric());
      total += v == null ? 1 : c.violation(v);
    }
    return total;
  }

  /** {@code "params <= 100000"}, {@code "val_accuracy >= 0.9"} or {@code "0 <= x <= 1"}. */
  @Override
  public String toString() {
    if (min == Double.NEGATIVE_INFINITY) {
      return metric + " <= " + Values.number(max);
    }
    if (max == Double.POSITIVE_INFINITY) {
      return metric + " >= " + Values.number(min);
    }
    return Values.number(min) + " <= " + metric + " <= " + Values.number(max);
  }

  /** Number formatting without a trailing {@code .0}. */
  private static final class Values {
    static String number(double v) {
      return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
  }
}
