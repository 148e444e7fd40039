package dev.strata.search.strategy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class Matern52KernelTest {

  @Test
  void valueAtKnownDistances() {
    assertEquals(2.0, Matern52Kernel.value(new double[] {0.3}, new double[] {0.3}, new double[] {1}, 2.0), 1e-15);
    // r = 1: (1 + √5 + 5/3)·e^{−√5}
    double expected = (1 + Math.sqrt(5) + 5.0 / 3) * Math.exp(-Math.sqrt(5));
    assertEquals(expected, Matern52Kernel.value(new double[] {0, 0}, new double[] {0.6, 0.8}, new double[] {1, 1}, 1),
        1e-15);
  }

  @Test
  void gradientMatchesFiniteDifferences() {
    double[] a = {0.1, 0.7, 0.4};
    double[] b = {0.5, 0.2, 0.45};
    double[] logL = {Math.log(0.3), Math.log(1.2), Math.log(0.05)};
    double logS = Math.log(1.7);
    double[] grad = new double[4];
    Matern52Kernel.gradient(a, b, invL2(logL), Math.exp(logS), grad);
    double h = 1e-6;
    for (int d = 0; d < 3; d++) {
      double[] up = logL.clone();
      double[] down = logL.clone();
      up[d] += h;
      down[d] -= h;
      double fd = (Matern52Kernel.value(a, b, invL2(up), Math.exp(logS))
          - Matern52Kernel.value(a, b, invL2(down), Math.exp(logS))) / (2 * h);
      assertEquals(fd, grad[d], 1e-7 * Math.max(1, Math.abs(fd)), "d ln ℓ_" + d);
    }
    double fd = (Matern52Kernel.value(a, b, invL2(logL), Math.exp(logS + h))
        - Matern52Kernel.value(a, b, invL2(logL), Math.exp(logS - h))) / (2 * h);
    assertEquals(fd, grad[3], 1e-7, "d ln σ²");
  }

  @Test
  void gradientAtZeroDistanceIsFinite() {
    double[] g = new double[2];
    Matern52Kernel.gradient(new double[] {0.4}, new double[] {0.4}, new double[] {4}, 1.5, g);
    assertEquals(0.0, g[0]);
    assertEquals(1.5, g[1], 1e-15);
  }

  private static double[] invL2(double[] logL) {
    double[] out = new double[logL.length];
    for (int d = 0; d < out.length; d++) {
      out[d] = Math.exp(-2 * logL[d]);
    }
    return out;
  }
}
