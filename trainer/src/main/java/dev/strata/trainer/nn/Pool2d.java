package dev.strata.trainer.nn;

import dev.strata.trainer.kernel.ConvShape;
import dev.strata.trainer.kernel.PoolKernel;
import java.util.random.RandomGenerator;

/**
 * Max or average pooling of an NCHW batch over {@code size x size} windows at {@code stride} with
 * {@code padding} (at most half the window, so every window holds a pixel of the image); padding
 * never wins a max and is not counted in an average. Formulas on {@link PoolKernel}. No parameters.
 * Not thread-safe.
 */
public final class Pool2d implements Layer {

  private final ConvShape shape;
  private final boolean max;
  private float[] y;
  private float[] dx;
  private int[] argmax;

  /** Pooling of {@code channels x height x width} images. */
  public Pool2d(boolean max, int channels, int height, int width, int size, int stride, int padding) {
    if (padding > size / 2) {
      throw new IllegalArgumentException("pool padding " + padding + " exceeds half the window " + size);
    }
    this.shape = new ConvShape(channels, height, width, channels, size, stride, padding, 1, channels);
    this.max = max;
  }

  public ConvShape shape() {
    return shape;
  }

  public boolean isMax() {
    return max;
  }

  @Override
  public int inputWidth() {
    return shape.inSize();
  }

  @Override
  public int outputWidth() {
    return shape.outSize();
  }

  /** Output and input gradient, plus the argmax indices (an int each) for max pooling. */
  @Override
  public long floatsPerRow() {
    return (long) shape.outSize() * (max ? 2 : 1) + shape.inSize();
  }

  @Override
  public void allocate(int maxRows) {
    y = new float[maxRows * shape.outSize()];
    dx = new float[maxRows * shape.inSize()];
    argmax = max ? new int[maxRows * shape.outSize()] : null;
  }

  @Override
  public void initialize(Init init, RandomGenerator rng) {}

  @Override
  public float[] forward(float[] x, int rows, boolean training) {
    if (max) {
      PoolKernel.maxForward(shape, rows, x, 0, y, 0, argmax);
    } else {
      PoolKernel.avgForward(shape, rows, x, 0, y, 0);
    }
    return y;
  }

  @Override
  public float[] backward(float[] dy, int rows) {
    if (max) {
      PoolKernel.maxBackward(shape, rows, dy, 0, argmax, dx, 0);
    } else {
      PoolKernel.avgBackward(shape, rows, dy, 0, dx, 0);
    }
    return dx;
  }

  /** One comparison or addition per window tap. */
  @Override
  public long flopsPerSample() {
    return (long) shape.outSize() * shape.kernel() * shape.kernel();
  }
}
