package dev.strata.trainer.optim;

import dev.strata.trainer.kernel.OptimizerKernel;

/**
 * Adam (Kingma &amp; Ba 2015) and AdamW (Loshchilov &amp; Hutter 2019). At step t = 1, 2, ...:
 *
 * <pre>
 *   m <- b1 m + (1 - b1) g'          v <- b2 v + (1 - b2) g'^2
 *   m^ = m / (1 - b1^t)              v^ = v / (1 - b2^t)
 *   w <- w - eta (m^ / (sqrt(v^) + eps) + wd w)
 * </pre>
 *
 * Adam: {@code g' = g + lambda w} (L2 coupled into the moments), {@code wd = 0}. AdamW:
 * {@code g' = g}, {@code wd = lambda} (decoupled decay, scaled by the scheduled eta). m and v start
 * at 0: two state floats per parameter.
 */
public final class Adam implements Optimizer {

  private final Target t;
  private final float b1;
  private final float b2;
  private final float eps;
  private final float lambda;
  private final boolean decoupled;
  private final float[] m;
  private final float[] v;
  private int step;

  Adam(Target t, float b1, float b2, float eps, float lambda, boolean decoupled) {
    this.t = t;
    this.b1 = b1;
    this.b2 = b2;
    this.eps = eps;
    this.lambda = lambda;
    this.decoupled = decoupled;
    this.m = new float[t.params().length];
    this.v = new float[t.params().length];
  }

  @Override
  public void step(double lr) {
    step++;
    float c1 = (float) (1 / (1 - Math.pow(b1, step)));
    float c2 = (float) (1 / (1 - Math.pow(b2, step)));
    for (int r = 0; r < t.runs(); r++) {
      float decay = t.decay(r, lambda);
      OptimizerKernel.adam(t.runLength()[r], t.params(), t.grads(), m, v, t.runOffset()[r], (float) lr, b1, b2, eps, c1, c2,
          decoupled ? 0f : decay, decoupled ? decay : 0f);
    }
  }

  @Override
  public java.util.List<float[]> stateBuffers() {
    return java.util.List.of(m, v);
  }

  @Override
  public long stepCount() {
    return step;
  }

  @Override
  public void restoreStepCount(long steps) {
    step = Math.toIntExact(steps);
  }
}
