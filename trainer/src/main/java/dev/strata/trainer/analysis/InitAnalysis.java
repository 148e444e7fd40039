package dev.strata.trainer.analysis;

import dev.strata.trainer.kernel.GemmKernel;
import dev.strata.trainer.meanfield.MeanField;
import dev.strata.trainer.nn.Dense;
import dev.strata.trainer.nn.Network;
import dev.strata.trainer.nn.ParameterStore;
import dev.strata.trainer.spec.Activation;
import dev.strata.trainer.spec.BlockSpec;
import dev.strata.trainer.spec.ImageBlock;
import dev.strata.trainer.spec.InceptionBlock;
import dev.strata.trainer.spec.Loss;
import dev.strata.trainer.spec.NetworkSpec;
import dev.strata.trainer.spec.PlainBlock;
import dev.strata.trainer.spec.ResidualBlock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Analysis of a network at initialisation: builds it from the spec's seed (dropout off), runs one
 * training-mode forward and backward pass over a batch, and reports per-layer statistics, the
 * zero-cost {@link Proxies} and the mean-field {@link Theory} with its {@link Verdict}. All
 * arithmetic on activations goes through the network's kernels; the per-layer statistics and the
 * log-determinant are scalar loops over the results. Stateless and thread-safe (each call builds its
 * own network).
 */
public final class InitAnalysis {

  /** Relative derivative below which a unit counts as inactive on a row. */
  static final double INACTIVE = 0.01;

  private InitAnalysis() {}

  /**
   * Analyses {@code spec} on the first {@code rows} rows of {@code x} ({@code rows x inputs}), with
   * {@code labels} for softmax cross-entropy or {@code targets} ({@code rows x outputs}) otherwise.
   */
  public static InitReport inspect(NetworkSpec spec, float[] x, int rows, int[] labels, float[] targets) {
    if (rows < 2) {
      throw new IllegalArgumentException("need at least 2 rows to measure, got " + rows);
    }
    NetworkSpec s = withoutDropout(spec);
    double m0 = 0;
    for (int i = 0; i < rows * spec.inputs(); i++) {
      m0 += (double) x[i] * x[i];
    }
    Theory theory = Theory.of(s, m0 / ((double) rows * spec.inputs()));
    Map<String, Double> predicted = new HashMap<>();
    for (Theory.Layer l : theory.layers()) {
      predicted.put(l.name(), l.q());
    }
    Network n = Network.of(s);
    n.allocate(rows);
    n.initialize();
    long t0 = System.nanoTime();
    double loss = n.forwardBackward(x, rows, labels, targets);
    float[] p = n.parameters();
    float[] g = n.gradients();
    List<LayerStats> stats = new ArrayList<>();
    double gradNorm = 0;
    double snip = 0;
    for (Dense d : n.denseLayers()) {
      ParameterStore.Slot w = d.weightSlot();
      double g2 = 0;
      for (int i = w.offset(); i < w.offset() + w.size(); i++) {
        g2 += (double) g[i] * g[i];
        snip += Math.abs((double) p[i] * g[i]);
      }
      gradNorm += Math.sqrt(g2);
      stats.add(measure(d, rows, Math.sqrt(g2), predicted.getOrDefault(d.name(), Double.NaN)));
    }
    double naswot = naswot(n, rows);
    double synflow = hasBatchNorm(s) ? Double.NaN : synflow(n);
    long nanos = System.nanoTime() - t0;
    return new InitReport(theory, List.copyOf(stats), new Proxies(gradNorm, snip, synflow, naswot, nanos), rows, loss);
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

  private static LayerStats measure(Dense d, int rows, double gradientNorm, double theoryQ) {
    int out = d.outputWidth();
    float[] z = d.preActivation();
    float[] y = d.output();
    double zz = 0;
    double yy = 0;
    for (int i = 0; i < rows * out; i++) {
      zz += (double) z[i] * z[i];
      yy += (double) y[i] * y[i];
    }
    int inactive = 0;
    Activation a = d.activation();
    if (a != Activation.LINEAR) {
      double limit = INACTIVE * MeanField.maxDerivative(a);
      for (int j = 0; j < out; j++) {
        boolean dead = true;
        for (int r = 0; r < rows && dead; r++) {
          dead = Math.abs(MeanField.derivative(a, z[r * out + j])) < limit;
        }
        inactive += dead ? 1 : 0;
      }
    }
    double cells = (double) rows * out;
    return new LayerStats(d.name(), a, d.inputWidth(), out, zz / cells, yy / cells, (double) inactive / out,
        gradientNorm, theoryQ);
  }

  /** ln |det K| of the activation-pattern kernel over the hidden dense layers (all but the output). */
  static double naswot(Network n, int rows) {
    List<Dense> hidden = n.denseLayers().subList(0, n.denseLayers().size() - 1);
    int units = 0;
    for (Dense d : hidden) {
      units += d.outputWidth();
    }
    if (units == 0) {
      return Double.NaN;
    }
    float[] c = new float[rows * units];
    float[] nc = new float[rows * units];
    int col = 0;
    for (Dense d : hidden) {
      int out = d.outputWidth();
      float[] z = d.preActivation();
      for (int r = 0; r < rows; r++) {
        for (int j = 0; j < out; j++) {
          float bit = z[r * out + j] > 0 ? 1f : 0f;
          c[r * units + col + j] = bit;
          nc[r * units + col + j] = 1f - bit;
        }
      }
      col += out;
    }
    float[] k = new float[rows * rows];
    GemmKernel.gemmNT(rows, rows, units, c, 0, c, 0, k, 0, false); // counts below 2^24 are exact in float
    GemmKernel.gemmNT(rows, rows, units, nc, 0, nc, 0, k, 0, true);
    return logAbsDet(k, rows);
  }

  /** ln |det A| by LU with partial pivoting in double; -infinity when singular. */
  static double logAbsDet(float[] a, int n) {
    double[] m = new double[n * n];
    for (int i = 0; i < m.length; i++) {
      m[i] = a[i];
    }
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

  /** SynFlow on the network's own parameters, restored afterwards. */
  static double synflow(Network n) {
    float[] p = n.parameters();
    float[] saved = p.clone();
    try {
      for (int i = 0; i < p.length; i++) {
        p[i] = Math.abs(p[i]);
      }
      float[] ones = new float[n.inputs()];
      Arrays.fill(ones, 1f);
      n.forward(ones, 1, true);
      float[] dOut = new float[n.outputs()];
      Arrays.fill(dOut, 1f);
      n.backwardFrom(dOut, 1);
      float[] g = n.gradients();
      double score = 0;
      for (ParameterStore.Slot w : n.weightSlots()) {
        for (int i = w.offset(); i < w.offset() + w.size(); i++) {
          score += (double) p[i] * g[i];
        }
      }
      return Math.log(score);
    } finally {
      System.arraycopy(saved, 0, p, 0, p.length);
    }
  }

  private static boolean hasBatchNorm(NetworkSpec spec) {
    for (BlockSpec b : spec.blocks()) {
      if (b instanceof PlainBlock p && p.batchNorm() || b instanceof ResidualBlock r && r.batchNorm()) {
        return true;
      }
    }
    return false;
  }

  /** The spec with every dropout rate at 0: analysis measures the deterministic network. */
  static NetworkSpec withoutDropout(NetworkSpec spec) {
    List<BlockSpec> blocks = new ArrayList<>();
    for (BlockSpec b : spec.blocks()) {
      blocks.add(switch (b) {
        case PlainBlock p -> p.withDropout(0.0);
        case ResidualBlock r -> r.withDropout(0.0);
        case InceptionBlock c -> c.withDropout(0.0);
        case ImageBlock ib -> ib; // rejected by Theory before anything is built
      });
    }
    return spec.withBlocks(blocks).withTraining(spec.training().withDropout(0));
  }
}
