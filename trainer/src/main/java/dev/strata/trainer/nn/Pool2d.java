package dev.strata.trainer.nn;

import dev.strata.trainer.kernel.ActivationKernel;
import dev.strata.trainer.kernel.ConvShape;
import dev.strata.trainer.kernel.PoolKernel;
import dev.strata.trainer.spec.Activation;
import java.util.random.RandomGenerator;

/**
 * Max or average pooling of an NCHW batch over {@code size x size} windows at {@code stride} with
 * {@code padding} (at most half the window, so every window holds a pixel of the image); padding
 * never wins a max and is not counted in an average. Formulas on {@link PoolKernel}. No parameters.
 * Max pooling may end with a ReLU ({@code relu}): the ReLU of the conv before it, moved here where
 * it touches a quarter of the values (see {@code ImageBlocks#build}). Not thread-safe.
 */
public final class Pool2d implements Layer {

  private final ConvShape shape;
  private final boolean max;
  private final boolean relu;
  private float[] x;
  private float[] y;
  private float[] dx;
  private float[] dpool;
  private int[] argmax;

  /** Pooling of {@code channels x height x width} images. */
  public Pool2d(boolean max, int channels, int height, int width, int size, int stride, int padding) {
    this(max, channels, height, width, size, stride, padding, false);
  }

  /** Pooling, then a ReLU if {@code relu} (max pooling only). */
  public Pool2d(boolean max, int channels, int height, int width, int size, int stride, int padding, boolean relu) {
    if (padding > size / 2) {
      throw new IllegalArgumentException("pool padding " + padding + " exceeds half the window " + size);
    }
    if (relu && !max) {
      throw new IllegalArgumentException("a ReLU moves past max pooling only");
    }
    this.shape = new ConvShape(channels, height, width, channels, size, stride, padding, 1, channels);
    this.max = max;
    this.relu = relu;
  }

  public ConvShape shape() {
    return shape;
  }

  public boolean isMax() {
    return max;
  }

  /** Whether a ReLU ends this pooling (moved here from the convolution before it). */
  public boolean relu() {
    return relu;
  }

  /** The input of the last forward, {@code rows x C x H x W}: the moved ReLU's pre-activation. Live array. */
  float[] input() {
    return x;
  }

  @Override
  public int inputWidth() {
    return shape.inSize();
  }

  @Override
  public int outputWidth() {
    return shape.outSize();
  }

  /** Output and input gradient, plus the argmax indices (an int each) for max pooling and the ReLU's gradient. */
  @Override
  public long floatsPerRow() {
    return (long) shape.outSize() * (1 + (max ? 1 : 0) + (relu ? 1 : 0)) + shape.inSize();
  }

  @Override
  public void allocate(int maxRows) {
    y = new float[maxRows * shape.outSize()];
    dx = new float[maxRows * shape.inSize()];
    argmax = max ? new int[maxRows * shape.outSize()] : null;
    dpool = relu ? new float[maxRows * shape.outSize()] : null;
  }

  @Override
  public void initialize(Init init, RandomGenerator rng) {}

  @Override
  public float[] forward(float[] x, int rows, boolean training) {
    this.x = x;
    if (max) {
      PoolKernel.maxForward(shape, rows, x, 0, y, 0, argmax);
      if (relu) {
        ActivationKernel.forward(Activation.RELU, rows, shape.outSize(), y, 0, null, 0, y, 0);
      }
    } else {
      PoolKernel.avgForward(shape, rows, x, 0, y, 0);
    }
    return y;
  }

  @Override
  public float[] backward(float[] dy, int rows) {
    if (max && relu) {
      // y > 0 exactly where the pooled value was > 0: the ReLU's gradient from its own output
      ActivationKernel.backward(Activation.RELU, rows * shape.outSize(), y, 0, y, 0, dy, 0, dpool, 0);
      PoolKernel.maxBackward(shape, rows, dpool, 0, argmax, dx, 0);
    } else if (max) {
      PoolKernel.maxBackward(shape, rows, dy, 0, argmax, dx, 0);
    } else {
      PoolKernel.avgBackward(shape, rows, dy, 0, dx, 0);
    }
    return dx;
  }

  /** One comparison or addition per window tap, and the ReLU's one per output. */
  @Override
  public long flopsPerSample() {
    return (long) shape.outSize() * (shape.kernel() * shape.kernel() + (relu ? 1 : 0));
  }
}
