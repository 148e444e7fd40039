package dev.strata.trainer.nn;

import dev.strata.trainer.kernel.ActivationKernel;
import dev.strata.trainer.spec.Activation;
import java.util.random.RandomGenerator;

/** A stand-alone element-wise activation {@code y = a(x)}, {@code dx = dy * a'(x)}. Not thread-safe. */
public final class ActivationLayer implements Layer {

  private final int width;
  private final Activation act;
  private float[] x;
  private float[] y;
  private float[] dx;

  public ActivationLayer(int width, Activation act) {
    this.width = width;
    this.act = act;
  }

  @Override
  public int inputWidth() {
    return width;
  }

  @Override
  public int outputWidth() {
    return width;
  }

  @Override
  public long floatsPerRow() {
    return 2L * width;
  }

  @Override
  public void allocate(int maxRows) {
    y = new float[maxRows * width];
    dx = new float[maxRows * width];
  }

  @Override
  public void initialize(Init init, RandomGenerator rng) {}

  @Override
  public float[] forward(float[] x, int rows, boolean training) {
    this.x = x;
    ActivationKernel.forward(act, rows, width, x, 0, null, 0, y, 0);
    return y;
  }

  @Override
  public float[] backward(float[] dy, int rows) {
    ActivationKernel.backward(act, rows * width, x, 0, y, 0, dy, 0, dx, 0);
    return dx;
  }

  @Override
  public long flopsPerSample() {
    return act == Activation.LINEAR ? 0 : width;
  }
}
