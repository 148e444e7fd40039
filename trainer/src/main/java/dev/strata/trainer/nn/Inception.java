package dev.strata.trainer.nn;

import dev.strata.trainer.kernel.ElementwiseKernel;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Parallel branches on the same input, outputs concatenated column-wise, then an optional linear
 * projection and optional dropout: {@code y = D(P([B_1(x) | ... | B_n(x)]))}.
 *
 * <pre>
 *   backward: dc = P^T(D^T(dy)),  dx = sum_i B_i^T(dc[:, cols of branch i])
 * </pre>
 *
 * Not thread-safe.
 */
public final class Inception implements Layer {

  private final List<Layer> branches;
  private final Dense projection;
  private final Dropout dropout;
  private final int in;
  private final int concat;
  private final int[] colOffset;
  private float[] cat;
  private float[][] branchGrad;
  private float[] dx;

  public Inception(List<Layer> branches, Dense projection, Dropout dropout) {
    if (branches.isEmpty()) {
      throw new IllegalArgumentException("an inception unit needs at least one branch");
    }
    this.branches = List.copyOf(branches);
    this.projection = projection;
    this.dropout = dropout;
    this.in = branches.getFirst().inputWidth();
    this.colOffset = new int[branches.size()];
    int c = 0;
    for (int i = 0; i < branches.size(); i++) {
      if (branches.get(i).inputWidth() != in) {
        throw new IllegalArgumentException("branch " + i + " input width differs");
      }
      colOffset[i] = c;
      c += branches.get(i).outputWidth();
    }
    this.concat = c;
    if (projection != null && projection.inputWidth() != concat) {
      throw new IllegalArgumentException("projection expects " + projection.inputWidth() + ", concat is " + concat);
    }
  }

  /** The branches, then the projection and dropout, those present. */
  @Override
  public List<Layer> children() {
    List<Layer> c = new java.util.ArrayList<>(branches);
    if (projection != null) {
      c.add(projection);
    }
    if (dropout != null) {
      c.add(dropout);
    }
    return c;
  }

  @Override
  public int inputWidth() {
    return in;
  }

  @Override
  public int outputWidth() {
    return projection == null ? concat : projection.outputWidth();
  }

  @Override
  public long floatsPerRow() {
    long n = 2L * concat + in; // concatenation, per-branch output-gradient slices, dx
    for (Layer b : branches) {
      n += b.floatsPerRow();
    }
    return n + (projection == null ? 0 : projection.floatsPerRow()) + (dropout == null ? 0 : dropout.floatsPerRow());
  }

  @Override
  public long fixedFloats() {
    long n = 0;
    for (Layer b : branches) {
      n += b.fixedFloats();
    }
    return n;
  }

  @Override
  public void allocate(int maxRows) {
    cat = new float[maxRows * concat];
    branchGrad = new float[branches.size()][];
    for (int i = 0; i < branches.size(); i++) {
      branchGrad[i] = new float[maxRows * branches.get(i).outputWidth()];
      branches.get(i).allocate(maxRows);
    }
    dx = new float[maxRows * in];
    if (projection != null) {
      projection.allocate(maxRows);
    }
    if (dropout != null) {
      dropout.allocate(maxRows);
    }
  }

  @Override
  public void initialize(Init init, RandomGenerator rng) {
    for (Layer b : branches) {
      b.initialize(init, rng);
    }
    if (projection != null) {
      projection.initialize(init, rng);
    }
  }

  @Override
  public float[] forward(float[] x, int rows, boolean training) {
    for (int i = 0; i < branches.size(); i++) {
      float[] out = branches.get(i).forward(x, rows, training);
      int w = branches.get(i).outputWidth();
      for (int r = 0; r < rows; r++) {
        System.arraycopy(out, r * w, cat, r * concat + colOffset[i], w);
      }
    }
    float[] y = projection == null ? cat : projection.forward(cat, rows, training);
    return dropout == null ? y : dropout.forward(y, rows, training);
  }

  @Override
  public float[] backward(float[] dy, int rows) {
    float[] d = dropout == null ? dy : dropout.backward(dy, rows);
    float[] dc = projection == null ? d : projection.backward(d, rows);
    for (int i = 0; i < branches.size(); i++) {
      int w = branches.get(i).outputWidth();
      float[] g = branchGrad[i];
      for (int r = 0; r < rows; r++) {
        System.arraycopy(dc, r * concat + colOffset[i], g, r * w, w);
      }
      float[] dxi = branches.get(i).backward(g, rows);
      if (i == 0) {
        System.arraycopy(dxi, 0, dx, 0, rows * in);
      } else {
        ElementwiseKernel.add(rows * in, dx, 0, dxi, 0, dx, 0);
      }
    }
    return dx;
  }

  @Override
  public long flopsPerSample() {
    long n = 0;
    for (Layer b : branches) {
      n += b.flopsPerSample();
    }
    return n + (projection == null ? 0 : projection.flopsPerSample());
  }
}
