package dev.strata.search.strategy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LogExpectedImprovementTest {

  @Test
  void matchesNaiveExpectedImprovementWhereItIsNotTiny() {
    int compared = 0;
    for (double mean = -3; mean <= 3; mean += 0.25) {
      for (double sd : new double[] {0.1, 0.5, 1, 2.5}) {
        double naive = LogExpectedImprovement.naiveEi(0.0, mean, sd);
        if (naive < 1e-12) {
          continue; // z below about -7: the naive formula is losing digits there
        }
        double log = LogExpectedImprovement.logEi(0.0, mean, sd);
        assertEquals(Math.log(naive), log, 1e-9 * Math.max(1, Math.abs(log)), "mean " + mean + " sd " + sd);
        compared++;
      }
    }
    assertTrue(compared > 80, "compared " + compared);
  }

  @Test
  void continuousAcrossTheBranchPoints() {
    for (double z : new double[] {-1, -30}) {
      double below = LogExpectedImprovement.logH(Math.nextDown(z));
      double above = LogExpectedImprovement.logH(Math.nextUp(z));
      assertEquals(above, below, 1e-9 * Math.abs(above), "at z = " + z);
    }
  }

  @Test
  void stableFarIntoTheTail() {
    double previous = LogExpectedImprovement.logH(-5);
    for (double z : new double[] {-10, -38, -40, -100, -1e3, -1e5, -1e8, -1e150}) {
      double v = LogExpectedImprovement.logH(z);
      assertTrue(Double.isFinite(v), "finite at z = " + z);
      assertTrue(v < previous, "decreasing at z = " + z);
      previous = v;
    }
    // the naive formula underflows here; the asymptote −z²/2 − ln(√(2π)) − 2 ln|z| + ln(1 − 3/z²) holds
    double z = -1e3;
    assertEquals(-0.5 * z * z - 0.5 * Math.log(2 * Math.PI) - 2 * Math.log(-z) + Math.log1p(-3 / (z * z)),
        LogExpectedImprovement.logH(z), 1e-9);
    assertEquals(0.0, LogExpectedImprovement.naiveEi(-1e3, 0, 1));
    assertTrue(Double.isFinite(LogExpectedImprovement.logEi(0, 1e6, 1e-3)));
  }
}
