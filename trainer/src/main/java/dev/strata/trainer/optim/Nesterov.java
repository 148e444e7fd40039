package dev.strata.trainer.optim;

import dev.strata.trainer.kernel.OptimizerKernel;
import dev.strata.trainer.nn.ParameterStore.Slot;

/**
 * Nesterov accelerated gradient in the form of Sutskever et al. (2013) as written by PyTorch:
 * {@code v <- mu v + g'}, {@code w <- w - eta (g' + mu v)}, with {@code g' = g + lambda w} and v
 * starting at 0. One state float per parameter.
 */
public final class Nesterov implements Optimizer {

  private final Target t;
  private final float mu;
  private final float lambda;
  private final float[] v;

  Nesterov(Target t, float mu, float lambda) {
    this.t = t;
    this.mu = mu;
    this.lambda = lambda;
    this.v = new float[t.params().length];
  }

  @Override
  public void step(double lr) {
    for (Slot s : t.slots()) {
      OptimizerKernel.nesterov(s.size(), t.params(), t.grads(), v, s.offset(), (float) lr, mu, t.decay(s, lambda));
    }
  }

  @Override
  public java.util.List<float[]> stateBuffers() {
    return java.util.List.of(v);
  }
}
