package dev.strata.search.space;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.commons.math3.distribution.NormalDistribution;
import org.junit.jupiter.api.Test;

class NormalPriorTest {

  private static final NormalDistribution STANDARD = new NormalDistribution(null, 0, 1);

  @Test
  void theInverseMatchesCommonsMathInTheBodyAndStaysExactInTheTails() {
    for (double p = 0.001; p < 1; p += 0.001) {
      assertEquals(STANDARD.inverseCumulativeProbability(p), NormalPrior.inverseLower(p), 1e-12, "p " + p);
    }
    // far in the lower tail, where 2p − 1 == −1 and an erf-based inverse gives −∞ (above the mean
    // the quantile works with the upper tail 1 − Φ, by symmetry)
    for (double z = -37; z <= 0; z += 0.25) {
      double p = NormalPrior.lower(z);
      assertEquals(z, NormalPrior.inverseLower(p), 1e-9 * Math.max(1, Math.abs(z)), "z " + z);
    }
  }

  @Test
  void massBetweenTwoPointsHasNoCancellationInEitherTail() {
    // Φ(7) − Φ(6) = Q(6) − Q(7), from R's pnorm(6, lower=FALSE) − pnorm(7, lower=FALSE)
    assertEquals(9.865876450376946e-10 - 1.279812543885835e-12, NormalPrior.between(6, 7), 1e-22);
    assertEquals(NormalPrior.between(6, 7), NormalPrior.between(-7, -6), 1e-24);
    assertEquals(0.6826894921370859, NormalPrior.between(-1, 1), 1e-15);
  }

  @Test
  void quantileAndCdfAreInverseOnATruncationAboveTheMean() {
    NormalPrior prior = new NormalPrior(0, 1);
    for (int i = 0; i <= 100; i++) {
      double u = i / 100.0;
      double x = prior.quantile(u, 5, 6);
      assertEquals(u, prior.cdf(x, 5, 6), 1e-9, "u " + u);
    }
    assertEquals(5.0, prior.quantile(0, 5, 6));
    assertEquals(6.0, prior.quantile(1, 5, 6));
    // most of the mass of N(0,1) on [5, 6] sits near 5: its median is 5 + ln 2 / 5 roughly
    assertEquals(5.13, prior.quantile(0.5, 5, 6), 0.01);
  }
}
