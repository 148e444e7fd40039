package dev.strata.search.testkit;

import dev.strata.search.trial.Configuration;

/**
 * A simulated multi-fidelity loss on {@link UnitBox} (minimise): the final loss {@code f(x) =
 * Σ (x_i − 0.3)²} plus a configuration-dependent learning-curve term that decays with the resource:
 *
 * <pre>  loss(x, r) = f(x) + c(x) / √r,   c(x) ∈ [0.15, 0.45] from a hash of x</pre>
 *
 * so low resources rank configurations informatively but noisily, and loss(x, r) → f(x).
 */
public record SyntheticCurves(UnitBox box) {

  public double finalLoss(Configuration c) {
    double f = 0;
    for (double x : box.point(c)) {
      f += (x - 0.3) * (x - 0.3);
    }
    return f;
  }

  public double loss(Configuration c, double resource) {
    long h = c.canonicalJson().hashCode() * 0x9E3779B97F4A7C15L;
    double u = ((h >>> 11) & ((1L << 53) - 1)) / (double) (1L << 53);
    return finalLoss(c) + 0.3 * (0.5 + u) / Math.sqrt(resource);
  }
}
