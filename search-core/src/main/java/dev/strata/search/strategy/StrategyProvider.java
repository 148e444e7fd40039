package dev.strata.search.strategy;

import dev.strata.search.space.SearchSpace;
import dev.strata.search.trial.Direction;
import java.util.Map;

/**
 * Builds a fresh strategy by name, for a run's study or a comparison's run: search-core's registry
 * ({@link #REGISTRY}, {@link Strategies#create}) or a test's own. ({@link StrategyFactory} builds
 * one kind; this picks the kind by name.) Must return equal strategies for equal arguments
 * (resume rebuilds a strategy by replaying its calls into a fresh one).
 */
@FunctionalInterface
public interface StrategyProvider {

  /** The built-in registry. */
  StrategyProvider REGISTRY = Strategies::create;

  Strategy create(String name, SearchSpace space, Direction direction, long seed, Map<String, Object> options);
}
