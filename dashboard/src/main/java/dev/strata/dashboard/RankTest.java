package dev.strata.dashboard;

import java.util.Arrays;

/**
 * The Mann-Whitney U (Wilcoxon rank-sum) test of two small samples, such as the best values of
 * two strategies over their seeds. Stateless.
 *
 * <p>With the n + m values ranked together (ties get their mid-rank), {@code U = R_a - n(n+1)/2}
 * where {@code R_a} is the sum of the ranks of sample a. The two-sided p-value is {@code 2
 * min(P(U' <= U), P(U' >= U))} (at most 1) under the null hypothesis that every assignment of the
 * n + m values to the two samples is equally likely: computed exactly by counting assignments
 * (the recurrence of Mann and Whitney, 1947) while {@code n + m <= 40}, else from the normal
 * approximation with continuity correction. Exact counting ignores ties, so with ties the p-value
 * is approximate.
 */
public final class RankTest {

  private RankTest() {}

  /** The result: U of sample a, the two-sided p-value, and the smallest p-value these sizes allow. */
  public record Result(double u, double p, double smallestPossibleP) {}

  public static Result mannWhitney(double[] a, double[] b) {
    int n = a.length;
    int m = b.length;
    if (n == 0 || m == 0) {
      return new Result(Double.NaN, Double.NaN, Double.NaN);
    }
    double[] all = new double[n + m];
    System.arraycopy(a, 0, all, 0, n);
    System.arraycopy(b, 0, all, n, m);
    double[] sorted = all.clone();
    Arrays.sort(sorted);
    double ra = 0;
    for (double v : a) {
      ra += midRank(sorted, v);
    }
    double u = ra - n * (n + 1) / 2.0;
    if (n + m <= 40) {
      double[] counts = counts(n, m); // counts[k] = assignments with U = k
      double total = 0;
      for (double c : counts) {
        total += c;
      }
      double below = 0;
      double above = 0;
      for (int k = 0; k < counts.length; k++) {
        if (k <= u + 1e-9) {
          below += counts[k];
        }
        if (k >= u - 1e-9) {
          above += counts[k];
        }
      }
      double p = Math.min(1, 2 * Math.min(below, above) / total);
      double smallest = Math.min(1, 2 * counts[0] / total);
      return new Result(u, p, smallest);
    }
    double mean = n * m / 2.0;
    double sd = Math.sqrt(n * m * (n + m + 1) / 12.0);
    double z = (Math.abs(u - mean) - 0.5) / sd;
    return new Result(u, Math.min(1, 2 * (1 - phi(Math.max(0, z)))), 0);
  }

  private static double midRank(double[] sorted, double v) {
    int lo = 0;
    while (lo < sorted.length && sorted[lo] < v) {
      lo++;
    }
    int hi = lo;
    while (hi < sorted.length && sorted[hi] == v) {
      hi++;
    }
    return (lo + 1 + hi) / 2.0; // ranks lo+1 .. hi, averaged
  }

  /** Number of arrangements of n a's and m b's with U = k, for k = 0 .. nm. */
  private static double[] counts(int n, int m) {
    // f[i][j][k]: arrangements of i a's and j b's with U = k; U grows by j when an a is placed after j b's.
    double[][][] f = new double[n + 1][m + 1][];
    for (int i = 0; i <= n; i++) {
      for (int j = 0; j <= m; j++) {
        f[i][j] = new double[i * j + 1];
        if (i == 0 || j == 0) {
          f[i][j][0] = 1;
          continue;
        }
        for (int k = 0; k <= i * j; k++) {
          double withA = k - j >= 0 && k - j < f[i - 1][j].length ? f[i - 1][j][k - j] : 0; // largest is an a
          double withB = k < f[i][j - 1].length ? f[i][j - 1][k] : 0; // largest is a b
          f[i][j][k] = withA + withB;
        }
      }
    }
    return f[n][m];
  }

  /** The standard normal distribution function (Abramowitz and Stegun 7.1.26 through erf). */
  private static double phi(double z) {
    double x = z / Math.sqrt(2);
    double t = 1 / (1 + 0.3275911 * x);
    double erf = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
    return 0.5 * (1 + erf);
  }
}
