package dev.strata.search.strategy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.search.space.Dimension;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class JointParzenTest {

  private static final Dimension CHOICE = Dimension.categorical("c", List.of("a", "b", "c"));
  private static final Dimension FLOAT = Dimension.ofFloat("x", 0, 1);

  @Test
  void densityOverACategoricalAndAFloatIntegratesToOne() {
    JointParzen p = new JointParzen(List.of(new double[] {0.5, 0.2}, new double[] {0.1, 0.9},
        new double[] {Double.NaN, 0.4}), List.of(CHOICE, FLOAT), 1.0);
    int steps = 4000;
    double integral = 0;
    for (int c = 0; c < 3; c++) {
      for (int k = 0; k < steps; k++) {
        integral += Math.exp(p.logPdf(new double[] {(c + 0.5) / 3, (k + 0.5) / steps})) / steps;
      }
    }
    assertEquals(1.0, integral, 1e-6);
  }

  @Test
  void categoricalKernelKeepsItsCentreWithProbabilityOnePlusAOverKOverOnePlusA() {
    // One observation at choice "b", a = 1: its component keeps "b" with (1 + 1/3)/2 = 2/3; the prior
    // component (weight 1 of 2) is uniform, so l(b) = ½·2/3 + ½·1/3 = 1/2.
    JointParzen p = new JointParzen(List.<double[]>of(new double[] {0.5}), List.of(CHOICE), 1.0);
    assertEquals(0.5, Math.exp(p.logPdf(new double[] {0.5})), 1e-12);
    assertEquals(0.25, Math.exp(p.logPdf(new double[] {0.1})), 1e-12);
    SplittableRandom random = new SplittableRandom(3);
    int keeps = 0;
    int n = 20_000;
    for (int i = 0; i < n; i++) {
      if (p.sample(random)[0] == 0.5) {
        keeps++;
      }
    }
    // binomial standard deviation at n = 20,000 and p = ½ is 0.0035; 0.015 is over 4 of them
    assertEquals(0.5, keeps / (double) n, 0.015);
  }

  @Test
  void inactiveCoordinatesOfTheScoredPointAreSkipped() {
    JointParzen p = new JointParzen(List.of(new double[] {0.5, 0.2}), List.of(CHOICE, FLOAT), 1.0);
    JointParzen q = new JointParzen(List.<double[]>of(new double[] {0.5}), List.of(CHOICE), 1.0);
    assertEquals(q.logPdf(new double[] {0.5}), p.logPdf(new double[] {0.5, Double.NaN}), 1e-12);
  }

  @Test
  void numericWidthsAreTheNeighbourGapsClipped() {
    // Active values 0.2, 0.3 and the prior mean 0.5: 0.2 has gaps 0.2 (to 0) and 0.1 -> 0.2;
    // 0.3 has 0.1 and 0.2 -> 0.2. The clip 1/min(100, 2 + 2) = 0.25 raises both.
    JointParzen p = new JointParzen(List.of(new double[] {0.2}, new double[] {0.3}), List.of(FLOAT), 1.0);
    assertEquals(0.25, p.sigma(0, 0), 1e-12);
    assertEquals(0.25, p.sigma(1, 0), 1e-12);
    JointParzen wide = new JointParzen(List.of(new double[] {0.05}, new double[] {0.1}, new double[] {0.15},
        new double[] {0.95}, new double[] {0.97}, new double[] {0.99}), List.of(FLOAT), 1.0);
    assertEquals(0.45, wide.sigma(3, 0), 1e-12); // 0.95: 0.45 down to the prior mean, 0.02 up
    assertTrue(wide.sigma(0, 0) >= 1.0 / 8);
  }
}
