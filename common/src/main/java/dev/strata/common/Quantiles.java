package dev.strata.common;

/**
 * The one quantile of Strata (comparison bands in {@code compare}, {@code report} and the
 * dashboard): Hyndman and Fan's type 7, the default of R and NumPy. For ascending values
 * {@code x[0..n-1]} and {@code p} in [0, 1], with {@code h = (n - 1) p}:
 *
 * <pre>Q(p) = x[floor(h)] + (h - floor(h)) (x[floor(h) + 1] - x[floor(h)])</pre>
 *
 * Stateless and thread-safe.
 */
public final class Quantiles {

  private Quantiles() {}

  /** The type-7 p-quantile of ascending values; NaN when there are none. */
  public static double type7(double[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    double h = (sorted.length - 1) * p;
    int lo = (int) Math.floor(h);
    int hi = Math.min(lo + 1, sorted.length - 1);
    return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
  }
}
