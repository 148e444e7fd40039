package dev.strata.search.strategy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.search.objective.Objective;
import dev.strata.search.objective.TestFunctions;
import dev.strata.search.space.SearchSpace;
import dev.strata.search.trial.Direction;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CmaEsStrategyTest extends StrategyContractTest {

  @Override
  Strategy create(SearchSpace space, Direction direction, long seed) {
    return Strategies.create("cma-es", space, direction, seed, Map.of("population", 6));
  }

  @Override
  String name() {
    return "cma-es";
  }

  /**
   * CMA-ES beats random search on branin and hartmann6 at 100 evaluations (median best over seeds
   * 1..10, default options); fixed seeds, strict comparison of medians.
   */
  @Test
  void beatsRandomOnTheContinuousFunctions() {
    long[] seeds = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    for (String f : List.of("branin", "hartmann6")) {
      Objective o = TestFunctions.byName(f);
      double cma = Benchmarks.medianBest(Benchmarks.runSeeds("cma-es", o, seeds, 100, Map.of()), 100);
      double random = Benchmarks.medianBest(Benchmarks.runSeeds("random", o, seeds, 100, Map.of()), 100);
      System.out.printf("cma-es %s@100: median best %.5f, random %.5f, optimum %.5f%n", f, cma, random,
          o.optimum().getAsDouble());
      assertTrue(cma < random, f + ": cma-es " + cma + " vs random " + random);
    }
  }

  @Test
  void theStepSizeShrinksOnAConvexBowl() {
    CmaEsStrategy s = (CmaEsStrategy) Strategies.create("cma-es", BOX.space(), Direction.MINIMIZE, 3, Map.of());
    for (int i = 0; i < 300; i++) {
      Proposal p = s.ask(1).getFirst();
      double f = 0;
      for (int d = 1; d <= 6; d++) {
        double x = ((Number) p.configuration().get("x" + d)).doubleValue() - 0.4;
        f += x * x;
      }
      s.tell(p.index(), dev.strata.search.trial.Outcome.completed(f));
    }
    assertTrue(s.sigma() < 0.05, "sigma " + s.sigma());
  }
}
