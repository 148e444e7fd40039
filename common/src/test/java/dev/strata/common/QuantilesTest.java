package dev.strata.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class QuantilesTest {

  @Test
  void interpolatesBetweenNeighbours() {
    double[] x = {1, 2, 3, 4};
    assertEquals(2.5, Quantiles.type7(x, 0.5));
    assertEquals(1.75, Quantiles.type7(x, 0.25));
    assertEquals(3.25, Quantiles.type7(x, 0.75));
    assertEquals(1, Quantiles.type7(x, 0));
    assertEquals(4, Quantiles.type7(x, 1));
  }

  @Test
  void oneValueIsEveryQuantileAndNoneIsNaN() {
    assertEquals(7, Quantiles.type7(new double[] {7}, 0.25));
    assertTrue(Double.isNaN(Quantiles.type7(new double[0], 0.5)));
  }
}
