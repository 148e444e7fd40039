package dev.strata.search.strategy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GaussianProcessTest {

  /**
   * Two observations y(0) = 1, y(1) = 2 with ℓ = 1, σ² = 1, σₙ² = 0.01. The expected numbers come
   * from the 2×2 closed form {@code μ = k*ᵀK⁻¹y, σ² = 1 − k*ᵀK⁻¹k*}, evaluated independently.
   */
  @Test
  void posteriorOnAOneDimensionalToy() {
    GaussianProcess gp = new GaussianProcess(new GaussianProcess.Hyper(new double[] {0, 0, Math.log(0.01)}));
    gp.add(new double[] {0}, 1);
    gp.add(new double[] {1}, 2);
    double[] at = gp.predict(new double[] {0.25});
    assertEquals(1.3073217567809137, at[0], 1e-12);
    assertEquals(0.0596143329893698, at[1], 1e-12);
    // far away the posterior returns to the prior
    double[] far = gp.predict(new double[] {50});
    assertEquals(0, far[0], 1e-12);
    assertEquals(1, far[1], 1e-12);
  }

  @Test
  void fantasiesAreRemovedByTruncate() {
    GaussianProcess gp = new GaussianProcess(new GaussianProcess.Hyper(new double[] {0, 0, Math.log(0.01)}));
    gp.add(new double[] {0}, 1);
    gp.add(new double[] {1}, 2);
    double[] before = gp.predict(new double[] {0.6});
    gp.add(new double[] {0.6}, before[0]);
    double[] believed = gp.predict(new double[] {0.6});
    assertEquals(before[0], believed[0], 1e-9, "kriging believer keeps the mean");
    assertTrue(believed[1] < before[1], "and shrinks the variance");
    gp.truncate(2);
    assertEquals(before[1], gp.predict(new double[] {0.6})[1], 1e-15);
  }

  @Test
  void blockedPredictionMatchesOneAtATime() {
    SplittableRandom r = new SplittableRandom(4);
    GaussianProcess gp = new GaussianProcess(new GaussianProcess.Hyper(new double[] {-1, -0.5, 0.2, -6}));
    for (int i = 0; i < 30; i++) {
      gp.add(new double[] {r.nextDouble(), r.nextDouble()}, r.nextGaussian());
    }
    double[][] pts = new double[7][];
    for (int i = 0; i < 7; i++) {
      pts[i] = new double[] {r.nextDouble(), r.nextDouble()};
    }
    double[] mean = new double[7];
    double[] var = new double[7];
    gp.predict(pts, 7, mean, var);
    for (int i = 0; i < 7; i++) {
      double[] one = gp.predict(pts[i]);
      assertEquals(one[0], mean[i], 1e-12);
      assertEquals(one[1], var[i], 1e-12);
    }
  }

  @Test
  void logMarginalLikelihoodGradientMatchesFiniteDifferences() {
    SplittableRandom r = new SplittableRandom(3);
    int n = 25;
    double[][] xs = new double[n][3];
    double[] ys = new double[n];
    for (int i = 0; i < n; i++) {
      for (int d = 0; d < 3; d++) {
        xs[i][d] = r.nextDouble();
      }
      ys[i] = Math.sin(5 * xs[i][0]) + xs[i][1] + 0.1 * r.nextGaussian();
    }
    double[] theta = {-1.0, 0.3, 1.2, 0.2, -3};
    double[] grad = new double[5];
    GaussianProcess.logMarginalLikelihood(xs, ys, theta, grad);
    double h = 1e-5;
    for (int j = 0; j < theta.length; j++) {
      double[] up = theta.clone();
      double[] down = theta.clone();
      up[j] += h;
      down[j] -= h;
      double fd = (GaussianProcess.logMarginalLikelihood(xs, ys, up, new double[5])
          - GaussianProcess.logMarginalLikelihood(xs, ys, down, new double[5])) / (2 * h);
      assertEquals(fd, grad[j], 1e-5 * Math.max(1, Math.abs(fd)), "θ_" + j);
    }
  }

  @Test
  void logPosteriorGradientMatchesFiniteDifferences() {
    SplittableRandom r = new SplittableRandom(8);
    int n = 12;
    double[][] xs = new double[n][2];
    double[] ys = new double[n];
    for (int i = 0; i < n; i++) {
      xs[i][0] = r.nextDouble();
      xs[i][1] = r.nextDouble();
      ys[i] = r.nextGaussian();
    }
    double[] theta = {-0.7, 0.4, 0.1, -5};
    double[] grad = new double[4];
    BayesianStrategy.negativeLogPosterior(xs, ys, theta, grad);
    double h = 1e-5;
    for (int j = 0; j < theta.length; j++) {
      double[] up = theta.clone();
      double[] down = theta.clone();
      up[j] += h;
      down[j] -= h;
      double fd = (BayesianStrategy.negativeLogPosterior(xs, ys, up, new double[4])
          - BayesianStrategy.negativeLogPosterior(xs, ys, down, new double[4])) / (2 * h);
      assertEquals(fd, grad[j], 1e-5 * Math.max(1, Math.abs(fd)), "θ_" + j);
    }
  }

  /**
   * Appending rows one at a time ({@code O(n²)} each) and factoring them in one blocked pass give
   * the same posterior, whichever way the points are split; tolerance 1e−10 (different summation
   * orders only).
   */
  @Test
  void appendedRowsEqualABlockedFactorization() {
    SplittableRandom r = new SplittableRandom(11);
    int n = 43;
    double[][] xs = new double[n][];
    double[] ys = new double[n];
    for (int i = 0; i < n; i++) {
      xs[i] = new double[] {r.nextDouble(), r.nextDouble(), r.nextDouble()};
      ys[i] = r.nextGaussian();
    }
    GaussianProcess.Hyper h = new GaussianProcess.Hyper(new double[] {-1, -0.7, 0.1, 0.3, Math.log(1e-4)});
    GaussianProcess oneByOne = new GaussianProcess(h);
    for (int i = 0; i < n; i++) {
      oneByOne.add(xs[i], ys[i]);
    }
    GaussianProcess atOnce = new GaussianProcess(h);
    atOnce.addAll(xs, ys, n);
    GaussianProcess mixed = new GaussianProcess(h);
    mixed.addAll(java.util.Arrays.copyOf(xs, 18), ys, 18);
    mixed.add(xs[18], ys[18]);
    mixed.addAll(java.util.Arrays.copyOfRange(xs, 19, n), java.util.Arrays.copyOfRange(ys, 19, n), n - 19);
    assertEquals(n, atOnce.size());
    assertEquals(n, mixed.size());
    for (int t = 0; t < 20; t++) {
      double[] p = {r.nextDouble(), r.nextDouble(), r.nextDouble()};
      double[] expected = oneByOne.predict(p);
      for (GaussianProcess gp : new GaussianProcess[] {atOnce, mixed}) {
        double[] got = gp.predict(p);
        assertEquals(expected[0], got[0], 1e-10);
        assertEquals(expected[1], got[1], 1e-10);
      }
    }
  }
}
