package dev.strata.trainer.kernel;

import java.util.SplittableRandom;

/** Test helpers: seeded random arrays with a sentinel-filled margin around the region under test. */
final class Arrays2 {

  static final float SENTINEL = -12345.5f;
  static final int[] ODD = {1, 3, 17, 63, 130};

  private Arrays2() {}

  static float[] random(SplittableRandom rnd, int off, int len, double lo, double hi) {
    float[] a = new float[off + len + 7];
    java.util.Arrays.fill(a, SENTINEL);
    for (int i = 0; i < len; i++) {
      a[off + i] = (float) (lo + (hi - lo) * rnd.nextDouble());
    }
    return a;
  }

  static void assertMarginUntouched(float[] a, int off, int len) {
    for (int i = 0; i < off; i++) {
      org.junit.jupiter.api.Assertions.assertEquals(SENTINEL, a[i], "write before the region at " + i);
    }
    for (int i = off + len; i < a.length; i++) {
      org.junit.jupiter.api.Assertions.assertEquals(SENTINEL, a[i], "write after the region at " + i);
    }
  }

  /** |expected - actual| <= abs + rel |expected| for every element of the region. */
  static void assertClose(float[] expected, float[] actual, int off, int len, double abs, double rel, String what) {
    for (int i = off; i < off + len; i++) {
      double e = expected[i];
      double a = actual[i];
      if (!(Math.abs(e - a) <= abs + rel * Math.abs(e))) {
        org.junit.jupiter.api.Assertions.fail(what + " at " + (i - off) + ": expected " + e + " got " + a
            + " (abs " + abs + ", rel " + rel + ")");
      }
    }
  }
}
