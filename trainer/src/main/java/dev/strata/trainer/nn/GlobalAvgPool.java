package dev.strata.trainer.nn;

import dev.strata.trainer.kernel.PoolKernel;
import java.util.random.RandomGenerator;

/**
 * Global average pooling: {@code C x H x W} feature maps to {@code C} channel means, the bridge from
 * a convolutional body to a dense head. Formulas on {@link PoolKernel}. Not thread-safe.
 */
public final class GlobalAvgPool implements Layer {

  private final int channels;
  private final int plane;
  private float[] y;
  private float[] dx;

  public GlobalAvgPool(int channels, int plane) {
    if (channels < 1 || plane < 1) {
      throw new IllegalArgumentException("channels " + channels + ", plane " + plane);
    }
    this.channels = channels;
    this.plane = plane;
  }

  @Override
  public int inputWidth() {
    return channels * plane;
  }

  @Override
  public int outputWidth() {
    return channels;
  }

  @Override
  public long floatsPerRow() {
    return channels + (long) channels * plane;
  }

  @Override
  public void allocate(int maxRows) {
    y = new float[maxRows * channels];
    dx = new float[maxRows * channels * plane];
  }

  @Override
  public void initialize(Init init, RandomGenerator rng) {}

  @Override
  public float[] forward(float[] x, int rows, boolean training) {
    PoolKernel.globalAvgForward(rows, channels, plane, x, 0, y, 0);
    return y;
  }

  @Override
  public float[] backward(float[] dy, int rows) {
    PoolKernel.globalAvgBackward(rows, channels, plane, dy, 0, dx, 0);
    return dx;
  }

  @Override
  public long flopsPerSample() {
    return (long) channels * plane;
  }
}
