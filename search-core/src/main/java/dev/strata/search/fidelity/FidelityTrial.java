package dev.strata.search.fidelity;

import dev.strata.search.trial.Configuration;
import dev.strata.search.trial.TrialStatus;

/**
 * A scheduler's view of one trial, for runners, reports and tests. Immutable snapshot.
 *
 * @param index the trial index (the strategy's proposal index)
 * @param resource the largest resource the trial has finished (0 before its first job ends)
 * @param value the value at {@code resource}; NaN when none
 * @param status RUNNING while a job is in flight; COMPLETED once it finished the maximum resource;
 *     PENDING while paused at a rung and not told yet (it is among the ones to promote); otherwise
 *     the status the strategy was told (PRUNED for a paused trial, which ASHA may still promote)
 */
public record FidelityTrial(int index, Configuration configuration, double resource, double value,
    TrialStatus status) {}
