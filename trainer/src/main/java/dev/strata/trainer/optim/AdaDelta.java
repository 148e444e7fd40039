package dev.strata.trainer.optim;

import dev.strata.trainer.kernel.OptimizerKernel;

/**
 * Adadelta (Zeiler 2012): {@code E[g^2] <- rho E[g^2] + (1 - rho) g'^2},
 * {@code d = -sqrt(E[dx^2] + eps) / sqrt(E[g^2] + eps) g'}, {@code E[dx^2] <- rho E[dx^2] + (1 - rho) d^2},
 * {@code w <- w + eta d}, with {@code g' = g + lambda w}, both averages starting at 0 and eta
 * customarily 1. Two state floats per parameter.
 */
public final class AdaDelta implements Optimizer {

  private final Target t;
  private final float rho;
  private final float eps;
  private final float lambda;
  private final float[] eg;
  private final float[] edx;

  AdaDelta(Target t, float rho, float eps, float lambda) {
    this.t = t;
    this.rho = rho;
    this.eps = eps;
    this.lambda = lambda;
    this.eg = new float[t.params().length];
    this.edx = new float[t.params().length];
  }

  @Override
  public void step(double lr) {
    for (int r = 0; r < t.runs(); r++) {
      OptimizerKernel.adadelta(t.runLength()[r], t.params(), t.grads(), eg, edx, t.runOffset()[r], (float) lr, rho, eps,
          t.decay(r, lambda));
    }
  }

  @Override
  public java.util.List<float[]> stateBuffers() {
    return java.util.List.of(eg, edx);
  }
}
