package dev.strata.search.fidelity;

import dev.strata.search.trial.Configuration;
import dev.strata.search.trial.TrialStatus;

/**
 * A scheduler's view of one trial, for runners, reports and tests. Immutable snapshot.
 *
 * @param index the trial index (the strategy's proposal index)
 * @param resource the largest resource the trial has finished (0 before its first job ends)
 * @param value the value at {@code resource}; NaN when none
 * @param status RUNNING while a job is in flight, PENDING while paused at a rung (it may still be
 *     promoted), otherwise the final status the strategy was told
 */
public record FidelityTrial(int index, Configuration configuration, double resource, double value,
    TrialStatus status) {}
