package dev.strata.search.strategy;

import dev.strata.search.space.SearchSpace;
import dev.strata.search.trial.Direction;
import java.util.Map;

class BayesianStrategyTest extends StrategyContractTest {

  @Override
  Strategy create(SearchSpace space, Direction direction, long seed) {
    return Strategies.create("bayesian", space, direction, seed,
        Map.of("initial", 5, "candidates", 128, "liar", seed % 2 == 0 ? "believer" : "min"));
  }

  @Override
  String name() {
    return "bayesian";
  }
}
