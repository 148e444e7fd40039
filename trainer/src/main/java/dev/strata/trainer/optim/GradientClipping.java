package dev.strata.trainer.optim;

import dev.strata.trainer.kernel.ElementwiseKernel;

/**
 * Clipping by global norm (Pascanu et al. 2013): with {@code n = ||g||_2} over all gradients,
 * {@code g <- g * maxNorm / n} when {@code n > maxNorm}. Stateless and thread-safe.
 */
public final class GradientClipping {

  private GradientClipping() {}

  /** Clips {@code grads[0 .. len)} in place; returns the norm before clipping. */
  public static double clipByGlobalNorm(float[] grads, int len, double maxNorm) {
    double norm = Math.sqrt(ElementwiseKernel.sumOfSquares(len, grads, 0));
    if (maxNorm > 0 && norm > maxNorm) {
      ElementwiseKernel.scale(len, (float) (maxNorm / norm), grads, 0);
    }
    return norm;
  }
}
