package dev.strata.experiments.run;

import dev.strata.search.space.SearchSpace;
import dev.strata.search.strategy.Strategies;
import dev.strata.search.strategy.Strategy;
import dev.strata.search.trial.Direction;
import java.util.Map;

/**
 * Builds a fresh strategy for a study. The default is search-core's registry, {@link
 * Strategies#create}; tests pass their own. Must return equal strategies for equal arguments
 * (resume rebuilds a strategy by replaying its calls into a fresh one).
 */
@FunctionalInterface
public interface StrategyProvider {

  /** The built-in registry. */
  StrategyProvider REGISTRY = Strategies::create;

  Strategy create(String name, SearchSpace space, Direction direction, long seed, Map<String, Object> options);
}
