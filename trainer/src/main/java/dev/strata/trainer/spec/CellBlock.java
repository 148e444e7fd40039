package dev.strata.trainer.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code repeat} NAS cells (NAS-Bench-201, DARTS): a DAG of {@code nodes} feature maps, node 0 the
 * cell's input and node {@code nodes - 1} its output. Node j is the sum of one operation on each
 * earlier node: edge (i, j) for every i &lt; j, listed in {@code edges} in the order (1,0), (2,0),
 * (2,1), (3,0), (3,1), (3,2)... A cell keeps its input's shape. An edge whose result cannot reach
 * the output, or whose source gets nothing from the input, computes nothing and has no weights.
 * Immutable.
 *
 * @param nodes at least 2; {@code edges} has nodes x (nodes - 1) / 2 entries
 * @param edges one operation per edge; the output must be reachable from the input through
 *     operations other than {@code none}
 * @param activation the one before each convolution (default relu, as in the benchmarks)
 * @param repeat cells stacked, each with its own weights (default 1)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CellBlock(int nodes, List<CellOpType> edges, Activation activation, int repeat) implements ImageBlock {

  public CellBlock {
    SpecException.checkAtLeast("/nodes", nodes, 2, "a cell needs an input and an output node; NAS-Bench-201 uses 4");
    SpecException.checkAtLeast("/repeat", repeat, 1, "use 1 or more cells");
    Objects.requireNonNull(edges, "edges");
    Objects.requireNonNull(activation, "activation");
    edges = List.copyOf(edges);
    int expected = nodes * (nodes - 1) / 2;
    if (edges.size() != expected) {
      throw SpecException.at("/edges", "a cell of " + nodes + " nodes has " + expected + " edges (one from each earlier"
          + " node to each node), got " + edges.size() + "; list " + expected + " operations or set \"nodes\" to "
          + nodesFor(edges.size()));
    }
    if (!outputReachable(nodes, edges)) {
      throw SpecException.at("/edges", "the cell's output is unreachable: every path from its input passes a 'none'"
          + " edge, so the network would ignore its input; make one path of non-'none' operations");
    }
  }

  @JsonCreator
  static CellBlock json(@JsonProperty("nodes") Integer nodes, @JsonProperty("edges") List<CellOpType> edges,
      @JsonProperty("activation") Activation activation, @JsonProperty("repeat") Integer repeat,
      @JsonProperty("dropout") Double dropout) {
    if (edges == null) {
      throw SpecException.at("/edges", "is missing (or misspelled); list one operation per edge, e.g. [\"conv_3x3\","
          + " \"skip_connect\", \"conv_3x3\"] for 3 nodes");
    }
    if (dropout != null) {
      throw SpecException.at("/dropout", "a cell has no dropout; remove it");
    }
    return new CellBlock(nodes == null ? nodesFor(edges.size()) : nodes, edges,
        activation == null ? Activation.RELU : activation, repeat == null ? 1 : repeat);
  }

  /** One cell of {@code edges}, its node count from the number of edges. */
  public static CellBlock of(CellOpType... edges) {
    return new CellBlock(nodesFor(edges.length), List.of(edges), Activation.RELU, 1);
  }

  /** The same cell with another activation before its convolutions. */
  public CellBlock withActivation(Activation value) {
    return new CellBlock(nodes, edges, value, repeat);
  }

  /** The operation on edge (from, to). */
  public CellOpType edge(int from, int to) {
    return edges.get(to * (to - 1) / 2 + from);
  }

  /** Whether edge (from, to) computes something: not none, fed from the input, read by the output. */
  public boolean live(int from, int to) {
    return edge(from, to) != CellOpType.NONE && fromInput(nodes, edges)[from] && toOutput()[to];
  }

  /**
   * The cell's NAS-Bench-201 string ({@code |nor_conv_3x3~0|+|none~0|skip_connect~1|+|...|}) when it
   * is one of that benchmark's cells: 4 nodes, 6 edges over its 5 operations.
   */
  @JsonIgnore
  public Optional<String> nasBench201() {
    return nasBench201(nodes, edges);
  }

  /** The NAS-Bench-201 string of any cell over that benchmark's 5 operations with 4 nodes (reachable or not). */
  public static Optional<String> nasBench201(int nodes, List<CellOpType> edges) {
    if (nodes != 4 || edges.size() != 6 || edges.stream().anyMatch(op -> op.nasBench201Name() == null)) {
      return Optional.empty();
    }
    List<String> parts = new ArrayList<>();
    for (int to = 1; to < nodes; to++) {
      StringBuilder b = new StringBuilder("|");
      for (int from = 0; from < to; from++) {
        b.append(edges.get(to * (to - 1) / 2 + from).nasBench201Name()).append('~').append(from).append('|');
      }
      parts.add(b.toString());
    }
    return Optional.of(String.join("+", parts));
  }

  @Override
  public Double dropout() {
    return null;
  }

  @Override
  public ImageShape outputShape(ImageShape in) {
    return in;
  }

  private boolean[] toOutput() {
    boolean[] r = new boolean[nodes];
    r[nodes - 1] = true;
    for (int from = nodes - 2; from >= 0; from--) {
      for (int to = from + 1; to < nodes; to++) {
        r[from] |= r[to] && edge(from, to) != CellOpType.NONE;
      }
    }
    return r;
  }

  /** Whether some path of operations other than none leads from a cell's input to its output. */
  public static boolean outputReachable(int nodes, List<CellOpType> edges) {
    return fromInput(nodes, edges)[nodes - 1];
  }

  /** Which nodes get something from the cell's input through operations other than none. */
  private static boolean[] fromInput(int nodes, List<CellOpType> edges) {
    boolean[] r = new boolean[nodes];
    r[0] = true;
    for (int to = 1; to < nodes; to++) {
      for (int from = 0; from < to; from++) {
        r[to] |= r[from] && edges.get(to * (to - 1) / 2 + from) != CellOpType.NONE;
      }
    }
    return r;
  }

  /** The node count whose full DAG has {@code edges} edges, or the nearest one above. */
  public static int nodesFor(int edges) {
    int n = 2;
    while (n * (n - 1) / 2 < edges) {
      n++;
    }
    return n;
  }
}
