package dev.strata.search.strategy;

import java.util.SplittableRandom;
import org.apache.commons.math3.random.SobolSequenceGenerator;

/**
 * A Sobol sequence (Commons Math, Joe–Kuo direction numbers) with a random digital shift: every
 * coordinate's 52-bit binary fraction is XOR-ed with a per-dimension 52-bit mask drawn from the
 * seed. A digital shift keeps the (t, m, s)-net structure that makes Sobol points evenly spread,
 * while different seeds give different point sets. The unshifted sequence starts at the origin;
 * the shifted one starts at the mask.
 *
 * <p>Deterministic for a seed. Not thread-safe.
 */
final class ScrambledSobol {

  /** The most dimensions Commons Math's generator supports. */
  static final int MAX_DIMENSIONS = 1000;

  private static final double SCALE = 0x1p52;

  private final SobolSequenceGenerator generator;
  private final long[] shift;

  ScrambledSobol(int dimensions, long seed) {
    if (dimensions < 1 || dimensions > MAX_DIMENSIONS) {
      throw new IllegalArgumentException("a Sobol sequence needs 1 to " + MAX_DIMENSIONS
          + " dimensions, got " + dimensions);
    }
    generator = new SobolSequenceGenerator(dimensions);
    SplittableRandom random = new SplittableRandom(seed ^ 0x5DEECE66DL);
    shift = new long[dimensions];
    for (int i = 0; i < dimensions; i++) {
      shift[i] = random.nextLong() >>> 12;
    }
  }

  /** The next point, each coordinate in [0, 1). */
  double[] next() {
    double[] v = generator.nextVector();
    for (int i = 0; i < v.length; i++) {
      long bits = (long) (v[i] * SCALE);
      v[i] = (bits ^ shift[i]) / SCALE;
    }
    return v;
  }
}
