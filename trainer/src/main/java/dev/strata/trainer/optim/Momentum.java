package dev.strata.trainer.optim;

import dev.strata.trainer.kernel.OptimizerKernel;

/**
 * Heavy-ball momentum (Polyak), in the PyTorch form: {@code v <- mu v + g'},
 * {@code w <- w - eta v}, with {@code g' = g + lambda w} and v starting at 0. One state float per
 * parameter.
 */
public final class Momentum implements Optimizer {

  private final Target t;
  private final float mu;
  private final float lambda;
  private final float[] v;

  Momentum(Target t, float mu, float lambda) {
    this.t = t;
    this.mu = mu;
    this.lambda = lambda;
    this.v = new float[t.params().length];
  }

  @Override
  public void step(double lr) {
    for (int r = 0; r < t.runs(); r++) {
      OptimizerKernel.momentum(t.runLength()[r], t.params(), t.grads(), v, t.runOffset()[r], (float) lr, mu, t.decay(r, lambda));
    }
  }

  @Override
  public java.util.List<float[]> stateBuffers() {
    return java.util.List.of(v);
  }
}
