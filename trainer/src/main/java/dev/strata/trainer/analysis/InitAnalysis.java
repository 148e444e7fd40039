package dev.strata.trainer.analysis;

import dev.strata.trainer.meanfield.MeanField;
import dev.strata.trainer.meanfield.Moments;
import dev.strata.trainer.nn.ActivationSite;
import dev.strata.trainer.nn.Network;
import dev.strata.trainer.nn.ParameterStore;
import dev.strata.trainer.nn.WeightedLayer;
import dev.strata.trainer.spec.Activation;
import dev.strata.trainer.spec.BlockSpec;
import dev.strata.trainer.spec.CellBlock;
import dev.strata.trainer.spec.ConvBlock;
import dev.strata.trainer.spec.ConvInceptionBlock;
import dev.strata.trainer.spec.ConvResidualBlock;
import dev.strata.trainer.spec.InceptionBlock;
import dev.strata.trainer.spec.Loss;
import dev.strata.trainer.spec.NetworkSpec;
import dev.strata.trainer.spec.PlainBlock;
import dev.strata.trainer.spec.PoolBlock;
import dev.strata.trainer.spec.ResidualBlock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Analysis of a network at initialisation, dense or convolutional: builds it from the spec's seed
 * (dropout off), runs one training-mode forward and backward pass over a batch, and reports the
 * statistics of every weighted layer ({@link Network#weightedLayers()}) and every activation
 * ({@link Network#activationSites()}), the zero-cost {@link Proxies} and the mean-field {@link
 * Theory} with its {@link Verdict}. The passes go through the network's kernels; the statistics,
 * NASWOT's kernel matrix (bit-packed codes and popcounts: integer counts, the same on every vector
 * width) and the log-determinant are scalar loops over the results. {@link #score} does only the
 * part a pre-screening proxy needs. Stateless and thread-safe (each call builds its own network).
 */
public final class InitAnalysis {

  /** Relative derivative below which a value counts as inactive. */
  static final double INACTIVE = 0.01;

  private InitAnalysis() {}

  /**
   * Analyses {@code spec} on the first {@code rows} rows of {@code x} ({@code rows x inputs}, images
   * flattened NCHW), with {@code labels} for softmax cross-entropy or {@code targets} ({@code rows x
   * outputs}) otherwise.
   */
  public static InitReport inspect(NetworkSpec spec, float[] x, int rows, int[] labels, float[] targets) {
    if (rows < 2) {
      throw new IllegalArgumentException("need at least 2 rows to measure, got " + rows);
    }
    NetworkSpec s = withoutDropout(spec);
    Theory theory = Theory.of(s, inputMoments(spec, x, rows));
    Map<String, Double> predicted = new HashMap<>();
    for (Theory.Layer l : theory.layers()) {
      predicted.put(l.name(), l.q());
    }
    Network n = Network.of(s);
    n.allocate(rows);
    n.initialize();
    long t0 = System.nanoTime();
    double loss = n.forwardBackward(x, rows, labels, targets);
    float[] g = n.gradients();
    List<LayerStats> layers = new ArrayList<>();
    for (WeightedLayer l : n.weightedLayers()) {
      layers.add(new LayerStats(l.name(), l.fanIn(), l.channels(), l.plane(), meanSquare(l.output(), rows * l.width()),
          predicted.getOrDefault(l.name(), Double.NaN), gradientNorm(l, g)));
    }
    double[] gs = gradientScores(n);
    double gradNorm = gs[0];
    double snip = gs[1];
    List<ActivationStats> activations = new ArrayList<>();
    double naswot = activations(n, rows, activations);
    double synflow = synflow(n);
    long nanos = System.nanoTime() - t0;
    return new InitReport(theory, List.copyOf(layers), List.copyOf(activations),
        new Proxies(gradNorm, snip, synflow, naswot, nanos), rows, loss);
  }

  /**
   * Pre-screening's share of {@link #inspect}: the theory (and verdict) and only the proxies in
   * {@code which}, the others NaN, each with the same bits as {@code inspect} gives it on the same
   * arguments. Does only the work those proxies need: none of the per-layer and per-activation
   * statistics; SynFlow alone builds the network for one row and never reads {@code x} beyond its
   * mean square; NASWOT alone runs the forward pass only.
   */
  public static InitScore score(NetworkSpec spec, float[] x, int rows, int[] labels, float[] targets,
      Set<Proxy> which) {
    if (rows < 2) {
      throw new IllegalArgumentException("need at least 2 rows to measure, got " + rows);
    }
    NetworkSpec s = withoutDropout(spec);
    Theory theory = Theory.of(s, inputMoments(spec, x, rows));
    double gradNorm = Double.NaN;
    double snip = Double.NaN;
    double synflow = Double.NaN;
    double naswot = Double.NaN;
    long nanos = 0;
    if (!which.isEmpty()) {
      boolean backward = which.contains(Proxy.GRAD_NORM) || which.contains(Proxy.SNIP);
      boolean batch = backward || which.contains(Proxy.NASWOT);
      Network n = Network.of(s);
      n.allocate(batch ? rows : 1);
      n.initialize();
      long t0 = System.nanoTime();
      if (backward) {
        n.forwardBackward(x, rows, labels, targets);
        double[] gs = gradientScores(n);
        gradNorm = which.contains(Proxy.GRAD_NORM) ? gs[0] : Double.NaN;
        snip = which.contains(Proxy.SNIP) ? gs[1] : Double.NaN;
      } else if (batch) {
        n.forward(x, rows, true);
      }
      if (which.contains(Proxy.NASWOT)) {
        naswot = activations(n, rows, null);
      }
      if (which.contains(Proxy.SYNFLOW)) {
        synflow = synflow(n);
      }
      nanos = System.nanoTime() - t0;
    }
    return new InitScore(theory, new Proxies(gradNorm, snip, synflow, naswot, nanos));
  }

  /** {grad_norm, snip} from the gradients of the last backward pass. */
  private static double[] gradientScores(Network n) {
    float[] p = n.parameters();
    float[] g = n.gradients();
    double gradNorm = 0;
    double snip = 0;
    for (WeightedLayer l : n.weightedLayers()) {
      int off = l.weight().offset();
      for (int i = off; i < off + l.weight().size(); i++) {
        snip += Math.abs((double) p[i] * g[i]);
      }
      gradNorm += gradientNorm(l, g);
    }
    return new double[] {gradNorm, snip};
  }

  /** The L2 norm of one weighted layer's weight gradient. */
  private static double gradientNorm(WeightedLayer l, float[] g) {
    int off = l.weight().offset();
    double g2 = 0;
    for (int i = off; i < off + l.weight().size(); i++) {
      g2 += (double) g[i] * g[i];
    }
    return Math.sqrt(g2);
  }

  /**
   * Analyses {@code spec} on {@code rows} synthetic rows: inputs N(0, 1) (standardised data), labels
   * uniform over the classes, targets N(0, 1); seeded by the spec's seed.
   */
  public static InitReport inspectSynthetic(NetworkSpec spec, int rows) {
    SplittableRandom rng = new SplittableRandom(spec.seed() ^ 0x5EEDL);
    float[] x = new float[rows * spec.inputs()];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) rng.nextGaussian();
    }
    int[] labels = null;
    float[] targets = null;
    if (spec.loss() == Loss.SOFTMAX_CROSS_ENTROPY) {
      labels = new int[rows];
      for (int i = 0; i < rows; i++) {
        labels[i] = rng.nextInt(spec.outputs());
      }
    } else {
      targets = new float[rows * spec.outputs()];
      for (int i = 0; i < targets.length; i++) {
        targets[i] = spec.loss() == Loss.BINARY_CROSS_ENTROPY ? rng.nextInt(2) : (float) rng.nextGaussian();
      }
    }
    return inspect(spec, x, rows, labels, targets);
  }

  /**
   * The data's {@link Moments}: mean and mean square over all values; the off-diagonal moment over
   * pairs of different pixels of one image channel (what average pooling sees), or for dense inputs
   * and images of one pixel over pairs of different rows at one input.
   */
  static Moments inputMoments(NetworkSpec spec, float[] x, int rows) {
    int n = rows * spec.inputs();
    double sum = 0;
    for (int i = 0; i < n; i++) {
      sum += x[i];
    }
    int plane = spec.image() == null ? 1 : spec.image().plane();
    // groups of `size` values `stride` apart whose distinct pairs are averaged: pixels of a channel, or rows of an input
    int groups = plane > 1 ? n / plane : spec.inputs();
    int size = plane > 1 ? plane : rows;
    int stride = plane > 1 ? 1 : spec.inputs();
    double cross = 0;
    for (int g = 0; g < groups; g++) {
      int base = plane > 1 ? g * plane : g;
      double s = 0;
      double s2 = 0;
      for (int k = 0; k < size; k++) {
        double v = x[base + k * stride];
        s += v;
        s2 += v * v;
      }
      cross += (s * s - s2) / ((double) size * (size - 1));
    }
    return new Moments(sum / n, meanSquare(x, n), cross / groups);
  }

  private static double meanSquare(float[] v, int n) {
    double s = 0;
    for (int i = 0; i < n; i++) {
      s += (double) v[i] * v[i];
    }
    return s / n;
  }

  /**
   * Measures every activation site into {@code out} (unless null) and returns NASWOT over them: ln
   * |det K| with K_ij the number of activation values on which rows i and j have the same code (z >
   * 0), K = C C^T + (1 - C)(1 - C)^T over the binary codes C; NaN without activations. The codes
   * are packed 64 to a long and K_ij = values - popcount(code_i xor code_j): exact integer counts,
   * the same K as the two matrix products give, at a 64th of the work.
   */
  static double activations(Network n, int rows, List<ActivationStats> out) {
    List<ActivationSite> sites = n.activationSites();
    int widest = 0;
    for (ActivationSite s : sites) {
      widest = Math.max(widest, s.width());
    }
    if (widest == 0) {
      return Double.NaN;
    }
    float[] scratch = new float[rows * widest];
    long[] bits = new long[rows * ((widest + 63) >>> 6)];
    long[] agree = new long[rows * rows];
    for (ActivationSite s : sites) {
      int w = s.width();
      float[] z = s.preActivation(rows, scratch);
      if (out != null) {
        out.add(measure(s, z, rows));
      }
      int words = (w + 63) >>> 6;
      Arrays.fill(bits, 0, rows * words, 0L);
      for (int r = 0; r < rows; r++) {
        int o = r * w;
        int b = r * words;
        for (int i = 0; i < w; i++) {
          if (z[o + i] > 0) {
            bits[b + (i >>> 6)] |= 1L << (i & 63);
          }
        }
      }
      for (int i = 0; i < rows; i++) {
        agree[i * rows + i] += w;
        for (int j = 0; j < i; j++) {
          int differ = 0;
          for (int t = 0; t < words; t++) {
            differ += Long.bitCount(bits[i * words + t] ^ bits[j * words + t]);
          }
          agree[i * rows + j] += w - differ;
          agree[j * rows + i] += w - differ;
        }
      }
    }
    double[] k = new double[rows * rows];
    for (int i = 0; i < k.length; i++) {
      k[i] = agree[i];
    }
    return logAbsDet(k, rows);
  }

  private static ActivationStats measure(ActivationSite s, float[] z, int rows) {
    Activation a = s.activation();
    int channels = s.channels();
    int plane = s.plane();
    int w = s.width();
    double zz = 0;
    double yy = 0;
    long inactiveValues = 0;
    int dead = 0;
    double limit = INACTIVE * MeanField.maxDerivative(a);
    boolean[] alive = new boolean[channels];
    for (int r = 0; r < rows; r++) {
      for (int ch = 0; ch < channels; ch++) {
        int o = r * w + ch * plane;
        for (int i = o; i < o + plane; i++) {
          double v = z[i];
          double y = MeanField.phi(a, v);
          zz += v * v;
          yy += y * y;
          if (a != Activation.LINEAR && Math.abs(MeanField.derivative(a, v)) < limit) {
            inactiveValues++;
          } else {
            alive[ch] = true;
          }
        }
      }
    }
    for (boolean b : alive) {
      dead += b ? 0 : 1;
    }
    double cells = (double) rows * w;
    return new ActivationStats(s.name(), a, channels, plane, zz / cells, yy / cells, (double) dead / channels,
        inactiveValues / cells);
  }

  /** ln |det A| by LU with partial pivoting in double; -infinity when singular. */
  static double logAbsDet(float[] a, int n) {
    double[] m = new double[n * n];
    for (int i = 0; i < m.length; i++) {
      m[i] = a[i];
    }
    return logAbsDet(m, n);
  }

  /** ln |det A| by LU with partial pivoting, overwriting {@code m}; -infinity when singular. */
  static double logAbsDet(double[] m, int n) {
    double sum = 0;
    for (int col = 0; col < n; col++) {
      int piv = col;
      for (int r = col + 1; r < n; r++) {
        if (Math.abs(m[r * n + col]) > Math.abs(m[piv * n + col])) {
          piv = r;
        }
      }
      double pv = m[piv * n + col];
      if (pv == 0) {
        return Double.NEGATIVE_INFINITY;
      }
      if (piv != col) {
        for (int j = 0; j < n; j++) {
          double t = m[col * n + j];
          m[col * n + j] = m[piv * n + j];
          m[piv * n + j] = t;
        }
      }
      sum += Math.log(Math.abs(pv));
      for (int r = col + 1; r < n; r++) {
        double f = m[r * n + col] / pv;
        if (f != 0) {
          for (int j = col; j < n; j++) {
            m[r * n + j] -= f * m[col * n + j];
          }
        }
      }
    }
    return sum;
  }

  /** The input and bias scale 2^-PROBE of the pass that measures an overflowing network's output. */
  static final int PROBE = 120;
  /** Binary order of magnitude the rescaled pass aims the output sum at (far from both ends of float). */
  static final int AIM = 100;

  /**
   * SynFlow on the network's own parameters, restored afterwards: every parameter made positive,
   * batch norm as the identity, one all-ones row, R = the sum of the outputs; ln sum_W W dR/dW over
   * the weight tensors, summed in double.
   *
   * <p>When that float pass overflows (deep networks: R grows like the product of the layers' gains),
   * it is redone at scale: the input and every bias multiplied by 2^-k and the output gradient by
   * 2^-j, with k chosen from a probe pass at k = {@value #PROBE} so that R lands near 2^{@value
   * #AIM}, and j so that the weight gradients land near 1; the score is then ln(sum) + (k + j) ln 2.
   * A network that is positively homogeneous in (input, biases) — relu, leaky relu and linear
   * activations, pooling, batch norm as the identity, residual sums and concatenations — gives
   * exactly the unscaled float pass's value (scaling by a power of two commutes with float rounding)
   * as if float had no upper limit; with other activations (tanh and sigmoid saturate, so rarely
   * overflow) it is an approximation. NaN when even the probe overflows (R beyond about 2^250).
   */
  static double synflow(Network n) {
    return synflow(n, false);
  }

  /** SynFlow; with {@code rescale} the rescaled pass is taken even when the plain one is finite (for tests). */
  static double synflow(Network n, boolean rescale) {
    float[] p = n.parameters();
    float[] saved = p.clone();
    n.batchNormAsIdentity(true);
    try {
      float[] abs = new float[p.length];
      for (int i = 0; i < p.length; i++) {
        abs[i] = Math.abs(saved[i]);
      }
      double plain = synflowPass(n, abs, 0, 0);
      if (Double.isFinite(plain) && !rescale) {
        return plain;
      }
      double probe = synflowForward(n, abs, PROBE);
      if (!Double.isFinite(probe) || probe <= 0) {
        return Double.NaN;
      }
      int k = Math.clamp(Math.getExponent(probe) + PROBE - AIM, 0, 126);
      double r = synflowForward(n, abs, k);
      if (!Double.isFinite(r) || r <= 0) {
        return Double.NaN;
      }
      int j = Math.clamp(Math.getExponent(r), 0, 126);
      return synflowPass(n, abs, k, j);
    } finally {
      n.batchNormAsIdentity(false);
      System.arraycopy(saved, 0, p, 0, p.length);
    }
  }

  /**
   * Loads {@code abs} into the parameters with every bias times 2^-k, and runs the forward pass on
   * one row of 2^-k; returns the sum of the outputs (in double).
   */
  private static double synflowForward(Network n, float[] abs, int k) {
    float[] p = n.parameters();
    System.arraycopy(abs, 0, p, 0, p.length);
    if (k != 0) {
      for (ParameterStore.Slot s : n.parameterSlots()) {
        if (s.name().endsWith(".bias") || s.name().endsWith(".beta")) {
          for (int i = s.offset(); i < s.offset() + s.size(); i++) {
            p[i] = Math.scalb(p[i], -k);
          }
        }
      }
    }
    float[] in = new float[n.inputs()];
    Arrays.fill(in, Math.scalb(1f, -k));
    float[] out = n.forward(in, 1, true);
    double r = 0;
    for (int i = 0; i < n.outputs(); i++) {
      r += out[i];
    }
    return r;
  }

  /**
   * One SynFlow pass at input and bias scale 2^-k and output gradient 2^-j: ln sum_W W dR/dW + (k +
   * j) ln 2; NaN or infinite when the float pass overflows.
   */
  private static double synflowPass(Network n, float[] abs, int k, int j) {
    synflowForward(n, abs, k);
    float[] dOut = new float[n.outputs()];
    Arrays.fill(dOut, Math.scalb(1f, -j));
    n.backwardFrom(dOut, 1);
    float[] p = n.parameters();
    float[] g = n.gradients();
    double score = 0;
    for (WeightedLayer l : n.weightedLayers()) {
      int off = l.weight().offset();
      for (int i = off; i < off + l.weight().size(); i++) {
        score += (double) p[i] * g[i];
      }
    }
    if (!Double.isFinite(score)) {
      return Double.NaN;
    }
    return k + j == 0 ? Math.log(score) : Math.log(score) + (k + j) * Math.log(2);
  }

  /** The spec with every dropout rate at 0: analysis measures the deterministic network. */
  static NetworkSpec withoutDropout(NetworkSpec spec) {
    List<BlockSpec> blocks = new ArrayList<>();
    for (BlockSpec b : spec.blocks()) {
      blocks.add(switch (b) {
        case PlainBlock p -> p.withDropout(0.0);
        case ResidualBlock r -> r.withDropout(0.0);
        case InceptionBlock c -> c.withDropout(0.0);
        case ConvBlock c -> new ConvBlock(c.filters(), c.kernel(), c.stride(), c.padding(), c.dilation(), c.groups(),
            c.depthwise(), c.separable(), c.bias(), c.batchNorm(), c.activation(), c.repeat(), 0.0);
        case ConvResidualBlock r -> new ConvResidualBlock(r.filters(), r.kernel(), r.stride(), r.batchNorm(),
            r.activation(), r.repeat(), 0.0);
        case ConvInceptionBlock c -> new ConvInceptionBlock(c.branches(), c.activation(), c.batchNorm(), 0.0);
        case PoolBlock p -> p;
        case CellBlock c -> c;
      });
    }
    return spec.withBlocks(blocks).withTraining(spec.training().withDropout(0));
  }
}
