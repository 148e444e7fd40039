package dev.strata.trainer.nn;

import dev.strata.trainer.kernel.ElementwiseKernel;
import java.util.random.RandomGenerator;

/**
 * Inverted dropout with rate p: in training {@code y = x * m} with {@code m = 0} with probability p
 * and {@code 1 / (1 - p)} otherwise, so inference is the identity ({@code y = x}, nothing scaled).
 * Backward {@code dx = dy * m}. The mask comes from the network's own dropout generator (seeded from
 * the spec), one {@code nextFloat()} per element in row-major order. Not thread-safe.
 */
public final class Dropout implements Layer {

  private final int width;
  private final float rate;
  private final RandomGenerator rng;
  private float[] mask;
  private float[] y;
  private float[] dx;
  private boolean lastTraining;
  private boolean frozen;

  public Dropout(int width, double rate, RandomGenerator rng) {
    if (!(rate >= 0 && rate < 1)) {
      throw new IllegalArgumentException("dropout rate must be in [0, 1), got " + rate);
    }
    this.width = width;
    this.rate = (float) rate;
    this.rng = rng;
  }

  /** Keeps the current mask instead of drawing a new one (for gradient checks). */
  void freezeMask(boolean on) {
    frozen = on;
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
    return 3L * width;
  }

  @Override
  public void allocate(int maxRows) {
    mask = new float[maxRows * width];
    y = new float[maxRows * width];
    dx = new float[maxRows * width];
  }

  @Override
  public void initialize(Init init, RandomGenerator rng) {}

  @Override
  public float[] forward(float[] x, int rows, boolean training) {
    lastTraining = training && rate > 0;
    if (!lastTraining) {
      return x;
    }
    int n = rows * width;
    if (!frozen) {
      float keep = 1.0f / (1.0f - rate);
      for (int i = 0; i < n; i++) {
        mask[i] = rng.nextFloat() < rate ? 0.0f : keep;
      }
    }
    ElementwiseKernel.multiply(n, x, 0, mask, 0, y, 0);
    return y;
  }

  @Override
  public float[] backward(float[] dy, int rows) {
    if (!lastTraining) {
      return dy;
    }
    ElementwiseKernel.multiply(rows * width, dy, 0, mask, 0, dx, 0);
    return dx;
  }

  @Override
  public long flopsPerSample() {
    return 0;
  }
}
