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
 * @param violation how far the trial breaks its feasibility constraints ({@link
 *     Constraint#violation(java.util.List, Map)}): 0 for a feasible trial or when there are no
 *     constraints. A trial that breaks a constraint on a metric known before training ends
 *     REJECTED with its violation; one that breaks a constraint on a trained metric keeps its
 *     status and value. Strategies rank every trial with a positive violation below every
 *     feasible one, and infeasible ones among themselves by violation.
 */
public record Outcome(TrialStatus status, double value, Map<String, Double> metrics, String reason,
    double violation) {

  public Outcome {
    if (!(violation >= 0) || Double.isInfinite(violation)) {
      throw new IllegalArgumentException("violation must be finite and >= 0, got " + violation);
    }
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

  /** A feasible outcome (violation 0). */
  public Outcome(TrialStatus status, double value, Map<String, Double> metrics, String reason) {
    this(status, value, metrics, reason, 0);
  }

  /** This outcome with a constraint violation. */
  public Outcome withViolation(double violation) {
    return new Outcome(status, value, metrics, reason, violation);
  }

  /** Whether the trial met its constraints. */
  public boolean isFeasible() {
    return violation == 0;
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
