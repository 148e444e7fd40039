package dev.strata.search.strategy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.search.space.Dimension;
import dev.strata.search.space.SearchSpace;
import dev.strata.search.trial.Configuration;
import dev.strata.search.trial.Direction;
import dev.strata.search.trial.Outcome;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GridStrategyTest extends StrategyContractTest {

  @Override
  Strategy create(SearchSpace space, Direction direction, long seed) {
    return Strategies.create("grid", space, direction, seed, Map.of("points", 2));
  }

  @Override
  Strategy createForPriors(SearchSpace space, long seed) {
    return Strategies.create("grid", space, Direction.MINIMIZE, seed, Map.of("points", 5));
  }

  @Override
  String name() {
    return "grid";
  }

  @Test
  void visitsEveryPointOfTheGridOnceThenGoesRandom() {
    GridStrategy g = (GridStrategy) Strategies.create("grid", CATEGORICAL, Direction.MINIMIZE, 5, Map.of());
    assertEquals(729, g.size());
    Set<Configuration> seen = new HashSet<>();
    for (Proposal p : g.ask(729)) {
      assertTrue(seen.add(p.configuration()), "repeated " + p.configuration());
      assertEquals("grid", p.tags().get("origin"));
      g.tell(p.index(), Outcome.completed(1));
    }
    assertEquals(729, seen.size());
    assertEquals("random", g.ask(1).getFirst().tags().get("origin"));
  }

  @Test
  void valuesPerDimension() {
    assertArrayEquals(new double[] {0, 0.25, 0.5, 0.75, 1}, GridStrategy.unitValues(Dimension.ofFloat("x", -1, 1), 5));
    assertArrayEquals(new double[] {0.5}, GridStrategy.unitValues(Dimension.ofFloat("x", -1, 1), 1));
    // 1..3 has 3 values <= 5 points: all of them, at their cell centres
    assertArrayEquals(new double[] {1 / 6.0, 0.5, 5 / 6.0}, GridStrategy.unitValues(Dimension.ofInt("n", 1, 3), 5), 1e-12);
    // 1..100 has more: 3 evenly spaced, the bounds included
    Dimension wide = Dimension.ofInt("n", 1, 100);
    double[] u = GridStrategy.unitValues(wide, 3);
    assertEquals(List.of(1L, 51L, 100L), List.of(wide.valueAt(u[0]), wide.valueAt(u[1]), wide.valueAt(u[2])));
    assertEquals(4, GridStrategy.unitValues(Dimension.categorical("c", List.of(1, 2, 3, 4)), 2).length);
  }

  @Test
  void aGridAboveTheCapIsRefusedWithItsSizeAndTheFix() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Strategies.create("grid", BOX.space(), Direction.MINIMIZE, 1, Map.of("points", 10, "maxPoints", 1000)));
    assertTrue(e.getMessage().contains("10·10·10·10·10·10 = 1000000 points"), e.getMessage());
    assertTrue(e.getMessage().contains("lower 'points'"), e.getMessage());
  }
}
