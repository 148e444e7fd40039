package dev.strata.search.strategy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.search.objective.TestFunctions;
import dev.strata.search.space.SearchSpace;
import dev.strata.search.trial.Direction;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StrategiesTest {

  private static final SearchSpace SPACE = TestFunctions.byName("branin").space();

  @Test
  void namesAreListed() {
    assertEquals(List.of("random", "sobol", "evolution", "regularized-evolution", "bayesian", "tpe", "grid", "cma-es", "nsga2"),
        Strategies.names());
    for (String name : Strategies.names()) {
      assertEquals(name, Strategies.create(name, SPACE, Direction.MINIMIZE, 1, Map.of()).name());
    }
  }

  @Test
  void unknownNameSuggestsTheClosest() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Strategies.create("bayesain", SPACE, Direction.MINIMIZE, 1, Map.of()));
    assertEquals("unknown strategy 'bayesain' (did you mean 'bayesian'?); known: random, sobol, evolution, "
        + "regularized-evolution, bayesian, tpe, grid, cma-es, nsga2", e.getMessage());
  }

  @Test
  void unknownOptionNamesItAndTheAllowedOnes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Strategies.create("tpe", SPACE, Direction.MINIMIZE, 1, Map.of("startups", 5)));
    assertEquals("unknown option 'startups' for strategy 'tpe' (did you mean 'startup'?); allowed: candidates, "
        + "constantLiar, gamma, multivariate, priorWeight, startup", e.getMessage());
    IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
        () -> Strategies.create("random", SPACE, Direction.MINIMIZE, 1, Map.of("x", 1)));
    assertTrue(none.getMessage().contains("allowed: none"), none.getMessage());
  }

  @Test
  void badOptionValuesAreExplained() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Strategies.create("bayesian", SPACE, Direction.MINIMIZE, 1, Map.of("liar", "believe")));
    assertTrue(e.getMessage().contains("'believe'") && e.getMessage().contains("believer"), e.getMessage());
    IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
        () -> Strategies.create("regularized-evolution", SPACE, Direction.MINIMIZE, 1, Map.of("population", 1)));
    assertTrue(range.getMessage().contains("population"), range.getMessage());
  }
}
