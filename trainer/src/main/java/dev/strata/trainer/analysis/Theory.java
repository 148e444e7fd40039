package dev.strata.trainer.analysis;

import dev.strata.trainer.meanfield.MeanField;
import dev.strata.trainer.spec.Activation;
import dev.strata.trainer.spec.BlockSpec;
import dev.strata.trainer.spec.CellBlock;
import dev.strata.trainer.spec.CellOpType;
import dev.strata.trainer.spec.ConvBlock;
import dev.strata.trainer.spec.ConvInceptionBlock;
import dev.strata.trainer.spec.ConvResidualBlock;
import dev.strata.trainer.spec.ImageBlock;
import dev.strata.trainer.spec.ImageShape;
import dev.strata.trainer.spec.InceptionBlock;
import dev.strata.trainer.spec.NetworkSpec;
import dev.strata.trainer.spec.PlainBlock;
import dev.strata.trainer.spec.PoolBlock;
import dev.strata.trainer.spec.ResidualBlock;
import dev.strata.trainer.spec.WeightInit;
import java.util.ArrayList;
import java.util.List;

/**
 * The mean-field prediction for a whole spec: the variance q of the output of every dense and
 * convolution layer (before any batch norm or activation), in the order and with the names of
 * {@code Network.weightedLayers()} (residual shortcuts after their branch), and the verdict. Each
 * layer sees sigma_w^2 = n_in Var(w) of the spec's initialiser ({@link MeanField#sigmaW2}) and,
 * when it has a bias, sigma_b = biasSigma; m is the mean square of its input (for the first layer,
 * of the data: 1 after standardisation):
 *
 * <pre>
 *   dense        q = sigma_w^2 m + sigma_b^2,  m' = E[phi(sqrt(q) z)^2],  chi = sigma_w^2 E[phi'(sqrt(q) z)^2]
 *   convolution  the same with n_in = C_in / groups x k x k (the kernel's fan-in) and m scaled by the
 *                fraction of (pixel, tap) pairs inside the image: zero padding feeds the rest
 *   batch norm   the activation sees q = 1 (gamma = 1, beta = 0 at initialisation)
 *   residual     out = shortcut + branch: second moments add (m_shortcut + q_branch before any post-activation);
 *                a post-activation sees that sum as Gaussian with the shortcut's mean mu (the stream's
 *                mean, tracked beside m: 0 after a weighted layer, E[phi(h)] after an activation),
 *                variance m - mu^2: a ReLU's non-negative output plus a zero-mean branch is not zero-mean
 *   inception    branches in parallel from one m; the concatenation's m is the width-weighted mean
 *   cell         node j = sum of its live edges, variances add and means add: skip and pooling pass the source's,
 *                activation-conv-BN edges give 1; a ReLU on a node that is never negative (the
 *                stem's ReLU output passed on by skips) is the identity
 *   pooling      m unchanged (it mixes neighbouring pixels, whose correlation the recursion does not track)
 * </pre>
 *
 * The verdict: with additive units (residual units, or cells where a node sums several edges),
 * {@link Verdict#ofResidual}; a chain whose every hidden layer is batch-normalised has chi_1 =
 * E[phi'^2] / E[phi^2] at q = 1 (batch norm divides the backward pass by its input's standard
 * deviation; 1 for relu: critical); any other chain, chi_1 at the fixed point of the last hidden
 * layer's (sigma_w^2, sigma_b^2), {@link Verdict#ofChain} with the depth of its longest path.
 * Immutable.
 *
 * @param chi1 the hidden chain's chi_1: sigma_w^2 E[phi'(h)^2] at its fixed point q* (E[phi'^2] /
 *     E[phi^2] at q = 1 when every hidden layer is batch-normalised). A network with additive units
 *     has it too (its plain layers' slope), though its verdict, {@link Verdict.Phase#RESIDUAL}, has none
 */
public record Theory(Activation activation, double sigmaW2, double sigmaB2, double fixedPointQ, double chi1,
    List<Layer> layers, Verdict verdict) {

  /** 1 / |ln chi_1|: the chain's depth scale xi (infinite at chi_1 = 1). */
  public double depthScale() {
    return MeanField.depthScale(chi1);
  }

  /**
   * One dense or convolution layer's prediction.
   *
   * @param q output variance (second moment) before batch norm and activation
   * @param chi sigma_w^2 E[phi'(h)^2] at that q: this layer's factor on a backpropagated gradient's square norm
   */
  public record Layer(String name, double q, double chi) {}

  /** The prediction for {@code spec} whose inputs have mean square {@code inputMeanSquare}. */
  public static Theory of(NetworkSpec spec, double inputMeanSquare) {
    return new Walk(spec).run(inputMeanSquare);
  }

  /**
   * The fraction of (output pixel, tap) pairs of a {@code kernel}-wide window at {@code stride},
   * {@code pad} and {@code dilation} whose tap lands inside an {@code in} image (1 without padding).
   */
  static double inside(ImageShape in, int kernel, int stride, int pad, int dilation) {
    return inside(in.height(), kernel, stride, pad, dilation) * inside(in.width(), kernel, stride, pad, dilation);
  }

  private static double inside(int n, int kernel, int stride, int pad, int dilation) {
    int out = ImageBlock.side(n, dilation * (kernel - 1) + 1, stride, pad);
    long hits = 0;
    for (int o = 0; o < out; o++) {
      for (int t = 0; t < kernel; t++) {
        int x = o * stride - pad + t * dilation;
        hits += x >= 0 && x < n ? 1 : 0;
      }
    }
    return (double) hits / ((long) out * kernel);
  }

  private static final class Walk {
    private final NetworkSpec spec;
    private final WeightInit init;
    private final double sb2;
    private final List<Layer> layers = new ArrayList<>();
    /** Names of the weighted layers along the longest path, in order (for the verdict's location). */
    private final List<String> path = new ArrayList<>();
    /** Stream variance after each additive unit (residual unit, or cell with a node that sums). */
    private final List<Double> additiveQ = new ArrayList<>();
    private final List<String> additiveAt = new ArrayList<>();
    private int hiddenLayers;
    private int normalisedLayers;
    private int lastFanIn;
    private int lastFanOut;
    private boolean lastBias = true;
    /** Whether the image stream is never negative (after a ReLU, say): a ReLU on it is the identity. */
    private boolean streamNonNegative;
    /**
     * The stream's mean (over units and rows; 0 for the data and after any weighted layer, a ReLU's
     * output has sqrt(q / 2 pi)): where a non-negative shortcut meets a zero-mean branch, the sum's
     * activation sees a Gaussian with this mean, not a zero-mean one.
     */
    private double mean;

    Walk(NetworkSpec spec) {
      this.spec = spec;
      double sb = spec.training().biasSigma();
      this.sb2 = sb * sb;
      this.init = MeanField.resolve(spec.training().init(), MeanField.hiddenActivation(spec), sb);
    }

    /**
     * A dense or convolution layer with these fans on input mean square m, followed by activation
     * {@code act} (after batch norm when {@code bn}); returns its output variance q.
     */
    private double weighted(String name, int fanIn, int fanOut, boolean bias, Activation act, double m, boolean bn) {
      double sw2 = MeanField.sigmaW2(init, fanIn, fanOut);
      double q = sw2 * m + (bias ? sb2 : 0);
      layers.add(new Layer(name, q, sw2 * MeanField.meanSquareDerivative(act, bn ? 1 : q)));
      return q;
    }

    private double dense(String name, int in, int out, Activation act, double m, boolean bn) {
      return weighted(name, in, out, true, act, m, bn);
    }

    /** A hidden layer on the longest path: counted for the depth, the location and the chain's sigma_w^2. */
    private void onPath(String name, int fanIn, int fanOut, boolean bias, boolean bn) {
      path.add(name);
      hiddenLayers++;
      normalisedLayers += bn ? 1 : 0;
      lastFanIn = fanIn;
      lastFanOut = fanOut;
      lastBias = bias;
    }

    private void additive(String name, double q) {
      additiveQ.add(q);
      additiveAt.add(name);
    }

    /** Mean square after activation {@code act} of a pre-activation with variance q. */
    private static double after(Activation act, double q) {
      return MeanField.meanSquare(act, q);
    }

    /**
     * Mean square after activation {@code act} of a pre-activation taken as Gaussian with mean mu and
     * second moment m (variance m - mu^2); sets the stream's {@link #mean} to the output's mean.
     */
    private double activate(Activation act, double mu, double m) {
      double[] moments = MeanField.moments(act, mu, Math.max(0, m - mu * mu));
      mean = moments[0];
      return moments[1];
    }

    Theory run(double m0) {
      double m = m0;
      int w = spec.inputs();
      ImageShape img = spec.image();
      for (int i = 0; i < spec.blocks().size(); i++) {
        BlockSpec b = spec.blocks().get(i);
        String name = "blocks." + i;
        switch (b) {
          case PlainBlock p -> {
            for (int j = 0; j < p.layers(); j++) {
              int fin = j == 0 ? w : p.width();
              double q = dense(name + ".dense" + j, fin, p.width(), p.activation(), m, p.batchNorm());
              m = activate(p.activation(), 0, p.batchNorm() ? 1 : q);
              onPath(name + ".dense" + j, fin, p.width(), true, p.batchNorm());
            }
            streamNonNegative = nonNegative(p.activation());
          }
          case ResidualBlock r -> {
            double mIn = m;
            int k = r.layers();
            double cur;
            if (r.preActivation()) {
              double h = m; // the stream is treated as a pre-activation of variance m
              for (int j = 0; j < k; j++) {
                h = dense(name + ".dense" + j, j == 0 ? w : r.width(), r.width(), Activation.LINEAR,
                    after(r.activation(), r.batchNorm() ? 1 : h), false);
                onPath(name + ".dense" + j, j == 0 ? w : r.width(), r.width(), true, r.batchNorm());
              }
              cur = h;
            } else {
              double mm = m;
              for (int j = 0; j < k - 1; j++) {
                double q = dense(name + ".dense" + j, j == 0 ? w : r.width(), r.width(), r.activation(), mm, r.batchNorm());
                mm = after(r.activation(), r.batchNorm() ? 1 : q);
                onPath(name + ".dense" + j, j == 0 ? w : r.width(), r.width(), true, r.batchNorm());
              }
              cur = dense(name + ".dense" + (k - 1), k == 1 ? w : r.width(), r.width(), Activation.LINEAR, mm, false);
              onPath(name + ".dense" + (k - 1), k == 1 ? w : r.width(), r.width(), true, r.batchNorm());
              if (r.batchNorm()) {
                cur = 1;
              }
            }
            boolean projection = w != r.width();
            double shortcut = projection ? dense(name + ".shortcut", w, r.width(), Activation.LINEAR, mIn, false) : mIn;
            double sum = shortcut + cur;
            additive(name, sum);
            double mu = projection ? 0 : mean; // the branch ends in a weighted layer: zero-mean
            if (r.preActivation()) {
              m = sum;
              mean = mu;
            } else {
              m = activate(r.activation(), mu, sum);
            }
          }
          case InceptionBlock c -> {
            double weighted = 0;
            double weightedMean = 0;
            double meanIn = mean;
            int longest = 0;
            int longestBranch = 0;
            for (int bi = 0; bi < c.branches().size(); bi++) {
              InceptionBlock.Branch br = c.branches().get(bi);
              double mm = m;
              mean = meanIn;
              for (int j = 0; j < br.layers(); j++) {
                double q = dense(name + ".branch" + bi + ".dense" + j, j == 0 ? w : br.width(), br.width(), br.activation(), mm, false);
                mm = activate(br.activation(), 0, q);
              }
              weighted += br.width() * mm;
              weightedMean += br.width() * mean;
              if (br.layers() > longest) {
                longest = br.layers();
                longestBranch = bi;
              }
            }
            InceptionBlock.Branch lb = c.branches().get(longestBranch);
            for (int j = 0; j < lb.layers(); j++) {
              onPath(name + ".branch" + longestBranch + ".dense" + j, j == 0 ? w : lb.width(), lb.width(), true, false);
            }
            m = weighted / c.concatWidth();
            mean = weightedMean / c.concatWidth();
            if (c.projection() != null) {
              m = dense(name + ".projection", c.concatWidth(), c.projection(), Activation.LINEAR, m, false);
              mean = 0;
              onPath(name + ".projection", c.concatWidth(), c.projection(), true, false);
            }
          }
          case ImageBlock ib -> m = image(name, ib, img, m);
        }
        NetworkSpec.Shape shape = spec.shapes().get(i);
        w = shape.width();
        img = shape.image();
      }
      dense("output", w, spec.outputs(), spec.outputActivation(), m, false);
      path.add("output");
      return verdict();
    }

    private Theory verdict() {
      int depth = path.size();
      Activation act = MeanField.hiddenActivation(spec);
      int fanIn = hiddenLayers > 0 ? lastFanIn : spec.inputs();
      int fanOut = hiddenLayers > 0 ? lastFanOut : spec.inputs();
      if (!additiveQ.isEmpty()) {
        double sw2 = MeanField.sigmaW2(init, fanIn, fanOut);
        MeanField.FixedPoint fp = MeanField.fixedPoint(act, sw2, lastBias ? sb2 : 0);
        Verdict v = Verdict.ofResidual(additiveQ.getFirst(), additiveAt.getFirst(), additiveQ.getLast(),
            additiveAt.getLast(), additiveQ.size(), depth);
        return new Theory(act, sw2, lastBias ? sb2 : 0, fp.q(), fp.chi1(), List.copyOf(layers), v);
      }
      if (hiddenLayers > 0 && normalisedLayers == hiddenLayers) {
        // batch norm sets q = 1 before every activation and divides the backward pass by the standard
        // deviation of its input, sigma_w^2 m: chi_1 = sigma_w^2 E[phi'^2] / (sigma_w^2 E[phi^2]) at q = 1
        double chi1 = MeanField.meanSquareDerivative(act, 1) / MeanField.meanSquare(act, 1);
        double sw2 = MeanField.sigmaW2(init, fanIn, fanOut);
        return new Theory(act, sw2, lastBias ? sb2 : 0, 1, chi1, List.copyOf(layers),
            Verdict.ofChain(chi1, MeanField.depthScale(chi1), depth, path));
      }
      double sw2 = MeanField.sigmaW2(init, fanIn, fanOut);
      double b2 = lastBias ? sb2 : 0;
      MeanField.FixedPoint fp = MeanField.fixedPoint(act, sw2, b2);
      return new Theory(act, sw2, b2, fp.q(), fp.chi1(), List.copyOf(layers),
          Verdict.ofChain(fp.chi1(), fp.depthScale(), depth, path));
    }

    // ---- image blocks: a convolution is the dense recursion with fan-in C_in / groups x k x k ----

    /**
     * A convolution whose taps land inside the image for a fraction {@code inside} of (output pixel,
     * tap) pairs (zero padding supplies the rest): q = sigma_w^2 m inside + sigma_b^2.
     */
    private double conv(String name, int inChannels, int outChannels, int kernel, int groups, boolean bias,
        Activation act, double m, double inside, boolean bn, boolean onPath) {
      int fanIn = inChannels / groups * kernel * kernel;
      int fanOut = outChannels / groups * kernel * kernel;
      double q = weighted(name, fanIn, fanOut, bias, act, m * inside, bn);
      if (onPath) {
        onPath(name, fanIn, fanOut, bias, bn);
      }
      return q;
    }

    /** Whether activation {@code a} never outputs a negative value (then a following ReLU is the identity). */
    private static boolean nonNegative(Activation a) {
      return a == Activation.RELU || a == Activation.SIGMOID || a == Activation.SOFTPLUS;
    }

    /** Mean square of the stream after image block {@code b} on input mean square m. */
    private double image(String name, ImageBlock b, ImageShape in, double m) {
      return switch (b) {
        case ConvBlock c -> {
          ImageShape s = in;
          for (int j = 0; j < c.repeat(); j++) {
            String lname = name + ".conv" + j;
            int ch = s.channels();
            int stride = j == 0 ? c.stride() : 1;
            int pad = c.padding().pixels(c.kernel(), c.dilation());
            double inside = inside(s, c.kernel(), stride, pad, c.dilation());
            double q;
            if (c.separable()) {
              double qd = conv(lname + ".depthwise", ch, ch, c.kernel(), ch, false, Activation.LINEAR, m, inside, false,
                  true);
              q = conv(lname + ".pointwise", ch, c.filters(), 1, 1, c.hasBias(), c.activation(), qd, 1, c.batchNorm(),
                  true);
            } else {
              q = conv(lname, ch, c.filters(), c.kernel(), c.groupsFor(ch), c.hasBias(), c.activation(), m, inside,
                  c.batchNorm(), true);
            }
            m = activate(c.activation(), 0, c.batchNorm() ? 1 : q);
            s = ImageBlock.window(s, c.filters(), c.kernel(), stride, pad, c.dilation(), "/kernel");
          }
          streamNonNegative = nonNegative(c.activation());
          yield m;
        }
        case PoolBlock p -> m; // pooling averages or maxes neighbouring pixels: not tracked, see the class comment
        case ConvResidualBlock r -> {
          int ch = in.channels();
          ImageShape s = in;
          boolean bn = r.batchNorm();
          for (int u = 0; u < r.repeat(); u++) {
            String uname = name + ".unit" + u;
            int stride = u == 0 ? r.stride() : 1;
            ImageShape mid = ImageBlock.window(s, r.filters(), r.kernel(), stride, r.kernel() / 2, 1, "/kernel");
            double q0 = conv(uname + ".conv0", ch, r.filters(), r.kernel(), 1, !bn, r.activation(), m,
                inside(s, r.kernel(), stride, r.kernel() / 2, 1), bn, true);
            double q1 = conv(uname + ".conv1", r.filters(), r.filters(), r.kernel(), 1, !bn, Activation.LINEAR,
                after(r.activation(), bn ? 1 : q0), inside(mid, r.kernel(), 1, r.kernel() / 2, 1), false, true);
            s = mid;
            double branch = bn ? 1 : q1;
            double shortcut = m;
            double mu = mean; // the identity shortcut carries the stream's mean; the branch is zero-mean
            if (ch != r.filters() || (u == 0 && r.stride() != 1)) {
              double qs = conv(uname + ".shortcut", ch, r.filters(), 1, 1, !bn, Activation.LINEAR, m, 1, false, false);
              shortcut = bn ? 1 : qs;
              mu = 0;
            }
            double sum = shortcut + branch;
            additive(uname, sum);
            if (r.activation() == Activation.LINEAR) {
              m = sum;
              mean = mu;
            } else {
              m = activate(r.activation(), mu, sum);
            }
            ch = r.filters();
          }
          streamNonNegative = nonNegative(r.activation());
          yield m;
        }
        case ConvInceptionBlock c -> {
          boolean bn = c.batchNorm();
          double weightedQ = 0;
          int longest = 0; // the first branch with a reduction (two convolutions deep), else the first
          for (int i = c.branches().size() - 1; i >= 0; i--) {
            longest = c.branches().get(i).reduce() != null ? i : longest;
          }
          for (int i = 0; i < c.branches().size(); i++) {
            ConvInceptionBlock.Branch br = c.branches().get(i);
            String bname = name + ".branch" + i;
            double mm = m;
            int ch = in.channels();
            if (br.reduce() != null) {
              double qr = conv(bname + ".reduce", ch, br.reduce(), 1, 1, !bn, c.activation(), mm, 1, bn, false);
              mm = after(c.activation(), bn ? 1 : qr);
              ch = br.reduce();
            }
            double q = conv(bname + ".conv", ch, br.filters(), br.kernel(), 1, !bn, c.activation(), mm,
                inside(in, br.kernel(), 1, br.kernel() / 2, 1), false, false);
            weightedQ += br.filters() * (bn ? 1 : q);
          }
          ConvInceptionBlock.Branch lb = c.branches().get(longest);
          String lname = name + ".branch" + longest;
          if (lb.reduce() != null) {
            onPath(lname + ".reduce", in.channels(), lb.reduce(), !bn, bn);
          }
          int lin = lb.reduce() != null ? lb.reduce() : in.channels();
          onPath(lname + ".conv", lin * lb.kernel() * lb.kernel(), lb.filters() * lb.kernel() * lb.kernel(), !bn, bn);
          double q = weightedQ / c.filters();
          streamNonNegative = nonNegative(c.activation());
          if (c.activation() == Activation.LINEAR) {
            mean = 0;
            yield q;
          }
          yield activate(c.activation(), 0, q);
        }
        case CellBlock c -> {
          for (int r = 0; r < c.repeat(); r++) {
            m = cell(name + ".cell" + r, c, in, m);
          }
          yield m;
        }
      };
    }

    /**
     * One cell: node 0 has second moment m; node j is the sum of its live edges' outputs, taken as
     * independent (variances add): a skip or pooling edge passes its source's variance, a convolution
     * edge (activation, convolution, batch norm) gives 1. The longest chain of convolutions counts
     * for the depth; a cell where some node sums two or more edges counts as additive.
     */
    private double cell(String name, CellBlock c, ImageShape in, double m) {
      int n = c.nodes();
      int ch = in.channels();
      double[] v = new double[n];
      double[] mu = new double[n];
      double[] var = new double[n];
      boolean[] nonNeg = new boolean[n];
      List<List<PathLayer>> chains = new ArrayList<>();
      for (int j = 0; j < n; j++) {
        chains.add(List.of());
      }
      v[0] = m;
      mu[0] = mean;
      nonNeg[0] = streamNonNegative;
      boolean sums = false;
      for (int to = 1; to < n; to++) {
        int incoming = 0;
        nonNeg[to] = true;
        for (int from = 0; from < to; from++) {
          if (!c.live(from, to)) {
            continue;
          }
          incoming++;
          String ename = name + ".edge" + from + to;
          CellOpType op = c.edge(from, to);
          List<PathLayer> chain = new ArrayList<>(chains.get(from));
          // the edge's activation: the identity for a ReLU on a non-negative node, else on a Gaussian
          // with the node's mean (a skip's non-negative mean plus zero-mean convolution outputs)
          double mIn = nonNeg[from] && c.activation() == Activation.RELU ? v[from]
              : MeanField.moments(c.activation(), mu[from], Math.max(0, v[from] - mu[from] * mu[from]))[1];
          switch (op) {
            case CONV_1X1, CONV_3X3 -> {
              int k = op == CellOpType.CONV_1X1 ? 1 : 3;
              conv(ename, ch, ch, k, 1, false, c.activation(), mIn, inside(in, k, 1, k / 2, 1), true, false);
              chain.add(new PathLayer(ename, ch * k * k, ch * k * k));
              var[to] += 1;
              nonNeg[to] = false;
            }
            case SEP_CONV_3X3, DIL_CONV_3X3 -> {
              int d = op == CellOpType.DIL_CONV_3X3 ? 2 : 1;
              double qd = conv(ename + ".depthwise", ch, ch, 3, ch, false, Activation.LINEAR, mIn, inside(in, 3, 1, d, d),
                  false, false);
              conv(ename + ".pointwise", ch, ch, 1, 1, false, c.activation(), qd, 1, true, false);
              chain.add(new PathLayer(ename + ".depthwise", 9, 9));
              chain.add(new PathLayer(ename + ".pointwise", ch, ch));
              var[to] += 1;
              nonNeg[to] = false;
            }
            default -> { // skip_connect, avg/max pooling (pooling's effect on the variance not tracked)
              var[to] += Math.max(0, v[from] - mu[from] * mu[from]);
              mu[to] += mu[from];
              nonNeg[to] &= nonNeg[from];
            }
          }
          if (chain.size() >= chains.get(to).size()) {
            chains.set(to, chain);
          }
        }
        sums |= incoming > 1;
        v[to] = var[to] + mu[to] * mu[to];
      }
      for (PathLayer l : chains.get(n - 1)) {
        onPath(l.name(), l.fanIn(), l.fanOut(), false, true);
      }
      if (sums) {
        additive(name, v[n - 1]);
      }
      streamNonNegative = nonNeg[n - 1];
      mean = mu[n - 1];
      return v[n - 1];
    }
  }

  /** A convolution on a cell's longest chain. */
  private record PathLayer(String name, int fanIn, int fanOut) {}
}
