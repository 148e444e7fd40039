package dev.strata.search.strategy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.search.space.SearchSpace;
import dev.strata.search.trial.Direction;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SobolStrategyTest extends StrategyContractTest {

  @Override
  Strategy create(SearchSpace space, Direction direction, long seed) {
    return Strategies.create("sobol", space, direction, seed, Map.of());
  }

  @Override
  String name() {
    return "sobol";
  }

  @Test
  void sobolIsDeterministicPerSeed() {
    ScrambledSobol a = new ScrambledSobol(5, 77);
    ScrambledSobol b = new ScrambledSobol(5, 77);
    ScrambledSobol c = new ScrambledSobol(5, 78);
    boolean differs = false;
    for (int i = 0; i < 64; i++) {
      double[] x = a.next();
      assertArrayEquals(x, b.next());
      differs |= !Arrays.equals(x, c.next());
      for (double v : x) {
        assertTrue(v >= 0 && v < 1);
      }
    }
    assertTrue(differs);
  }

  @Test
  void digitalShiftKeepsTheFirst16PointsStratified() {
    for (long seed : new long[] {1, 2, 3}) {
      ScrambledSobol sobol = new ScrambledSobol(4, seed);
      boolean[][] seen = new boolean[4][16];
      for (int i = 0; i < 16; i++) {
        double[] x = sobol.next();
        for (int d = 0; d < 4; d++) {
          int cell = (int) (x[d] * 16);
          assertFalse(seen[d][cell], "two points in one 1/16 cell of dimension " + d);
          seen[d][cell] = true;
        }
      }
    }
  }

  @Test
  void firstPointIsTheShiftNotTheOrigin() {
    double[] first = new ScrambledSobol(3, 5).next();
    assertEquals(3, first.length);
    assertFalse(first[0] == 0 && first[1] == 0 && first[2] == 0);
  }
}
