package dev.strata.search.strategy;

import dev.strata.search.space.SearchSpace;
import dev.strata.search.trial.Direction;
import java.util.Map;

class TpeStrategyTest extends StrategyContractTest {

  @Override
  Strategy create(SearchSpace space, Direction direction, long seed) {
    return Strategies.create("tpe", space, direction, seed, Map.of("startup", 6, "constantLiar", seed % 2 == 0));
  }

  @Override
  String name() {
    return "tpe";
  }
}
