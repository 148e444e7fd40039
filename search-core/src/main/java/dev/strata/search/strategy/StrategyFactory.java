package dev.strata.search.strategy;

import dev.strata.search.space.SearchSpace;
import dev.strata.search.trial.Direction;
import java.util.Map;

/** Creates one kind of strategy; see {@link Strategies} for the registry. */
@FunctionalInterface
public interface StrategyFactory {

  /**
   * A fresh strategy.
   *
   * @param options strategy-specific options; unknown keys throw {@link IllegalArgumentException}
   */
  Strategy create(SearchSpace space, Direction direction, long seed, Map<String, Object> options);
}
