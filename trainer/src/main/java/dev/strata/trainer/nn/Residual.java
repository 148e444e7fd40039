package dev.strata.trainer.nn;

import dev.strata.trainer.kernel.ElementwiseKernel;
import java.util.random.RandomGenerator;

/**
 * A residual unit {@code y = post(S(x) + D(F(x)))}: F is the residual branch, S the shortcut
 * (identity, or a linear projection when shapes differ: a {@link Dense} layer, or a 1x1 {@link Conv2d}
 * (strided where the branch downsamples) with its batch norm), D optional dropout on F's
 * output, and post an optional activation (post-activation ResNet) or the identity (pre-activation
 * ResNet, where F starts with its own normalisation/activation).
 *
 * <pre>
 *   backward: d = post'(dy),  dx = F^T(D^T(d)) + S^T(d)   (S^T(d) = d for the identity)
 * </pre>
 *
 * Not thread-safe.
 */
public final class Residual implements Layer {

  private final Layer branch;
  private final Layer projection;
  private final Dropout dropout;
  private final ActivationLayer post;
  private final int in;
  private final int width;
  private float[] sum;
  private float[] dx;

  /**
   * @param projection null for an identity shortcut (then widths must match)
   * @param dropout null for none
   * @param post null for pre-activation units
   */
  public Residual(Layer branch, Layer projection, Dropout dropout, ActivationLayer post) {
    this.branch = branch;
    this.projection = projection;
    this.dropout = dropout;
    this.post = post;
    this.in = branch.inputWidth();
    this.width = branch.outputWidth();
    int shortcutOut = projection == null ? in : projection.outputWidth();
    if (shortcutOut != width) {
      throw new IllegalArgumentException("shortcut width " + shortcutOut + " != branch width " + width);
    }
  }

  /** The branch, its dropout, the shortcut's projection and the post-activation, those present. */
  @Override
  public java.util.List<Layer> children() {
    java.util.List<Layer> c = new java.util.ArrayList<>();
    c.add(branch);
    if (dropout != null) {
      c.add(dropout);
    }
    if (projection != null) {
      c.add(projection);
    }
    if (post != null) {
      c.add(post);
    }
    return c;
  }

  @Override
  public int inputWidth() {
    return in;
  }

  @Override
  public int outputWidth() {
    return width;
  }

  @Override
  public long floatsPerRow() {
    return width + in + branch.floatsPerRow() + (projection == null ? 0 : projection.floatsPerRow())
        + (dropout == null ? 0 : dropout.floatsPerRow()) + (post == null ? 0 : post.floatsPerRow());
  }

  @Override
  public long fixedFloats() {
    return branch.fixedFloats();
  }

  @Override
  public void allocate(int maxRows) {
    sum = new float[maxRows * width];
    dx = new float[maxRows * in];
    branch.allocate(maxRows);
    if (projection != null) {
      projection.allocate(maxRows);
    }
    if (dropout != null) {
      dropout.allocate(maxRows);
    }
    if (post != null) {
      post.allocate(maxRows);
    }
  }

  @Override
  public void initialize(Init init, RandomGenerator rng) {
    branch.initialize(init, rng);
    if (projection != null) {
      projection.initialize(init, rng);
    }
  }

  @Override
  public float[] forward(float[] x, int rows, boolean training) {
    float[] h = branch.forward(x, rows, training);
    if (dropout != null) {
      h = dropout.forward(h, rows, training);
    }
    float[] s = projection == null ? x : projection.forward(x, rows, training);
    ElementwiseKernel.add(rows * width, h, 0, s, 0, sum, 0);
    return post == null ? sum : post.forward(sum, rows, training);
  }

  @Override
  public float[] backward(float[] dy, int rows) {
    float[] d = post == null ? dy : post.backward(dy, rows);
    float[] dh = dropout == null ? d : dropout.backward(d, rows);
    float[] dxBranch = branch.backward(dh, rows);
    float[] ds = projection == null ? d : projection.backward(d, rows);
    ElementwiseKernel.add(rows * in, dxBranch, 0, ds, 0, dx, 0);
    return dx;
  }

  @Override
  public long flopsPerSample() {
    return branch.flopsPerSample() + (projection == null ? 0 : projection.flopsPerSample()) + width
        + (post == null ? 0 : post.flopsPerSample());
  }
}
