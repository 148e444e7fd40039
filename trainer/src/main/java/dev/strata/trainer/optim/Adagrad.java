package dev.strata.trainer.optim;

import dev.strata.trainer.kernel.OptimizerKernel;

/**
 * Adagrad (Duchi et al. 2011): {@code G <- G + g'^2}, {@code w <- w - eta g' / (sqrt(G) + eps)},
 * with {@code g' = g + lambda w} and G starting at 0. One state float per parameter.
 */
public final class Adagrad implements Optimizer {

  private final Target t;
  private final float eps;
  private final float lambda;
  private final float[] acc;

  Adagrad(Target t, float eps, float lambda) {
    this.t = t;
    this.eps = eps;
    this.lambda = lambda;
    this.acc = new float[t.params().length];
  }

  @Override
  public void step(double lr) {
    for (int r = 0; r < t.runs(); r++) {
      OptimizerKernel.adagrad(t.runLength()[r], t.params(), t.grads(), acc, t.runOffset()[r], (float) lr, eps, t.decay(r, lambda));
    }
  }

  @Override
  public java.util.List<float[]> stateBuffers() {
    return java.util.List.of(acc);
  }
}
