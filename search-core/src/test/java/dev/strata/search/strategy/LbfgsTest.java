package dev.strata.search.strategy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LbfgsTest {

  private static double rosenbrock(double[] x, double[] g) {
    double a = x[1] - x[0] * x[0];
    double b = 1 - x[0];
    g[0] = -400 * a * x[0] - 2 * b;
    g[1] = 200 * a;
    return 100 * a * a + b * b;
  }

  @Test
  void findsTheRosenbrockMinimum() {
    Lbfgs.Result r = Lbfgs.minimize(LbfgsTest::rosenbrock, new double[] {-1.2, 1}, new double[] {-5, -5},
        new double[] {5, 5}, 500, 1e-15);
    assertEquals(1, r.x()[0], 1e-4);
    assertEquals(1, r.x()[1], 1e-4);
  }

  @Test
  void respectsBounds() {
    Lbfgs.Result r = Lbfgs.minimize(LbfgsTest::rosenbrock, new double[] {-1.2, 0.5}, new double[] {-5, -5},
        new double[] {0.5, 5}, 500, 1e-15);
    assertEquals(0.5, r.x()[0], 1e-9);
    assertEquals(0.25, r.x()[1], 1e-4);
  }
}
