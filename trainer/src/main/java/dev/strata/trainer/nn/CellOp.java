package dev.strata.trainer.nn;

import java.util.random.RandomGenerator;

/**
 * The parameter-free operations of a NAS cell: {@code identity} (y = x, dx = dy, no buffers) and
 * {@code zero} ("none": y = 0, dx = 0, an edge that is present in the graph but carries nothing).
 * Both keep the width. Not thread-safe.
 */
public final class CellOp implements Layer {

  private final int width;
  private final boolean zero;
  private float[] zeros;

  private CellOp(int width, boolean zero) {
    this.width = width;
    this.zero = zero;
  }

  public static CellOp identity(int width) {
    return new CellOp(width, false);
  }

  public static CellOp zero(int width) {
    return new CellOp(width, true);
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
    return zero ? width : 0;
  }

  /** The zero op keeps one array of zeros, returned as its output and as its input gradient (never written). */
  @Override
  public void allocate(int maxRows) {
    zeros = zero ? new float[maxRows * width] : null;
  }

  @Override
  public void initialize(Init init, RandomGenerator rng) {}

  @Override
  public float[] forward(float[] x, int rows, boolean training) {
    return zero ? zeros : x;
  }

  @Override
  public float[] backward(float[] dy, int rows) {
    return zero ? zeros : dy;
  }

  @Override
  public long flopsPerSample() {
    return 0;
  }
}
