package dev.strata.search.trial;

import java.util.Map;
import java.util.Objects;

/**
 * What a finished trial reports to its strategy.
 *
 * @param status a finished status ({@link TrialStatus#isFinished()})
 * @param value the objective value; meaningful for COMPLETED and PRUNED (the last intermediate
 *     value), {@code NaN} otherwise
 * @param metrics every other metric reported (may be empty)
 * @param reason why it failed, diverged, or was rejected or pruned (empty for COMPLETED)
 */
public record Outcome(TrialStatus status, double value, Map<String, Double> metrics, String reason) {

  public Outcome {
    Objects.requireNonNull(status, "status");
    if (!status.isFinished()) {
      throw new IllegalArgumentException("an outcome needs a finished status, got " + status);
    }
    if (status == TrialStatus.COMPLETED && !Double.isFinite(value)) {
      throw new IllegalArgumentException("a COMPLETED outcome needs a finite value, got " + value);
    }
    metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
    reason = reason == null ? "" : reason;
  }

  public static Outcome completed(double value) {
    return new Outcome(TrialStatus.COMPLETED, value, Map.of(), "");
  }

  public static Outcome completed(double value, Map<String, Double> metrics) {
    return new Outcome(TrialStatus.COMPLETED, value, metrics, "");
  }

  public static Outcome failed(TrialStatus status, String reason) {
    return new Outcome(status, Double.NaN, Map.of(), reason);
  }

  /** Whether {@link #value()} carries a usable objective value. */
  public boolean hasValue() {
    return (status == TrialStatus.COMPLETED || status == TrialStatus.PRUNED) && Double.isFinite(value);
  }
}
