package dev.strata.experiments.mapping;

import static dev.strata.experiments.mapping.Params.Reject;
import static dev.strata.experiments.mapping.Params.activation;
import static dev.strata.experiments.mapping.Params.bool;
import static dev.strata.experiments.mapping.Params.fraction;
import static dev.strata.experiments.mapping.Params.integer;
import static dev.strata.experiments.mapping.Params.named;
import static dev.strata.experiments.mapping.Params.positive;
import static dev.strata.experiments.mapping.Params.show;
import static dev.strata.experiments.mapping.Params.string;

import dev.strata.trainer.spec.Activation;
import dev.strata.trainer.spec.BlockSpec;
import dev.strata.trainer.spec.CellBlock;
import dev.strata.trainer.spec.CellOpType;
import dev.strata.trainer.spec.ConvBlock;
import dev.strata.trainer.spec.ConvInceptionBlock;
import dev.strata.trainer.spec.ConvResidualBlock;
import dev.strata.trainer.spec.ImageBlock;
import dev.strata.trainer.spec.ImageShape;
import dev.strata.trainer.spec.Padding;
import dev.strata.trainer.spec.PoolBlock;
import dev.strata.trainer.spec.PoolMode;
import dev.strata.trainer.spec.SpecNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The convolutional part of {@link NetworkMapper}: image blocks from block parameters, networks in
 * stages, and cell networks. Every network on images starts with a stem (a 3x3 convolution with
 * batch norm and ReLU to {@code stem} channels, default 16; 0 for none; stride {@code stemStride}) and ends its image part with
 * global average pooling unless the configuration ends it itself. Stateless.
 *
 * <ul>
 *   <li><b>Blocks</b>: an element of {@code blocks} of type {@code conv}, {@code conv_residual},
 *       {@code conv_inception}, {@code pool} or {@code cell}, with {@code filters}, {@code kernel},
 *       {@code stride}, {@code repeat}, {@code activation}, {@code batchNorm}, {@code dropout},
 *       {@code separable}, {@code dilation} (conv), {@code mode} and {@code size} (pool), {@code
 *       branches} (conv_inception: a list of {@code {kind, filters}}, kind 1x1, 3x3, 5x5 or pool)
 *       and {@code edges} (cell: op names, or maps with {@code op}).
 *   <li><b>Stages</b>: a {@code stages} group, each stage {@code {filters, blocks: [...]}}; every
 *       stage after the first starts with a stride-2 residual unit to its filters (a projection
 *       shortcut), as ResNet and NAS-Bench-201 downsample; its blocks default to its filters.
 *   <li><b>Cells</b>: top-level {@code edges} (one op per edge of a cell of {@code nodes} nodes,
 *       default from the count), repeated {@code cellRepeat} times (default 2) in each of {@code
 *       cellStages} stages (default 3), the channels doubling at each stride-2 residual reduction.
 * </ul>
 */
final class ImageMapper {

  /** Top-level names the image part reads. */
  static final Set<String> TOP_NAMES = Set.of("stem", "stemStride", "stages", "edges", "nodes", "cellRepeat",
      "cellStages");

  /** Names inside an image block. */
  static final Set<String> BLOCK_NAMES = Set.of("type", "filters", "kernel", "stride", "repeat", "activation",
      "batchNorm", "dropout", "separable", "dilation", "mode", "size", "branches", "edges", "nodes");

  /** The image block types. */
  static final List<String> TYPES = List.of("conv", "conv_residual", "conv_inception", "pool", "cell");

  private ImageMapper() {}

  /** Whether {@code type} names an image block. */
  static boolean isImageType(String type) {
    return TYPES.contains(type);
  }

  /** The stem's channels: {@code stem} (0 for none), default 16. */
  static int stem(Map<String, Object> v) {
    return v.containsKey("stem") ? integer("stem", v.get("stem"), 0) : 16;
  }

  /** The stem block, or none; {@code stemStride} 2 halves every later resolution (and its cost by about 4). */
  static List<BlockSpec> stemBlocks(Map<String, Object> v) {
    int filters = stem(v);
    int stride = v.containsKey("stemStride") ? positive("stemStride", v.get("stemStride")) : 1;
    if (stride > 2) {
      throw new Reject("stemStride: must be 1 or 2, got " + stride);
    }
    if (filters == 0 && stride != 1) {
      throw new Reject("stemStride: there is no stem to stride (stem is 0); drop stemStride or set stem");
    }
    return filters == 0 ? List.of() : List.of(ConvBlock.of(filters, 3).withStride(stride).withBatchNorm(true));
  }

  /** Global average pooling after the image blocks, unless they end with a global pool already. */
  static void head(List<BlockSpec> blocks) {
    int lastImage = -1;
    for (int i = 0; i < blocks.size(); i++) {
      if (blocks.get(i) instanceof ImageBlock) {
        lastImage = i;
      }
    }
    if (lastImage >= 0 && !(blocks.get(lastImage) instanceof PoolBlock p && p.mode() == PoolMode.GLOBAL)) {
      blocks.add(lastImage + 1, PoolBlock.global());
    }
  }

  /** A network of {@code cellStages} stages of {@code cellRepeat} cells, reduced between stages. */
  static List<BlockSpec> cells(Map<String, Object> v, Activation activation) {
    int stem = stem(v);
    if (stem == 0) {
      throw new Reject("stem: a cell network needs a stem to set its channels; use 16");
    }
    CellBlock cell = cell("edges", v.get("edges"), v.get("nodes"), activation,
        v.containsKey("cellRepeat") ? positive("cellRepeat", v.get("cellRepeat")) : 2);
    int stages = v.containsKey("cellStages") ? positive("cellStages", v.get("cellStages")) : 3;
    List<BlockSpec> out = new ArrayList<>(stemBlocks(v));
    int channels = stem;
    for (int s = 0; s < stages; s++) {
      if (s > 0) {
        channels *= 2;
        out.add(new ConvResidualBlock(channels, 3, 2, true, Activation.RELU, 1, null));
      }
      out.add(cell);
    }
    head(out);
    return out;
  }

  /**
   * Stages of blocks, each stage after the first downsampled by a stride-2 residual unit. A stage
   * whose resolution the reductions have made smaller than a kernel of its blocks is a mistake in the
   * space (the kernel would mostly see padding), not a point to train.
   */
  static List<BlockSpec> stages(Object group, Map<String, Object> top, Activation topActivation, ImageShape image) {
    if (!(group instanceof List<?> list) || list.isEmpty()) {
      throw new Reject("'stages' must be a repeat group of stages, got " + show(group));
    }
    List<BlockSpec> out = new ArrayList<>(stemBlocks(top));
    int stride = out.isEmpty() ? 1 : ((ConvBlock) out.getFirst()).stride();
    int height = ceilDiv(image.height(), stride);
    int width = ceilDiv(image.width(), stride);
    for (int s = 0; s < list.size(); s++) {
      String where = "stages/" + s;
      if (!(list.get(s) instanceof Map<?, ?> m)) {
        throw new Reject(where + " must be a map with filters and blocks, got " + show(list.get(s)));
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> stage = (Map<String, Object>) m;
      for (String k : stage.keySet()) {
        if (!Set.of("filters", "blocks").contains(k)) {
          throw new Reject(where + ": unknown stage parameter '" + k + "'; a stage has filters and blocks");
        }
      }
      int filters = positive(where + "/filters", Params.require(where, stage, "filters"));
      if (s > 0) {
        out.add(new ConvResidualBlock(filters, 3, 2, true, Activation.RELU, 1, null));
        height = ceilDiv(height, 2);
        width = ceilDiv(width, 2);
      }
      Object blocks = stage.get("blocks");
      if (!(blocks instanceof List<?> bl)) {
        throw new Reject(where + "/blocks must be a repeat group of blocks, got " + show(blocks));
      }
      for (int i = 0; i < bl.size(); i++) {
        if (!(bl.get(i) instanceof Map<?, ?> bm)) {
          throw new Reject(where + "/blocks/" + i + " must be a map of block parameters, got " + show(bl.get(i)));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> b = (Map<String, Object>) bm;
        String type = b.containsKey("type") ? string(where + "/blocks/" + i + "/type", b.get("type")) : "conv";
        BlockSpec built = block(where + "/blocks/" + i, type.toLowerCase(Locale.ROOT), b, topActivation, filters);
        int kernel = widestKernel(built);
        if (Math.min(height, width) < kernel) {
          throw new Reject(where + ": stage " + (s + 1) + " of " + list.size() + " runs at " + height + "x" + width
              + " (the " + image.height() + "x" + image.width() + " image after " + (stride > 1 ? "a stride-" + stride
              + " stem and " : "") + s + " stride-2 reductions), smaller than the " + kernel + "x" + kernel
              + " kernel of blocks/" + i + "; allow fewer stages or use smaller kernels");
        }
        out.add(built);
      }
    }
    head(out);
    return out;
  }

  private static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }

  /** The widest window of a block's convolutions (1 for blocks without one). */
  private static int widestKernel(BlockSpec b) {
    return switch (b) {
      case ConvBlock c -> c.kernel();
      case ConvResidualBlock r -> r.kernel();
      case ConvInceptionBlock c -> c.branches().stream()
          .mapToInt(br -> br.pool() != null ? br.poolSize() : br.kernel()).max().orElse(1);
      default -> 1;
    };
  }

  /**
   * One image block.
   *
   * @param defaultFilters the channels when the block does not set {@code filters} (a stage's), or 0
   */
  static BlockSpec block(String where, String type, Map<String, Object> b, Activation topActivation,
      int defaultFilters) {
    for (String k : b.keySet()) {
      if (!BLOCK_NAMES.contains(k)) {
        String near = SpecNames.suggest(k, BLOCK_NAMES);
        throw new Reject(where + ": unknown block parameter '" + k + "'" + (near == null ? "" : " (did you mean '" + near
            + "'?)") + "; known: " + String.join(", ", new TreeSet<>(BLOCK_NAMES)));
      }
    }
    Activation activation = b.containsKey("activation") ? activation(where + "/activation", b.get("activation"))
        : topActivation == null ? Activation.RELU : topActivation;
    Double dropout = b.containsKey("dropout") ? fraction(where + "/dropout", b.get("dropout")) : null;
    int repeat = b.containsKey("repeat") ? positive(where + "/repeat", b.get("repeat")) : 1;
    int stride = b.containsKey("stride") ? positive(where + "/stride", b.get("stride")) : 1;
    only(where, type, b, switch (type) {
      case "conv" -> Set.of("filters", "kernel", "stride", "repeat", "activation", "batchNorm", "dropout", "separable",
          "dilation");
      case "conv_residual" -> Set.of("filters", "kernel", "stride", "repeat", "activation", "batchNorm", "dropout");
      case "conv_inception" -> Set.of("branches", "activation", "batchNorm", "dropout");
      case "pool" -> Set.of("mode", "size", "stride");
      default -> Set.of("edges", "nodes", "repeat", "activation");
    });
    return switch (type) {
      case "conv" -> {
        int kernel = b.containsKey("kernel") ? positive(where + "/kernel", b.get("kernel")) : 3;
        int dilation = b.containsKey("dilation") ? positive(where + "/dilation", b.get("dilation")) : 1;
        boolean separable = b.containsKey("separable") && bool(where + "/separable", b.get("separable"));
        boolean bn = !b.containsKey("batchNorm") || bool(where + "/batchNorm", b.get("batchNorm"));
        yield new ConvBlock(filters(where, b, defaultFilters), kernel, stride, Padding.SAME, dilation, 1, false,
            separable, null, bn, activation, repeat, dropout);
      }
      case "conv_residual" -> {
        int kernel = b.containsKey("kernel") ? positive(where + "/kernel", b.get("kernel")) : 3;
        boolean bn = !b.containsKey("batchNorm") || bool(where + "/batchNorm", b.get("batchNorm"));
        yield new ConvResidualBlock(filters(where, b, defaultFilters), kernel, stride, bn, activation, repeat, dropout);
      }
      case "conv_inception" -> {
        boolean bn = b.containsKey("batchNorm") && bool(where + "/batchNorm", b.get("batchNorm"));
        yield new ConvInceptionBlock(branches(where, b.get("branches"), defaultFilters), activation, bn, dropout);
      }
      case "pool" -> {
        PoolMode mode = b.containsKey("mode") ? named(where + "/mode", b.get("mode"), PoolMode::of) : PoolMode.MAX;
        if (mode == PoolMode.GLOBAL) {
          yield PoolBlock.global();
        }
        int size = b.containsKey("size") ? positive(where + "/size", b.get("size")) : 2;
        yield new PoolBlock(mode, size, b.containsKey("stride") ? stride : size, 0);
      }
      case "cell" -> cell(where + "/edges", b.get("edges"), b.get("nodes"), activation, repeat);
      default -> throw new IllegalStateException("not an image block type: " + type);
    };
  }

  private static void only(String where, String type, Map<String, Object> b, Set<String> allowed) {
    for (String k : b.keySet()) {
      if (!k.equals("type") && !allowed.contains(k)) {
        throw new Reject(where + ": '" + k + "' does not apply to a " + type + " block; add \"when\": {\"type\": ...}"
            + " to it in the space so that only the blocks it applies to get it");
      }
    }
  }

  private static int filters(String where, Map<String, Object> b, int defaultFilters) {
    if (b.containsKey("filters")) {
      return positive(where + "/filters", b.get("filters"));
    }
    if (defaultFilters > 0) {
      return defaultFilters;
    }
    throw new Reject(where + ": missing 'filters'; give the block its output channels, e.g. 32");
  }

  /** Inception branches: a list of {kind, filters}; kind 1x1, 3x3, 5x5 (with a 1x1 reduction to half) or pool. */
  private static List<ConvInceptionBlock.Branch> branches(String where, Object value, int defaultFilters) {
    if (!(value instanceof List<?> list) || list.isEmpty()) {
      throw new Reject(where + "/branches must be a non-empty list of {kind, filters} branches, got " + show(value));
    }
    List<ConvInceptionBlock.Branch> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      String w = where + "/branches/" + i;
      if (!(list.get(i) instanceof Map<?, ?> m)) {
        throw new Reject(w + " must be a map with kind and filters, got " + show(list.get(i)));
      }
      for (Object k : m.keySet()) {
        if (!Set.of("kind", "filters").contains(k)) {
          throw new Reject(w + ": unknown branch parameter '" + k + "'; a branch has kind and filters");
        }
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> br = (Map<String, Object>) m;
      int filters = filters(w, br, defaultFilters);
      String kind = br.containsKey("kind") ? string(w + "/kind", br.get("kind")) : "1x1";
      out.add(switch (kind) {
        case "1x1" -> ConvInceptionBlock.Branch.of(filters, 1, null, null);
        case "3x3" -> ConvInceptionBlock.Branch.of(filters, 3, Math.max(1, filters / 2), null);
        case "5x5" -> ConvInceptionBlock.Branch.of(filters, 5, Math.max(1, filters / 2), null);
        case "pool" -> ConvInceptionBlock.Branch.of(filters, 1, null, PoolMode.MAX);
        default -> throw new Reject(w + "/kind: unknown branch kind '" + kind + "'; use 1x1, 3x3, 5x5 or pool");
      });
    }
    return out;
  }

  /** See {@link NetworkMapper#nasBench201}. */
  static java.util.Optional<String> nasBench201(Map<String, Object> v) {
    if (!(v.get("edges") instanceof List<?> list) || v.containsKey("nodes") && !Integer.valueOf(4).equals(
        v.get("nodes") instanceof Number n ? n.intValue() : null)) {
      return java.util.Optional.empty();
    }
    List<CellOpType> ops = new ArrayList<>();
    for (Object e : list) {
      Object name = e instanceof Map<?, ?> m ? m.get("op") : e;
      try {
        ops.add(CellOpType.of(String.valueOf(name)));
      } catch (RuntimeException unknown) {
        return java.util.Optional.empty();
      }
    }
    return CellBlock.nasBench201(4, ops);
  }

  /** A cell from its edge ops (names, or maps with {@code op}). */
  private static CellBlock cell(String where, Object edges, Object nodes, Activation activation, int repeat) {
    if (!(edges instanceof List<?> list) || list.isEmpty()) {
      throw new Reject(where + " must list one operation per edge, e.g. [\"conv_3x3\", \"skip_connect\", \"conv_3x3\"],"
          + " got " + show(edges));
    }
    List<CellOpType> ops = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      Object e = list.get(i) instanceof Map<?, ?> m ? m.get("op") : list.get(i);
      if (list.get(i) instanceof Map<?, ?> m && (m.size() != 1 || e == null)) {
        throw new Reject(where + "/" + i + " must be an operation name, or a map with just 'op', got " + show(list.get(i)));
      }
      ops.add(named(where + "/" + i, e, CellOpType::of));
    }
    int n = nodes == null ? 0 : integer("nodes", nodes, 2);
    int expected = n * (n - 1) / 2;
    if (n > 0 && expected != ops.size()) {
      throw new Reject(where + ": a cell of " + n + " nodes has " + expected + " edges, the configuration gives "
          + ops.size() + "; make the edges group repeat exactly " + expected + " times");
    }
    int count = n > 0 ? n : CellBlock.nodesFor(ops.size());
    if (count * (count - 1) / 2 != ops.size()) {
      throw new Reject(where + ": " + ops.size() + " edges do not make a full cell (1, 3, 6, 10... edges for 2, 3, 4, 5"
          + " nodes); make the edges group repeat that many times");
    }
    if (!CellBlock.outputReachable(count, ops)) {
      throw new Params.Unbuildable(where + ": the cell's output is unreachable: every path from its input passes a"
          + " 'none' edge");
    }
    return new CellBlock(count, ops, activation, repeat);
  }
}
