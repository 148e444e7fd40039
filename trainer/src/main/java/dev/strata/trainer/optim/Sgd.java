package dev.strata.trainer.optim;

import dev.strata.trainer.kernel.OptimizerKernel;
import dev.strata.trainer.nn.ParameterStore.Slot;

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
    for (Slot s : t.slots()) {
      OptimizerKernel.sgd(s.size(), t.params(), t.grads(), s.offset(), (float) lr, t.decay(s, lambda));
    }
  }
}
