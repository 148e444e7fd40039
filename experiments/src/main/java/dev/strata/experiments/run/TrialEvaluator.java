package dev.strata.experiments.run;

import dev.strata.search.trial.Configuration;

/**
 * Turns one configuration into a result: trains a network, calls a test function, looks up a
 * table row or runs an external command. Thread-safe: the runner calls it from several worker
 * threads at once, one trial per thread.
 *
 * <p>It never throws for a bad trial: an invalid combination is REJECTED, a crash FAILED, a NaN
 * DIVERGED, all with a reason. It stops early when {@link TrialContext#shouldStop()} turns true.
 */
@FunctionalInterface
public interface TrialEvaluator {

  TrialResult evaluate(Configuration configuration, TrialContext context);
}
