package dev.strata.trainer.optim;

import dev.strata.trainer.kernel.OptimizerKernel;

/**
 * RMSprop (Hinton's lecture 6e): {@code s <- rho s + (1 - rho) g'^2},
 * {@code w <- w - eta g' / (sqrt(s) + eps)}, with {@code g' = g + lambda w} and s starting at 0.
 * One state float per parameter.
 */
public final class RmsProp implements Optimizer {

  private final Target t;
  private final float rho;
  private final float eps;
  private final float lambda;
  private final float[] sq;

  RmsProp(Target t, float rho, float eps, float lambda) {
    this.t = t;
    this.rho = rho;
    this.eps = eps;
    this.lambda = lambda;
    this.sq = new float[t.params().length];
  }

  @Override
  public void step(double lr) {
    for (int r = 0; r < t.runs(); r++) {
      OptimizerKernel.rmsprop(t.runLength()[r], t.params(), t.grads(), sq, t.runOffset()[r], (float) lr, rho, eps, t.decay(r, lambda));
    }
  }

  @Override
  public java.util.List<float[]> stateBuffers() {
    return java.util.List.of(sq);
  }
}
