package dev.strata.trainer.init;

import dev.strata.trainer.spec.WeightInit;
import java.util.random.RandomGenerator;

/**
 * Fills weight matrices and bias vectors according to a {@link WeightInit}; the formulas are on
 * the {@code WeightInit} records. Weights of a dense layer are stored {@code fanIn x fanOut}
 * row-major. All randomness comes from the generator passed in. Stateless and thread-safe.
 */
public final class Initializers {

  private Initializers() {}

  /** Fills {@code w[off .. off + fanIn * fanOut)}. */
  public static void weights(WeightInit init, float[] w, int off, int fanIn, int fanOut, RandomGenerator rng) {
    int n = fanIn * fanOut;
    switch (init) {
      case WeightInit.Gaussian g -> gaussian(w, off, n, g.fanInScaled() ? g.sigma() / Math.sqrt(fanIn) : g.sigma(), rng);
      case WeightInit.Uniform u -> uniform(w, off, n, u.limit(), rng);
      case WeightInit.GlorotUniform x -> uniform(w, off, n, Math.sqrt(6.0 / (fanIn + fanOut)), rng);
      case WeightInit.GlorotNormal x -> gaussian(w, off, n, Math.sqrt(2.0 / (fanIn + fanOut)), rng);
      case WeightInit.HeUniform x -> uniform(w, off, n, Math.sqrt(6.0 / fanIn), rng);
      case WeightInit.HeNormal x -> gaussian(w, off, n, Math.sqrt(2.0 / fanIn), rng);
      case WeightInit.Sparse s -> sparse(w, off, fanIn, fanOut, s, rng);
      case WeightInit.Critical c ->
          throw new IllegalArgumentException("a critical init is resolved to a gaussian by the network first");
    }
  }

  /** Biases from N(0, sigma^2); zeros when sigma is 0 (without consuming randomness). */
  public static void biases(float[] b, int off, int n, double sigma, RandomGenerator rng) {
    if (sigma == 0) {
      java.util.Arrays.fill(b, off, off + n, 0f);
    } else {
      gaussian(b, off, n, sigma, rng);
    }
  }

  private static void gaussian(float[] w, int off, int n, double sigma, RandomGenerator rng) {
    for (int i = 0; i < n; i++) {
      w[off + i] = (float) (sigma * rng.nextGaussian());
    }
  }

  private static void uniform(float[] w, int off, int n, double limit, RandomGenerator rng) {
    for (int i = 0; i < n; i++) {
      w[off + i] = (float) (limit * (2 * rng.nextDouble() - 1));
    }
  }

  /** Number of non-zero incoming weights per unit for a sparse initialisation. */
  public static int sparseNonZeros(double fraction, int fanIn) {
    return (int) Math.max(1, Math.min(fanIn, Math.round(fraction * fanIn)));
  }

  private static void sparse(float[] w, int off, int fanIn, int fanOut, WeightInit.Sparse s, RandomGenerator rng) {
    java.util.Arrays.fill(w, off, off + fanIn * fanOut, 0f);
    int nnz = sparseNonZeros(s.fraction(), fanIn);
    double sigma = s.sigma() > 0 ? s.sigma() : 1 / Math.sqrt(nnz);
    int[] rows = new int[fanIn];
    for (int j = 0; j < fanOut; j++) {
      for (int i = 0; i < fanIn; i++) {
        rows[i] = i;
      }
      for (int t = 0; t < nnz; t++) { // partial Fisher-Yates: the first nnz entries are a random subset
        int pick = t + rng.nextInt(fanIn - t);
        int tmp = rows[t];
        rows[t] = rows[pick];
        rows[pick] = tmp;
        w[off + rows[t] * fanOut + j] = (float) (sigma * rng.nextGaussian());
      }
    }
  }
}
