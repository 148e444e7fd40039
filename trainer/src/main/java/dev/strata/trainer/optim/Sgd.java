package dev.strata.trainer.optim;

import dev.strata.trainer.kernel.OptimizerKernel;

/** Plain stochastic gradient descent: {@code w <- w - eta (g + lambda w)}. No state. */
public final class Sgd implements Optimizer {

  private final Target t;
  private final float lambda;

  Sgd(Target t, float lambda) {
    this.t = t;
    this.lambda = lambda;
  }

  @Override
  public void step(double lr) {
    for (int r = 0; r < t.runs(); r++) {
      OptimizerKernel.sgd(t.runLength()[r], t.params(), t.grads(), t.runOffset()[r], (float) lr, t.decay(r, lambda));
    }
  }
}
