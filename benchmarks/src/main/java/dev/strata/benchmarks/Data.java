package dev.strata.benchmarks;

import java.util.SplittableRandom;

/** Seeded random inputs for the benchmarks. */
final class Data {

  private Data() {}

  /** {@code count} draws from N(0, 1). */
  static float[] gaussian(SplittableRandom rng, int count) {
    float[] v = new float[count];
    for (int i = 0; i < count; i++) {
      v[i] = (float) rng.nextGaussian();
    }
    return v;
  }

  /** {@code count} labels uniform in {@code [0, classes)}. */
  static int[] labels(SplittableRandom rng, int count, int classes) {
    int[] v = new int[count];
    for (int i = 0; i < count; i++) {
      v[i] = rng.nextInt(classes);
    }
    return v;
  }
}
