package dev.strata.search.strategy;

/**
 * The Matérn-5/2 kernel with automatic relevance determination (one lengthscale per feature):
 *
 * <pre>
 *   r²   = Σ_d (x_d − x'_d)² / ℓ_d²
 *   k    = σ² · (1 + √5·r + 5/3·r²) · exp(−√5·r)
 *   ∂k/∂ln ℓ_d = σ² · 5/3 · (1 + √5·r) · exp(−√5·r) · (x_d − x'_d)² / ℓ_d²
 *   ∂k/∂ln σ²  = k
 * </pre>
 *
 * (the lengthscale derivative has no singularity at {@code r = 0}). Hyperparameters are passed as
 * {@code invL2[d] = 1/ℓ_d²} and the signal variance {@code σ²}. Stateless and thread-safe.
 */
final class Matern52Kernel {

  static final double SQRT5 = Math.sqrt(5.0);

  private Matern52Kernel() {}

  /** The scaled squared distance {@code r²}. */
  static double r2(double[] a, double[] b, double[] invL2) {
    double s = 0;
    for (int d = 0; d < invL2.length; d++) {
      double diff = a[d] - b[d];
      s += diff * diff * invL2[d];
    }
    return s;
  }

  /** {@code k} at the scaled squared distance {@code r²}. */
  static double valueAtR2(double r2, double variance) {
    double r = Math.sqrt(r2);
    return variance * (1 + SQRT5 * r + (5.0 / 3.0) * r2) * Math.exp(-SQRT5 * r);
  }

  /** {@code k(a, b)}. */
  static double value(double[] a, double[] b, double[] invL2, double variance) {
    return valueAtR2(r2(a, b, invL2), variance);
  }

  /**
   * The common factor {@code σ²·5/3·(1 + √5 r)·exp(−√5 r)} of every lengthscale derivative at
   * {@code r²}; multiply by {@code (x_d − x'_d)²/ℓ_d²} for dimension d.
   */
  static double lengthscaleFactor(double r2, double variance) {
    double r = Math.sqrt(r2);
    return variance * (5.0 / 3.0) * (1 + SQRT5 * r) * Math.exp(-SQRT5 * r);
  }

  /**
   * The gradient of {@code k(a, b)} with respect to {@code (ln ℓ_1..ln ℓ_m, ln σ²)}, written into
   * {@code out} (length m + 1).
   */
  static void gradient(double[] a, double[] b, double[] invL2, double variance, double[] out) {
    double r2 = r2(a, b, invL2);
    double f = lengthscaleFactor(r2, variance);
    for (int d = 0; d < invL2.length; d++) {
      double diff = a[d] - b[d];
      out[d] = f * diff * diff * invL2[d];
    }
    out[invL2.length] = valueAtR2(r2, variance);
  }
}
