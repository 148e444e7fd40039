package dev.strata.search.strategy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.RealMatrix;
import org.junit.jupiter.api.Test;

/**
 * The blocked {@link Cholesky} against Commons Math's {@link CholeskyDecomposition} on random
 * symmetric positive definite matrices {@code A·Aᵀ + n·I} of odd and even sizes (so the four-row
 * blocks and the leftover rows are both exercised). Tolerance: {@code 1e−12} relative to the
 * largest entry of the factor; the two factorisations sum in different orders, and for these
 * well-conditioned matrices they agree to about {@code 1e−15}.
 */
class CholeskyTest {

  private static double[][] spd(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[][] a = new double[n][n];
    for (double[] row : a) {
      for (int j = 0; j < n; j++) {
        row[j] = r.nextDouble(-1, 1);
      }
    }
    double[][] k = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double s = 0;
        for (int t = 0; t < n; t++) {
          s += a[i][t] * a[j][t];
        }
        k[i][j] = s + (i == j ? n : 0);
      }
    }
    return k;
  }

  private static double[][] lowerRows(double[][] k) {
    double[][] l = new double[k.length][];
    for (int i = 0; i < k.length; i++) {
      l[i] = java.util.Arrays.copyOf(k[i], i + 1);
    }
    return l;
  }

  private static void assertMatchesCommonsMath(double[][] k, double[][] l) {
    RealMatrix expected = new CholeskyDecomposition(MatrixUtils.createRealMatrix(k), 1e-12, 1e-12).getL();
    double scale = 0;
    for (int i = 0; i < k.length; i++) {
      for (int j = 0; j <= i; j++) {
        scale = Math.max(scale, Math.abs(expected.getEntry(i, j)));
      }
    }
    for (int i = 0; i < k.length; i++) {
      for (int j = 0; j <= i; j++) {
        assertEquals(expected.getEntry(i, j), l[i][j], 1e-12 * scale, "n=" + k.length + " L[" + i + "][" + j + "]");
      }
    }
  }

  @Test
  void matchesCommonsMathOnRandomSpdMatrices() {
    for (int n : new int[] {1, 2, 3, 4, 5, 7, 8, 13, 31, 64, 101}) {
      double[][] k = spd(n, n);
      double[][] l = lowerRows(k);
      assertTrue(Cholesky.factor(l, 0, n));
      assertMatchesCommonsMath(k, l);
    }
  }

  @Test
  void extendingAFinishedFactorEqualsFactoringAtOnce() {
    for (int[] split : new int[][] {{37, 0}, {37, 1}, {37, 17}, {37, 36}, {50, 48}}) {
      int n = split[0];
      double[][] k = spd(n, 99 + n);
      double[][] l = lowerRows(k);
      assertTrue(Cholesky.factor(l, 0, split[1]));
      assertTrue(Cholesky.factor(l, split[1], n));
      assertMatchesCommonsMath(k, l);
    }
  }

  @Test
  void indefiniteMatricesAreReported() {
    double[][] k = spd(9, 5);
    k[6][6] = -1;
    assertFalse(Cholesky.factor(lowerRows(k), 0, 9));
    double[][] rankOne = {{1}, {1, 1}, {1, 1, 1}};
    assertFalse(Cholesky.factor(rankOne, 0, 3));
  }
}
