package dev.strata.search.strategy;

import dev.strata.search.space.SearchSpace;
import dev.strata.search.trial.Direction;
import java.util.Map;

/**
 * The strategy contract (determinism, replay, ask grouping, ...) with {@code fitPoints = 10}, so
 * that within the contract's ~35 trials the history outgrows the fit subset and the warm,
 * screened full refits run.
 */
class BayesianFullSubsetContractTest extends StrategyContractTest {

  @Override
  Strategy create(SearchSpace space, Direction direction, long seed) {
    return Strategies.create("bayesian", space, direction, seed,
        Map.of("initial", 5, "candidates", 64, "fitPoints", 10, "liar", seed % 2 == 0 ? "believer" : "mean"));
  }

  @Override
  String name() {
    return "bayesian";
  }
}
