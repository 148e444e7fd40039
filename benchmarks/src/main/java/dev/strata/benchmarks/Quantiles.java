package dev.strata.benchmarks;

import java.util.Arrays;

/** Median and quartiles of the per-slice figures the interleaved harnesses print. */
final class Quantiles {

  private Quantiles() {}

  static double median(double[] values) {
    return of(values, 0.5);
  }

  /** The {@code q} quantile (0..1) of {@code values}, interpolated linearly; the array is left as it was. */
  static double of(double[] values, double q) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    double pos = q * (sorted.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(sorted.length - 1, lo + 1);
    return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
  }
}
