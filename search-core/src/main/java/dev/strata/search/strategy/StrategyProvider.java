package dev.strata.search.strategy;

import dev.strata.search.space.SearchSpace;
import dev.strata.search.trial.Direction;
import dev.strata.search.trial.Objectives;
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
  StrategyProvider REGISTRY = new StrategyProvider() {
    @Override
    public Strategy create(String name, SearchSpace space, Direction direction, long seed, Map<String, Object> options) {
      return Strategies.create(name, space, direction, seed, options);
    }

    @Override
    public Strategy create(String name, SearchSpace space, Objectives objectives, long seed,
        Map<String, Object> options) {
      return Strategies.create(name, space, objectives, seed, options);
    }
  };

  Strategy create(String name, SearchSpace space, Direction direction, long seed, Map<String, Object> options);

  /**
   * A fresh strategy for several goals or constraints ({@link Objectives}). A provider that knows
   * only single objectives (the default) builds plain objectives and refuses the others.
   */
  default Strategy create(String name, SearchSpace space, Objectives objectives, long seed,
      Map<String, Object> options) {
    if (!objectives.isPlain()) {
      throw new IllegalArgumentException("this strategy provider builds single-objective strategies without"
          + " constraints; got " + objectives);
    }
    return create(name, space, objectives.direction(), seed, options);
  }
}
