package dev.strata.trainer.nn;

import dev.strata.trainer.init.CountingRandom;
import dev.strata.trainer.kernel.ConvKernel;
import dev.strata.trainer.kernel.ConvShape;
import dev.strata.trainer.kernel.GemmContext;
import dev.strata.trainer.spec.Activation;
import dev.strata.trainer.spec.CellBlock;
import dev.strata.trainer.spec.CellOpType;
import dev.strata.trainer.spec.ConvBlock;
import dev.strata.trainer.spec.ConvInceptionBlock;
import dev.strata.trainer.spec.ConvResidualBlock;
import dev.strata.trainer.spec.ImageBlock;
import dev.strata.trainer.spec.ImageShape;
import dev.strata.trainer.spec.PoolBlock;
import dev.strata.trainer.spec.PoolMode;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the layers of the {@link ImageBlock}s of one network (the spec's javadoc says what each
 * block is), reserving their parameters in the network's stores; it also tracks the widest per-row
 * buffer and scratch it created, for the network's array-size check. Construction allocates no
 * activation buffers. Not thread-safe; used while one network is planned.
 */
final class ImageBlocks {

  private final ParameterStore params;
  private final ParameterStore state;
  private final GemmContext gemm;
  private final CountingRandom dropoutRng;
  private final double defaultDropout;
  private long widest;
  private final List<ConvShape> convolutions = new ArrayList<>();

  ImageBlocks(ParameterStore params, ParameterStore state, GemmContext gemm, CountingRandom dropoutRng,
      double defaultDropout) {
    this.params = params;
    this.state = state;
    this.gemm = gemm;
    this.dropoutRng = dropoutRng;
    this.defaultDropout = defaultDropout;
  }

  /** The widest single buffer (floats per row, or scratch floats) of the layers built so far. */
  long widest() {
    return widest;
  }

  /** The shapes of the convolutions built so far, in order. */
  List<ConvShape> convolutions() {
    return List.copyOf(convolutions);
  }

  /**
   * The layers of block {@code b}, between {@code previous} and {@code next} (null at either end).
   * A ReLU that ends a conv block without batch norm or dropout moves past a max pooling that
   * follows: max(relu(x)) = relu(max(x)), so the forward values are the same and the backward
   * gradients too (up to the sign of zeros), while the ReLU touches a quarter of the values.
   */
  Layer build(String name, ImageBlock b, ImageShape in, ImageBlock previous, ImageBlock next) {
    return switch (b) {
      case ConvBlock c -> conv(name, c, in, reluMovesPast(c, next));
      case PoolBlock p -> pool(p, in, reluMovesPast(previous, p));
      case ConvResidualBlock r -> residual(name, r, in);
      case ConvInceptionBlock c -> inception(name, c, in);
      case CellBlock c -> cells(name, c, in);
    };
  }

  private double rate(Double own) {
    return own != null ? own : defaultDropout;
  }

  private Conv2d conv(String name, ConvShape s, boolean bias) {
    widest = Math.max(widest, Math.max(Math.max(s.inSize(), s.outSize()), Math.max(ConvKernel.colFloats(s), ConvKernel.dcolFloats(s))));
    convolutions.add(s);
    return new Conv2d(name, s, bias, params, gemm);
  }

  private static ImageShape out(ConvShape s) {
    return new ImageShape(s.outChannels(), s.outHeight(), s.outWidth());
  }

  /** conv -> [BN] -> [activation], appended to {@code layers}; returns the output shape. */
  private ImageShape convBnAct(List<Layer> layers, String name, ConvShape s, boolean bn, Activation act) {
    layers.add(conv(name, s, !bn));
    ImageShape o = out(s);
    normAct(layers, name, o, bn, act);
    return o;
  }

  /** [BN] -> [activation] on {@code o} after layer {@code name}; a ReLU after batch norm is fused into it (same bits, fewer passes). */
  private void normAct(List<Layer> layers, String name, ImageShape o, boolean bn, Activation act) {
    String bnName = name + ".bn";
    if (bn && act == Activation.RELU) {
      layers.add(BatchNorm.imagesWithRelu(bnName, o.channels(), o.plane(), params, state));
      return;
    }
    if (bn) {
      layers.add(new BatchNorm(bnName, o.channels(), o.plane(), params, state));
    }
    if (act != Activation.LINEAR) {
      layers.add(new ActivationLayer(name + ".act", o.channels(), o.plane(), act));
    }
  }

  private Layer conv(String name, ConvBlock c, ImageShape in, boolean leaveReluToPool) {
    List<Layer> layers = new ArrayList<>();
    ImageShape s = in;
    double rate = rate(c.dropout());
    for (int j = 0; j < c.repeat(); j++) {
      int stride = j == 0 ? c.stride() : 1;
      int pad = c.padding().pixels(c.kernel(), c.dilation());
      String lname = name + ".conv" + j;
      ConvShape cs;
      if (c.separable()) {
        ConvShape dw = new ConvShape(s.channels(), s.height(), s.width(), s.channels(), c.kernel(), stride, pad,
            c.dilation(), s.channels());
        layers.add(conv(lname + ".depthwise", dw, false));
        cs = new ConvShape(s.channels(), dw.outHeight(), dw.outWidth(), c.filters(), 1, 1, 0, 1, 1);
        lname = lname + ".pointwise";
      } else {
        cs = new ConvShape(s.channels(), s.height(), s.width(), c.filters(), c.kernel(), stride, pad, c.dilation(),
            c.groupsFor(s.channels()));
      }
      layers.add(conv(lname, cs, c.hasBias()));
      s = out(cs);
      boolean last = j == c.repeat() - 1;
      normAct(layers, lname, s, c.batchNorm(), last && leaveReluToPool ? Activation.LINEAR : c.activation());
      if (rate > 0) {
        layers.add(new Dropout(s.size(), rate, dropoutRng));
      }
    }
    return new Sequential(in.size(), layers);
  }

  /** Whether the ReLU ending {@code b} moves into the max pooling {@code next}. */
  private boolean reluMovesPast(ImageBlock b, ImageBlock next) {
    return b instanceof ConvBlock c && next instanceof PoolBlock p && p.mode() == PoolMode.MAX
        && c.activation() == Activation.RELU && !c.batchNorm() && rate(c.dropout()) == 0;
  }

  private Layer pool(PoolBlock p, ImageShape in, boolean relu) {
    if (p.mode() == PoolMode.GLOBAL) {
      return new GlobalAvgPool(in.channels(), in.plane());
    }
    Pool2d l = new Pool2d(p.mode() == PoolMode.MAX, in.channels(), in.height(), in.width(), p.size(), p.stride(),
        p.padding(), relu);
    widest = Math.max(widest, l.inputWidth());
    return l;
  }

  private Layer residual(String name, ConvResidualBlock r, ImageShape in) {
    List<Layer> units = new ArrayList<>();
    ImageShape s = in;
    boolean bn = r.batchNorm();
    int k = r.kernel();
    double rate = rate(r.dropout());
    for (int u = 0; u < r.repeat(); u++) {
      String uname = name + ".unit" + u;
      int stride = u == 0 ? r.stride() : 1;
      List<Layer> f = new ArrayList<>();
      ConvShape a = new ConvShape(s.channels(), s.height(), s.width(), r.filters(), k, stride, k / 2, 1, 1);
      ImageShape mid = convBnAct(f, uname + ".conv0", a, bn, r.activation());
      ConvShape b = new ConvShape(mid.channels(), mid.height(), mid.width(), r.filters(), k, 1, k / 2, 1, 1);
      ImageShape o = convBnAct(f, uname + ".conv1", b, bn, Activation.LINEAR);
      Layer shortcut = null;
      if (s.channels() != r.filters() || stride != 1) {
        List<Layer> sc = new ArrayList<>();
        convBnAct(sc, uname + ".shortcut", new ConvShape(s.channels(), s.height(), s.width(), r.filters(), 1, stride, 0,
            1, 1), bn, Activation.LINEAR);
        shortcut = new Sequential(s.size(), sc);
      }
      Dropout drop = rate > 0 ? new Dropout(o.size(), rate, dropoutRng) : null;
      ActivationLayer post = r.activation() == Activation.LINEAR ? null : new ActivationLayer(uname + ".act", o.channels(),
          o.plane(), r.activation());
      units.add(new Residual(new Sequential(s.size(), f), shortcut, drop, post));
      s = o;
    }
    return new Sequential(in.size(), units);
  }

  private Layer inception(String name, ConvInceptionBlock c, ImageShape in) {
    List<Layer> branches = new ArrayList<>();
    boolean bn = c.batchNorm();
    for (int i = 0; i < c.branches().size(); i++) {
      ConvInceptionBlock.Branch b = c.branches().get(i);
      String bname = name + ".branch" + i;
      List<Layer> layers = new ArrayList<>();
      ImageShape s = in;
      if (b.pool() != null) {
        int ps = b.poolSize();
        Pool2d p = new Pool2d(b.pool() == PoolMode.MAX, s.channels(), s.height(), s.width(), ps, 1, ps / 2);
        layers.add(p);
        widest = Math.max(widest, p.inputWidth());
      }
      if (b.reduce() != null) {
        s = convBnAct(layers, bname + ".reduce", new ConvShape(s.channels(), s.height(), s.width(), b.reduce(), 1, 1, 0,
            1, 1), bn, c.activation());
      }
      convBnAct(layers, bname + ".conv", new ConvShape(s.channels(), s.height(), s.width(), b.filters(), b.kernel(), 1,
          b.kernel() / 2, 1, 1), bn, Activation.LINEAR);
      branches.add(new Sequential(in.size(), layers));
    }
    Inception cat = new Inception(branches, null, null);
    widest = Math.max(widest, cat.outputWidth());
    List<Layer> layers = new ArrayList<>();
    layers.add(cat);
    if (c.activation() != Activation.LINEAR) {
      layers.add(new ActivationLayer(name + ".act", c.filters(), in.plane(), c.activation()));
    }
    double rate = rate(c.dropout());
    if (rate > 0) {
      layers.add(new Dropout(cat.outputWidth(), rate, dropoutRng));
    }
    return new Sequential(in.size(), layers);
  }

  private Layer cells(String name, CellBlock c, ImageShape in) {
    List<Layer> cells = new ArrayList<>();
    for (int r = 0; r < c.repeat(); r++) {
      List<Cell.Edge> edges = new ArrayList<>();
      for (int to = 1; to < c.nodes(); to++) {
        for (int from = 0; from < to; from++) {
          if (c.live(from, to)) {
            String ename = name + ".cell" + r + ".edge" + from + to;
            edges.add(new Cell.Edge(from, to, cellOp(ename, c.edge(from, to), c.activation(), in)));
          }
        }
      }
      Cell cell = new Cell(in.size(), c.nodes(), edges);
      widest = Math.max(widest, in.size());
      cells.add(cell);
    }
    return cells.size() == 1 ? cells.getFirst() : new Sequential(in.size(), cells);
  }

  /** One edge's operation; convolutions are activation-conv-BN (ReLU in NAS-Bench-201 and DARTS). */
  private Layer cellOp(String name, CellOpType op, Activation act, ImageShape in) {
    int ch = in.channels();
    return switch (op) {
      case NONE -> throw new IllegalArgumentException("a 'none' edge computes nothing and is not built");
      case SKIP_CONNECT -> CellOp.identity(in.size());
      case AVG_POOL_3X3, MAX_POOL_3X3 -> {
        Pool2d p = new Pool2d(op == CellOpType.MAX_POOL_3X3, ch, in.height(), in.width(), 3, 1, 1);
        widest = Math.max(widest, p.inputWidth());
        yield p;
      }
      case CONV_1X1, CONV_3X3 -> {
        int k = op == CellOpType.CONV_1X1 ? 1 : 3;
        List<Layer> layers = new ArrayList<>();
        layers.add(new ActivationLayer(name + ".act", ch, in.plane(), act));
        layers.add(conv(name, new ConvShape(ch, in.height(), in.width(), ch, k, 1, k / 2, 1, 1), false));
        layers.add(new BatchNorm(name + ".bn", ch, in.plane(), params, state));
        yield new Sequential(in.size(), layers);
      }
      case SEP_CONV_3X3, DIL_CONV_3X3 -> {
        int dilation = op == CellOpType.DIL_CONV_3X3 ? 2 : 1;
        List<Layer> layers = new ArrayList<>();
        layers.add(new ActivationLayer(name + ".act", ch, in.plane(), act));
        layers.add(conv(name + ".depthwise", new ConvShape(ch, in.height(), in.width(), ch, 3, 1, dilation, dilation, ch),
            false));
        layers.add(conv(name + ".pointwise", new ConvShape(ch, in.height(), in.width(), ch, 1, 1, 0, 1, 1), false));
        layers.add(new BatchNorm(name + ".bn", ch, in.plane(), params, state));
        yield new Sequential(in.size(), layers);
      }
    };
  }
}
