package dev.strata.trainer.analysis;

import dev.strata.trainer.meanfield.MeanField;
import dev.strata.trainer.meanfield.Moments;
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
import dev.strata.trainer.spec.PoolMode;
import dev.strata.trainer.spec.ResidualBlock;
import dev.strata.trainer.spec.WeightInit;
import java.util.ArrayList;
import java.util.List;

/**
 * The mean-field prediction for a whole spec: the variance q of the output of every dense and
 * convolution layer (before any batch norm or activation), in the order and with the names of
 * {@code Network.weightedLayers()} (residual shortcuts after their branch), and the verdict. Each
 * layer sees sigma_w^2 = n_in Var(w) of the spec's initialiser ({@link MeanField#sigmaW2}) and,
 * when it has a bias, sigma_b = biasSigma. The walk carries the stream's {@link Moments}: mean mu,
 * second moment m and the off-diagonal moment m_off = E[a(x) a(x')] between two different pixels
 * (Xiao et al. 2018 track the covariance between spatial positions; with iid inputs and random
 * weights it is the same for every pair of pixels, and between two samples). For the first layer
 * they are the data's (m = 1, m_off = 0 for standardised iid inputs):
 *
 * <pre>
 *   dense        q = sigma_w^2 m + sigma_b^2,  q_off = sigma_w^2 m_off + sigma_b^2,  mu = 0,
 *                chi = sigma_w^2 E[phi'(sqrt(q) z)^2]
 *   convolution  the same with n_in = C_in / groups x k x k (the kernel's fan-in); zero padding feeds
 *                the taps that land outside: m is scaled by the fraction of (pixel, tap) pairs inside,
 *                m_off by the fraction of (pair of pixels, tap) with both inside
 *   activation   (u, v) jointly Gaussian, mean mu, variance m - mu^2, covariance m_off - mu^2:
 *                mu' = E[phi(u)], m' = E[phi(u)^2], m_off' = E[phi(u) phi(v)] (2-D quadrature)
 *   batch norm   removes the per-channel offset: q = 1, q_off = 0 (gamma = 1, beta = 0 at initialisation)
 *   residual     out = shortcut + branch, independent: means add, variances and covariances add
 *                (a ReLU's non-negative output plus a zero-mean branch is not zero-mean)
 *   inception    branches in parallel from one input; the concatenation's moments are width-weighted means
 *   cell         node j = sum of its live edges, as for residual sums: skip and max pooling pass the
 *                source's moments, average pooling pools them, activation-conv-BN edges give batch
 *                norm's; a ReLU on a node that is never negative (the stem's ReLU output passed on by
 *                skips) is the identity
 *   avg pooling  over P pixels (global: P = H W): m' = m_off + (m - m_off) E[1/P], m_off' = m_off for
 *                windows that do not overlap; padding is not counted, overlapping windows add their
 *                shared pixels to m_off exactly, averaged over pairs ({@link #poolFactors})
 *   max pooling  moments unchanged (a max of correlated Gaussians has no clean rule: not tracked)
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
   * @param qOff its off-diagonal moment: between two different pixels of one image (of a dense
   *     layer, or an image of one pixel: between two samples); see {@link Moments}
   * @param chi sigma_w^2 E[phi'(h)^2] at that q: this layer's factor on a backpropagated gradient's square norm
   */
  public record Layer(String name, double q, double qOff, double chi) {}

  /** The prediction for {@code spec} whose inputs are iid with mean 0 and mean square {@code inputMeanSquare}. */
  public static Theory of(NetworkSpec spec, double inputMeanSquare) {
    return of(spec, new Moments(0, inputMeanSquare, 0));
  }

  /** The prediction for {@code spec} whose inputs have moments {@code input} (see {@link Moments}). */
  public static Theory of(NetworkSpec spec, Moments input) {
    return new Walk(spec).run(input);
  }

  /**
   * The fraction of (output pixel, tap) pairs of a {@code kernel}-wide window at {@code stride},
   * {@code pad} and {@code dilation} whose tap lands inside an {@code in} image (1 without padding).
   */
  static double inside(ImageShape in, int kernel, int stride, int pad, int dilation) {
    return Window.of(in, kernel, stride, pad, dilation).inside();
  }

  /**
   * The fraction of (pair of different output pixels, tap) whose two taps both land inside (the
   * pixel's {@link #inside} fraction when the output has one pixel).
   */
  static double pairsInside(ImageShape in, int kernel, int stride, int pad, int dilation) {
    return Window.of(in, kernel, stride, pad, dilation).pairsInside();
  }

  /**
   * Where a convolution's taps land: per axis, the number of output pixels at which each tap falls
   * inside the image. {@link #inside} is the fraction of (output pixel, tap) pairs inside (what the
   * diagonal moment sees), {@link #pairsInside} the fraction of (pair of different output pixels,
   * tap) with both taps inside (what the off-diagonal one sees: 0.71 against 0.84 for a 3x3 'same'
   * window on 8x8); with one output pixel there are no pairs, and the off-diagonal moment is that
   * between two samples at the pixel, which sees {@link #inside}.
   */
  private record Window(int[] rows, int[] cols, int outRows, int outCols) {

    static Window of(ImageShape in, int kernel, int stride, int pad, int dilation) {
      int span = dilation * (kernel - 1) + 1;
      return new Window(hits(in.height(), kernel, stride, pad, dilation), hits(in.width(), kernel, stride, pad, dilation),
          ImageBlock.side(in.height(), span, stride, pad), ImageBlock.side(in.width(), span, stride, pad));
    }

    private static int[] hits(int n, int kernel, int stride, int pad, int dilation) {
      int out = ImageBlock.side(n, dilation * (kernel - 1) + 1, stride, pad);
      int[] hits = new int[kernel];
      for (int o = 0; o < out; o++) {
        for (int t = 0; t < kernel; t++) {
          int x = o * stride - pad + t * dilation;
          hits[t] += x >= 0 && x < n ? 1 : 0;
        }
      }
      return hits;
    }

    private static double sum(int[] v, int power) {
      double s = 0;
      for (int x : v) {
        s += power == 1 ? x : (double) x * x;
      }
      return s;
    }

    double inside() {
      return sum(rows, 1) / ((double) outRows * rows.length) * sum(cols, 1) / ((double) outCols * cols.length);
    }

    double pairsInside() {
      double n = (double) outRows * outCols;
      if (n < 2) {
        return inside();
      }
      // tap (i, j) is inside at rows[i] cols[j] output pixels, so at N (N - 1) ordered pairs of them
      double both = sum(rows, 2) * sum(cols, 2) - sum(rows, 1) * sum(cols, 1);
      return both / ((double) rows.length * cols.length * n * (n - 1));
    }
  }

  /**
   * Average pooling's two factors for {@link Moments#pooled}: windows of {@code size} at {@code
   * stride} with {@code pad} uncounted pixels; global pooling is one window over the whole image.
   * Overlapping windows (stride &lt; size) are counted exactly: E[A_y A_y'] = m_off + (m - m_off)
   * |W_y cap W_y'| / (P_y P_y'), averaged over the pairs of different output pixels (one number: the
   * correlation that overlap gives neighbours more than distant pixels is averaged over offsets).
   */
  static double[] poolFactors(ImageShape in, int size, int stride, int pad, boolean global) {
    if (global) {
      return new double[] {1.0 / in.plane(), 0};
    }
    double[] r = poolAxis(in.height(), size, stride, pad);
    double[] c = poolAxis(in.width(), size, stride, pad);
    double n = r[2] * c[2];
    double diagonal = r[0] * c[0] / n;
    double offDiagonal = n < 2 ? 0 : (r[1] * c[1] - r[0] * c[0]) / (n * (n - 1));
    return new double[] {diagonal, offDiagonal};
  }

  /** Per axis: {sum_o 1 / p_o, sum_{o, o'} |w_o cap w_o'| / (p_o p_o'), outputs}, p_o the pixels window o counts. */
  private static double[] poolAxis(int n, int size, int stride, int pad) {
    int out = ImageBlock.side(n, size, stride, pad);
    int[] lo = new int[out];
    int[] hi = new int[out];
    double diagonal = 0;
    for (int o = 0; o < out; o++) {
      lo[o] = Math.max(0, o * stride - pad);
      hi[o] = Math.min(n, o * stride - pad + size);
      diagonal += 1.0 / (hi[o] - lo[o]);
    }
    double all = 0;
    for (int o = 0; o < out; o++) {
      for (int p = 0; p < out; p++) {
        int overlap = Math.min(hi[o], hi[p]) - Math.max(lo[o], lo[p]);
        all += overlap > 0 ? (double) overlap / ((hi[o] - lo[o]) * (hi[p] - lo[p])) : 0;
      }
    }
    return new double[] {diagonal, all, out};
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

    Walk(NetworkSpec spec) {
      this.spec = spec;
      double sb = spec.training().biasSigma();
      this.sb2 = sb * sb;
      this.init = MeanField.resolve(spec.training().init(), MeanField.hiddenActivation(spec), sb);
    }

    /**
     * A dense or convolution layer with these fans on input {@code in}, whose taps land inside the
     * image for the fractions {@code inside} and {@code pairs} ({@link Window}), followed by activation
     * {@code act} (after batch norm when {@code bn}); returns its output (pre-activation) moments.
     */
    private Moments weighted(String name, int fanIn, int fanOut, boolean bias, Activation act, Moments in,
        double inside, double pairs, boolean bn) {
      double sw2 = MeanField.sigmaW2(init, fanIn, fanOut);
      double b2 = bias ? sb2 : 0;
      Moments q = Moments.preActivation(sw2 * in.square() * inside + b2, sw2 * in.cross() * pairs + b2);
      layers.add(new Layer(name, q.square(), q.cross(), sw2 * MeanField.meanSquareDerivative(act, bn ? 1 : q.square())));
      return q;
    }

    private Moments dense(String name, int in, int out, Activation act, Moments m, boolean bn) {
      return weighted(name, in, out, true, act, m, 1, 1, bn);
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

    private void additive(String name, Moments sum) {
      additiveQ.add(sum.square());
      additiveAt.add(name);
    }

    /** The moments after activation {@code act} (after batch norm when {@code bn}) of pre-activation {@code q}. */
    private static Moments activate(Activation act, Moments q, boolean bn) {
      return MeanField.activate(act, bn ? Moments.NORMALISED : q);
    }

    Theory run(Moments input) {
      Moments m = input;
      int w = spec.inputs();
      ImageShape img = spec.image();
      for (int i = 0; i < spec.blocks().size(); i++) {
        BlockSpec b = spec.blocks().get(i);
        String name = "blocks." + i;
        switch (b) {
          case PlainBlock p -> {
            for (int j = 0; j < p.layers(); j++) {
              int fin = j == 0 ? w : p.width();
              Moments q = dense(name + ".dense" + j, fin, p.width(), p.activation(), m, p.batchNorm());
              m = activate(p.activation(), q, p.batchNorm());
              onPath(name + ".dense" + j, fin, p.width(), true, p.batchNorm());
            }
            streamNonNegative = nonNegative(p.activation());
          }
          case ResidualBlock r -> {
            Moments in = m;
            int k = r.layers();
            Moments branch;
            if (r.preActivation()) {
              Moments h = m; // the stream is the first activation's input
              for (int j = 0; j < k; j++) {
                h = dense(name + ".dense" + j, j == 0 ? w : r.width(), r.width(), Activation.LINEAR,
                    activate(r.activation(), h, r.batchNorm()), false);
                onPath(name + ".dense" + j, j == 0 ? w : r.width(), r.width(), true, r.batchNorm());
              }
              branch = h;
            } else {
              Moments mm = m;
              for (int j = 0; j < k - 1; j++) {
                Moments q = dense(name + ".dense" + j, j == 0 ? w : r.width(), r.width(), r.activation(), mm, r.batchNorm());
                mm = activate(r.activation(), q, r.batchNorm());
                onPath(name + ".dense" + j, j == 0 ? w : r.width(), r.width(), true, r.batchNorm());
              }
              branch = dense(name + ".dense" + (k - 1), k == 1 ? w : r.width(), r.width(), Activation.LINEAR, mm, false);
              onPath(name + ".dense" + (k - 1), k == 1 ? w : r.width(), r.width(), true, r.batchNorm());
              if (r.batchNorm()) {
                branch = Moments.NORMALISED;
              }
            }
            Moments shortcut = w != r.width() ? dense(name + ".shortcut", w, r.width(), Activation.LINEAR, in, false) : in;
            Moments sum = shortcut.plus(branch);
            additive(name, sum);
            m = r.preActivation() ? sum : MeanField.activate(r.activation(), sum);
          }
          case InceptionBlock c -> {
            List<Moments> outs = new ArrayList<>();
            int[] widths = new int[c.branches().size()];
            int longest = 0;
            int longestBranch = 0;
            for (int bi = 0; bi < c.branches().size(); bi++) {
              InceptionBlock.Branch br = c.branches().get(bi);
              Moments mm = m;
              for (int j = 0; j < br.layers(); j++) {
                Moments q = dense(name + ".branch" + bi + ".dense" + j, j == 0 ? w : br.width(), br.width(),
                    br.activation(), mm, false);
                mm = MeanField.activate(br.activation(), q);
              }
              outs.add(mm);
              widths[bi] = br.width();
              if (br.layers() > longest) {
                longest = br.layers();
                longestBranch = bi;
              }
            }
            InceptionBlock.Branch lb = c.branches().get(longestBranch);
            for (int j = 0; j < lb.layers(); j++) {
              onPath(name + ".branch" + longestBranch + ".dense" + j, j == 0 ? w : lb.width(), lb.width(), true, false);
            }
            m = Moments.concat(outs, widths);
            if (c.projection() != null) {
              m = dense(name + ".projection", c.concatWidth(), c.projection(), Activation.LINEAR, m, false);
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

    /** A convolution on input {@code m} whose taps land as {@code window} says (null: a 1x1 without padding). */
    private Moments conv(String name, int inChannels, int outChannels, int kernel, int groups, boolean bias,
        Activation act, Moments m, Window window, boolean bn, boolean onPath) {
      int fanIn = inChannels / groups * kernel * kernel;
      int fanOut = outChannels / groups * kernel * kernel;
      Moments q = weighted(name, fanIn, fanOut, bias, act, m, window == null ? 1 : window.inside(),
          window == null ? 1 : window.pairsInside(), bn);
      if (onPath) {
        onPath(name, fanIn, fanOut, bias, bn);
      }
      return q;
    }

    /** Whether activation {@code a} never outputs a negative value (then a following ReLU is the identity). */
    private static boolean nonNegative(Activation a) {
      return a == Activation.RELU || a == Activation.SIGMOID || a == Activation.SOFTPLUS;
    }

    /** The stream's moments after image block {@code b} on input moments m. */
    private Moments image(String name, ImageBlock b, ImageShape in, Moments m) {
      return switch (b) {
        case ConvBlock c -> {
          ImageShape s = in;
          for (int j = 0; j < c.repeat(); j++) {
            String lname = name + ".conv" + j;
            int ch = s.channels();
            int stride = j == 0 ? c.stride() : 1;
            int pad = c.padding().pixels(c.kernel(), c.dilation());
            Window window = Window.of(s, c.kernel(), stride, pad, c.dilation());
            Moments q;
            if (c.separable()) {
              Moments qd = conv(lname + ".depthwise", ch, ch, c.kernel(), ch, false, Activation.LINEAR, m, window, false,
                  true);
              q = conv(lname + ".pointwise", ch, c.filters(), 1, 1, c.hasBias(), c.activation(), qd, null, c.batchNorm(),
                  true);
            } else {
              q = conv(lname, ch, c.filters(), c.kernel(), c.groupsFor(ch), c.hasBias(), c.activation(), m, window,
                  c.batchNorm(), true);
            }
            m = activate(c.activation(), q, c.batchNorm());
            s = ImageBlock.window(s, c.filters(), c.kernel(), stride, pad, c.dilation(), "/kernel");
          }
          streamNonNegative = nonNegative(c.activation());
          yield m;
        }
        case PoolBlock p -> {
          if (p.mode() == PoolMode.MAX) {
            yield m; // a max of correlated Gaussians has no clean closed form: not tracked, see the class comment
          }
          double[] f = poolFactors(in, p.size(), p.stride(), p.padding(), p.mode() == PoolMode.GLOBAL);
          yield m.pooled(f[0], f[1]);
        }
        case ConvResidualBlock r -> {
          int ch = in.channels();
          ImageShape s = in;
          boolean bn = r.batchNorm();
          for (int u = 0; u < r.repeat(); u++) {
            String uname = name + ".unit" + u;
            int stride = u == 0 ? r.stride() : 1;
            ImageShape mid = ImageBlock.window(s, r.filters(), r.kernel(), stride, r.kernel() / 2, 1, "/kernel");
            Moments q0 = conv(uname + ".conv0", ch, r.filters(), r.kernel(), 1, !bn, r.activation(), m,
                Window.of(s, r.kernel(), stride, r.kernel() / 2, 1), bn, true);
            Moments q1 = conv(uname + ".conv1", r.filters(), r.filters(), r.kernel(), 1, !bn, Activation.LINEAR,
                activate(r.activation(), q0, bn), Window.of(mid, r.kernel(), 1, r.kernel() / 2, 1), false, true);
            s = mid;
            Moments branch = bn ? Moments.NORMALISED : q1;
            Moments shortcut = m; // the identity shortcut carries the stream's mean; the branch is zero-mean
            if (ch != r.filters() || (u == 0 && r.stride() != 1)) {
              Moments qs = conv(uname + ".shortcut", ch, r.filters(), 1, 1, !bn, Activation.LINEAR, m, null, false, false);
              shortcut = bn ? Moments.NORMALISED : qs;
            }
            Moments sum = shortcut.plus(branch);
            additive(uname, sum);
            m = MeanField.activate(r.activation(), sum);
            ch = r.filters();
          }
          streamNonNegative = nonNegative(r.activation());
          yield m;
        }
        case ConvInceptionBlock c -> {
          boolean bn = c.batchNorm();
          List<Moments> outs = new ArrayList<>();
          int[] widths = new int[c.branches().size()];
          int longest = 0; // the first branch with a reduction (two convolutions deep), else the first
          for (int i = c.branches().size() - 1; i >= 0; i--) {
            longest = c.branches().get(i).reduce() != null ? i : longest;
          }
          for (int i = 0; i < c.branches().size(); i++) {
            ConvInceptionBlock.Branch br = c.branches().get(i);
            String bname = name + ".branch" + i;
            Moments mm = m;
            int ch = in.channels();
            if (br.reduce() != null) {
              Moments qr = conv(bname + ".reduce", ch, br.reduce(), 1, 1, !bn, c.activation(), mm, null, bn, false);
              mm = activate(c.activation(), qr, bn);
              ch = br.reduce();
            }
            Moments q = conv(bname + ".conv", ch, br.filters(), br.kernel(), 1, !bn, c.activation(), mm,
                Window.of(in, br.kernel(), 1, br.kernel() / 2, 1), false, false);
            outs.add(bn ? Moments.NORMALISED : q);
            widths[i] = br.filters();
          }
          ConvInceptionBlock.Branch lb = c.branches().get(longest);
          String lname = name + ".branch" + longest;
          if (lb.reduce() != null) {
            onPath(lname + ".reduce", in.channels(), lb.reduce(), !bn, bn);
          }
          int lin = lb.reduce() != null ? lb.reduce() : in.channels();
          onPath(lname + ".conv", lin * lb.kernel() * lb.kernel(), lb.filters() * lb.kernel() * lb.kernel(), !bn, bn);
          streamNonNegative = nonNegative(c.activation());
          yield MeanField.activate(c.activation(), Moments.concat(outs, widths));
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
     * One cell: node 0 has moments m; node j is the sum of its live edges' outputs, taken as
     * independent (means and (co)variances add): a skip or max pooling edge passes its source's
     * moments, an average pooling edge (3x3, stride 1, padding not counted) pools them, a convolution
     * edge (activation, convolution, batch norm) gives the normalised ones. The longest chain of
     * convolutions counts for the depth; a cell where some node sums two or more edges counts as
     * additive.
     */
    private Moments cell(String name, CellBlock c, ImageShape in, Moments m) {
      int n = c.nodes();
      int ch = in.channels();
      Moments[] node = new Moments[n];
      boolean[] nonNeg = new boolean[n];
      List<List<PathLayer>> chains = new ArrayList<>();
      for (int j = 0; j < n; j++) {
        chains.add(List.of());
      }
      node[0] = m;
      nonNeg[0] = streamNonNegative;
      boolean sums = false;
      double[] avgPool = poolFactors(in, 3, 1, 1, false);
      for (int to = 1; to < n; to++) {
        List<Moments> incoming = new ArrayList<>();
        nonNeg[to] = true;
        for (int from = 0; from < to; from++) {
          if (!c.live(from, to)) {
            continue;
          }
          String ename = name + ".edge" + from + to;
          CellOpType op = c.edge(from, to);
          List<PathLayer> chain = new ArrayList<>(chains.get(from));
          // the edge's activation: the identity for a ReLU on a non-negative node, else on a Gaussian
          // with the node's mean (a skip's non-negative mean plus zero-mean convolution outputs)
          Moments mIn = nonNeg[from] && c.activation() == Activation.RELU ? node[from]
              : MeanField.activate(c.activation(), node[from]);
          switch (op) {
            case CONV_1X1, CONV_3X3 -> {
              int k = op == CellOpType.CONV_1X1 ? 1 : 3;
              conv(ename, ch, ch, k, 1, false, c.activation(), mIn, Window.of(in, k, 1, k / 2, 1), true, false);
              chain.add(new PathLayer(ename, ch * k * k, ch * k * k));
              incoming.add(Moments.NORMALISED);
              nonNeg[to] = false;
            }
            case SEP_CONV_3X3, DIL_CONV_3X3 -> {
              int d = op == CellOpType.DIL_CONV_3X3 ? 2 : 1;
              Moments qd = conv(ename + ".depthwise", ch, ch, 3, ch, false, Activation.LINEAR, mIn,
                  Window.of(in, 3, 1, d, d), false, false);
              conv(ename + ".pointwise", ch, ch, 1, 1, false, c.activation(), qd, null, true, false);
              chain.add(new PathLayer(ename + ".depthwise", 9, 9));
              chain.add(new PathLayer(ename + ".pointwise", ch, ch));
              incoming.add(Moments.NORMALISED);
              nonNeg[to] = false;
            }
            case AVG_POOL_3X3 -> {
              incoming.add(node[from].pooled(avgPool[0], avgPool[1]));
              nonNeg[to] &= nonNeg[from];
            }
            default -> { // skip_connect, max pooling (not tracked, see the class comment)
              incoming.add(node[from]);
              nonNeg[to] &= nonNeg[from];
            }
          }
          if (chain.size() >= chains.get(to).size()) {
            chains.set(to, chain);
          }
        }
        sums |= incoming.size() > 1;
        node[to] = Moments.sum(incoming);
      }
      for (PathLayer l : chains.get(n - 1)) {
        onPath(l.name(), l.fanIn(), l.fanOut(), false, true);
      }
      if (sums) {
        additive(name, node[n - 1]);
      }
      streamNonNegative = nonNeg[n - 1];
      return node[n - 1];
    }
  }

  /** A convolution on a cell's longest chain. */
  private record PathLayer(String name, int fanIn, int fanOut) {}
}
