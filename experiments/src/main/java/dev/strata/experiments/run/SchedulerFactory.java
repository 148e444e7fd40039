package dev.strata.experiments.run;

import dev.strata.search.fidelity.Scheduler;
import dev.strata.search.strategy.Strategy;
import dev.strata.search.trial.Direction;

/**
 * Wraps a study's strategy in a multi-fidelity scheduler, e.g. {@code (s, d) -> new
 * AshaScheduler(s, d, Fidelity.of(1, 27))}. Called once per study and again on resume; must build
 * equal schedulers for equal arguments.
 */
@FunctionalInterface
public interface SchedulerFactory {

  Scheduler wrap(Strategy strategy, Direction direction);
}
