package dev.strata.experiments.run;

import dev.strata.search.trial.TrialStatus;
import java.util.Map;
import java.util.Objects;

/**
 * What an evaluator returns for one trial. Immutable.
 *
 * @param status a finished status, or INTERRUPTED when it stopped because the run is stopping
 * @param metrics every metric measured (the objective metric among them when COMPLETED)
 * @param parameters parameter count of the network, 0 when not a network
 * @param flops forward FLOPs per sample, 0 when not a network
 * @param trainSeconds seconds spent training (the budget counts them)
 * @param networkSpecJson the trained network's spec, or null when not a network
 * @param reason why it did not complete; empty when COMPLETED
 */
public record TrialResult(
    TrialStatus status,
    Map<String, Double> metrics,
    long parameters,
    double flops,
    double trainSeconds,
    String networkSpecJson,
    String reason) {

  public TrialResult {
    Objects.requireNonNull(status, "status");
    metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
    reason = reason == null ? "" : reason;
  }

  public static TrialResult completed(Map<String, Double> metrics, double trainSeconds) {
    return new TrialResult(TrialStatus.COMPLETED, metrics, 0, 0, trainSeconds, null, "");
  }

  public static TrialResult failed(TrialStatus status, String reason) {
    return new TrialResult(status, Map.of(), 0, 0, 0, null, reason);
  }
}
