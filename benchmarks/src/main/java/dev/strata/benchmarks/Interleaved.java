package dev.strata.benchmarks;

/**
 * Two measurements taking turns in slices on one thread, the order flipping each round so that
 * neither always runs first. Each round gives one pair taken in the same time window, which is
 * what keeps a ratio steady on a host whose speed swings by tens of percent between minutes.
 */
final class Interleaved {

  private Interleaved() {}

  /** One timed slice of about {@code nanos}; returns a rate. */
  @FunctionalInterface
  interface Slice {
    double run(long nanos) throws Throwable;
  }

  /** The two sides' rates, one per round, in round order. */
  record Pairs(double[] first, double[] second) {}

  static Pairs run(int rounds, long sliceNanos, Slice first, Slice second) throws Throwable {
    double[] a = new double[rounds];
    double[] b = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      if ((r & 1) == 0) {
        a[r] = first.run(sliceNanos);
        b[r] = second.run(sliceNanos);
      } else {
        b[r] = second.run(sliceNanos);
        a[r] = first.run(sliceNanos);
      }
    }
    return new Pairs(a, b);
  }

  /** {@code numerator[i] / denominator[i]} for each round. */
  static double[] ratios(double[] numerator, double[] denominator) {
    double[] r = new double[numerator.length];
    for (int i = 0; i < r.length; i++) {
      r[i] = numerator[i] / denominator[i];
    }
    return r;
  }
}
