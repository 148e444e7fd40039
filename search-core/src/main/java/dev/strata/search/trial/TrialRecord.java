package dev.strata.search.trial;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One stored trial, as the store holds it and the dashboard shows it. Immutable.
 *
 * @param id the run-wide trial id (unique across studies, assigned by the store, starts at 1)
 * @param studyId the study (strategy × seed) the trial belongs to
 * @param index the trial index within its study (the strategy's proposal index)
 * @param value the objective value, NaN unless COMPLETED or PRUNED
 * @param metrics every metric reported (val_accuracy, test_accuracy, loss, ...)
 * @param parameters the network's parameter count, 0 when not a network
 * @param flops forward FLOPs per sample, 0 when not a network
 * @param trainSeconds training seconds spent on this trial (the study's budget is counted in them)
 * @param started null while PENDING
 * @param finished null until finished
 * @param worker where it ran, e.g. {@code local-2} or a cluster worker name
 * @param reason why it failed, diverged, or was rejected, pruned or interrupted; empty otherwise
 * @param tags strategy bookkeeping, e.g. {@code generation}
 * @see #isFeasible()
 */
public record TrialRecord(
    long id,
    long studyId,
    int index,
    Configuration configuration,
    TrialStatus status,
    double value,
    Map<String, Double> metrics,
    long parameters,
    double flops,
    double trainSeconds,
    Instant started,
    Instant finished,
    String worker,
    String reason,
    Map<String, String> tags) {

  public TrialRecord {
    Objects.requireNonNull(configuration, "configuration");
    Objects.requireNonNull(status, "status");
    metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
    tags = tags == null ? Map.of() : Map.copyOf(tags);
    worker = worker == null ? "" : worker;
    reason = reason == null ? "" : reason;
  }

  /**
   * How far the trial breaks its experiment's constraints: the {@link Objectives#VIOLATION} metric
   * the study recorded when it judged the trial ({@link Objectives#judge}); 0 when feasible.
   */
  public double violation() {
    Double v = metrics.get(Objectives.VIOLATION);
    return v == null ? 0 : v;
  }

  /** Whether the trial meets its constraints (an infeasible trial never sets a best-so-far). */
  public boolean isFeasible() {
    return !(violation() > 0);
  }
}
