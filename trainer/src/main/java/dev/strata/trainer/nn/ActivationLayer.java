package dev.strata.trainer.nn;

import dev.strata.trainer.kernel.ActivationKernel;
import dev.strata.trainer.spec.Activation;
import java.util.random.RandomGenerator;

/**
 * A stand-alone element-wise activation {@code y = a(x)}, {@code dx = dy * a'(x)}. It has a name and
 * a shape ({@code channels x plane}; plane 1 on a dense batch) for analysis at initialisation. Not
 * thread-safe.
 */
public final class ActivationLayer implements Layer {

  private final String name;
  private final int channels;
  private final int plane;
  private final int width;
  private final Activation act;
  private float[] x;
  private float[] y;
  private float[] dx;

  /** An activation on {@code width} columns, named "activation". */
  public ActivationLayer(int width, Activation act) {
    this("activation", width, 1, act);
  }

  /** An activation named {@code name} on {@code channels x plane} values per row. */
  public ActivationLayer(String name, int channels, int plane, Activation act) {
    this.name = name;
    this.channels = channels;
    this.plane = plane;
    this.width = channels * plane;
    this.act = act;
  }

  public String name() {
    return name;
  }

  public Activation activation() {
    return act;
  }

  public int channels() {
    return channels;
  }

  public int plane() {
    return plane;
  }

  /** The input of the last forward (the pre-activation), {@code rows x width}. Live array. */
  float[] input() {
    return x;
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
