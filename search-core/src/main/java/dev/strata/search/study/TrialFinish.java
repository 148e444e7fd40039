package dev.strata.search.study;

import dev.strata.search.trial.TrialStatus;
import java.util.Map;
import java.util.Objects;

/**
 * The final state of a trial, as {@link RunStore#finishTrial} commits it. Immutable.
 *
 * @param status a finished status ({@link TrialStatus#isFinished()})
 * @param value the objective value; NaN unless COMPLETED or PRUNED
 * @param networkSpecJson the trained network's spec, or null
 * @param reason why it did not complete; empty when COMPLETED
 */
public record TrialFinish(
    TrialStatus status,
    double value,
    Map<String, Double> metrics,
    long parameters,
    double flops,
    double trainSeconds,
    String networkSpecJson,
    String reason) {

  public TrialFinish {
    Objects.requireNonNull(status, "status");
    if (!status.isFinished()) {
      throw new IllegalArgumentException("a trial finishes with a finished status, got " + status);
    }
    metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
    reason = reason == null ? "" : reason;
  }

  public static TrialFinish completed(double value, Map<String, Double> metrics, double trainSeconds) {
    return new TrialFinish(TrialStatus.COMPLETED, value, metrics, 0, 0, trainSeconds, null, "");
  }

  public static TrialFinish failed(TrialStatus status, String reason) {
    return new TrialFinish(status, Double.NaN, Map.of(), 0, 0, 0, null, reason);
  }
}
