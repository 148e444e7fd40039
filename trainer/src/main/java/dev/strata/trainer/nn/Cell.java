package dev.strata.trainer.nn;

import dev.strata.trainer.kernel.ElementwiseKernel;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * A NAS cell ({@link dev.strata.trainer.spec.CellBlock}): node 0 is the input, node j the sum of its
 * incoming edges' operations on earlier nodes, the last node the output. Only live edges are given
 * (each feeds a node that reaches the output, from a node the input reaches), in the order of their
 * target node, then source node, so every node's gradient is complete before its incoming edges
 * are back-propagated. Sums run in edge order, so results do not depend on anything else. Every
 * edge keeps the width. Not thread-safe.
 */
public final class Cell implements Layer {

  /** A live edge: {@code op} maps node {@code from} into the sum of node {@code to}. */
  public record Edge(int from, int to, Layer op) {}

  private final int width;
  private final int nodes;
  private final Edge[] edges;
  private final float[][] in;
  private float[][] value;
  private float[][] grad;
  private final boolean[] gradSet;
  private boolean needInputGradient = true;

  public Cell(int width, int nodes, List<Edge> edges) {
    this.width = width;
    this.nodes = nodes;
    this.edges = edges.toArray(Edge[]::new);
    this.in = new float[nodes][];
    this.gradSet = new boolean[nodes];
    int last = 0;
    boolean intoOutput = false;
    for (Edge e : this.edges) {
      if (e.from() < 0 || e.from() >= e.to() || e.to() >= nodes || e.to() < last) {
        throw new IllegalArgumentException("edges must go forward and come in order of their target node: " + edges);
      }
      if (e.op().inputWidth() != width || e.op().outputWidth() != width) {
        throw new IllegalArgumentException("a cell's operations keep the width " + width);
      }
      last = e.to();
      intoOutput |= e.to() == nodes - 1;
    }
    if (!intoOutput) {
      throw new IllegalArgumentException("no edge reaches the cell's output");
    }
  }

  /** The live edges' operations, in the order they run. */
  @Override
  public List<Layer> children() {
    return java.util.Arrays.stream(edges).map(Edge::op).toList();
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
    long own = 2L * (nodes - 1) * width;
    for (Edge e : edges) {
      own += e.op().floatsPerRow();
    }
    return own;
  }

  @Override
  public long fixedFloats() {
    long max = 0;
    for (Edge e : edges) {
      max = Math.max(max, e.op().fixedFloats());
    }
    return max;
  }

  @Override
  public void allocate(int maxRows) {
    value = new float[nodes][];
    grad = new float[nodes][];
    for (int j = 0; j < nodes; j++) {
      value[j] = j == 0 ? null : new float[maxRows * width];
      grad[j] = j == nodes - 1 ? null : new float[maxRows * width];
    }
    for (Edge e : edges) {
      e.op().allocate(maxRows);
    }
  }

  @Override
  public void initialize(Init init, RandomGenerator rng) {
    for (Edge e : edges) {
      e.op().initialize(init, rng);
    }
  }

  @Override
  public void needInputGradient(boolean needed) {
    needInputGradient = needed;
    for (Edge e : edges) {
      e.op().needInputGradient(needed || e.from() > 0);
    }
  }

  @Override
  public float[] forward(float[] x, int rows, boolean training) {
    int n = rows * width;
    in[0] = x;
    int k = 0;
    for (int j = 1; j < nodes; j++) {
      boolean first = true;
      for (; k < edges.length && edges[k].to() == j; k++) {
        float[] y = edges[k].op().forward(in[edges[k].from()], rows, training);
        if (first) {
          System.arraycopy(y, 0, value[j], 0, n);
          first = false;
        } else {
          ElementwiseKernel.add(n, value[j], 0, y, 0, value[j], 0);
        }
      }
      in[j] = value[j];
    }
    return value[nodes - 1];
  }

  @Override
  public float[] backward(float[] dy, int rows) {
    int n = rows * width;
    java.util.Arrays.fill(gradSet, false);
    for (int k = edges.length - 1; k >= 0; k--) {
      Edge e = edges[k];
      float[] g = e.op().backward(e.to() == nodes - 1 ? dy : grad[e.to()], rows);
      if (e.from() == 0 && !needInputGradient) {
        continue;
      }
      if (!gradSet[e.from()]) {
        System.arraycopy(g, 0, grad[e.from()], 0, n);
        gradSet[e.from()] = true;
      } else {
        ElementwiseKernel.add(n, grad[e.from()], 0, g, 0, grad[e.from()], 0);
      }
    }
    return needInputGradient ? grad[0] : null;
  }

  @Override
  public long flopsPerSample() {
    long f = 0;
    for (Edge e : edges) {
      f += e.op().flopsPerSample() + width;
    }
    return f;
  }
}
