package dev.strata.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Mann-Whitney against values from R's wilcox.test(exact = TRUE). */
class RankTestTest {

  @Test
  void completeSeparationOfThreeAndThreeIsTheSmallestPossibleP() {
    RankTest.Result r = RankTest.mannWhitney(new double[] {0.91, 0.92, 0.93}, new double[] {0.81, 0.82, 0.83});
    assertEquals(9, r.u());
    assertEquals(0.1, r.p(), 1e-12); // 2 / C(6,3)
    assertEquals(0.1, r.smallestPossibleP(), 1e-12);
  }

  @Test
  void knownExactValues() {
    // wilcox.test(c(1.1, 2.2, 3.3, 4.4), c(2.5, 3.6, 5.7, 6.8, 7.9)): W = 3, p-value = 0.1111
    RankTest.Result r = RankTest.mannWhitney(new double[] {1.1, 2.2, 3.3, 4.4}, new double[] {2.5, 3.6, 5.7, 6.8, 7.9});
    assertEquals(3, r.u());
    assertEquals(0.1111, r.p(), 1e-4);
    // Identical samples: p = 1.
    assertEquals(1.0, RankTest.mannWhitney(new double[] {1, 2, 3}, new double[] {1, 2, 3}).p(), 1e-12);
  }
}
