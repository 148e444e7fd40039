package dev.strata.trainer.analysis;

import dev.strata.trainer.meanfield.MeanField;
import dev.strata.trainer.spec.Activation;
import dev.strata.trainer.spec.BlockSpec;
import dev.strata.trainer.spec.ImageBlock;
import dev.strata.trainer.spec.InceptionBlock;
import dev.strata.trainer.spec.NetworkSpec;
import dev.strata.trainer.spec.PlainBlock;
import dev.strata.trainer.spec.ResidualBlock;
import dev.strata.trainer.spec.WeightInit;
import java.util.ArrayList;
import java.util.List;

/**
 * The mean-field prediction for a whole spec: the pre-activation variance q of every dense layer, in
 * the order and with the names of {@code Network.denseLayers()}, and the verdict. Each dense layer
 * sees sigma_w^2 = n_in Var(w) of the spec's initialiser ({@link MeanField#sigmaW2}) and sigma_b =
 * biasSigma; m is the mean square of its input (for the first layer, of the data: 1 after
 * standardisation):
 *
 * <pre>
 *   dense        q = sigma_w^2 m + sigma_b^2,  m' = E[phi(sqrt(q) z)^2],  chi = sigma_w^2 E[phi'(sqrt(q) z)^2]
 *   batch norm   the activation sees q = 1 (gamma = 1, beta = 0 at initialisation)
 *   residual     out = shortcut + branch: variances add (m' = m_shortcut + q_branch before any post-activation)
 *   inception    branches in parallel from one m; the concatenation's m is the width-weighted mean
 * </pre>
 *
 * Immutable.
 */
public record Theory(Activation activation, double sigmaW2, double sigmaB2, double fixedPointQ, List<Layer> layers,
    Verdict verdict) {

  /**
   * One dense layer's prediction.
   *
   * @param q pre-activation variance (second moment)
   * @param chi sigma_w^2 E[phi'(h)^2] at that q: this layer's factor on a backpropagated gradient's square norm
   */
  public record Layer(String name, double q, double chi) {}

  /** The prediction for {@code spec} whose inputs have mean square {@code inputMeanSquare}. */
  public static Theory of(NetworkSpec spec, double inputMeanSquare) {
    return new Walk(spec).run(inputMeanSquare);
  }

  private static final class Walk {
    private final NetworkSpec spec;
    private final WeightInit init;
    private final double sb2;
    private final List<Layer> layers = new ArrayList<>();

    Walk(NetworkSpec spec) {
      this.spec = spec;
      double sb = spec.training().biasSigma();
      this.sb2 = sb * sb;
      this.init = MeanField.resolve(spec.training().init(), MeanField.hiddenActivation(spec), sb);
    }

    /** A dense layer on input mean square m; returns its pre-activation variance q. */
    private double dense(String name, int in, int out, Activation act, double m, boolean bn) {
      double q = MeanField.sigmaW2(init, in, out) * m + sb2;
      double chi = MeanField.sigmaW2(init, in, out) * MeanField.meanSquareDerivative(act, bn ? 1 : q);
      layers.add(new Layer(name, q, chi));
      return q;
    }

    /** Mean square after activation {@code act} of a pre-activation with variance q. */
    private static double after(Activation act, double q) {
      return MeanField.meanSquare(act, q);
    }

    Theory run(double m0) {
      double m = m0;
      int w = spec.inputs();
      int depth = 0;
      int residualBlocks = 0;
      double firstQ = Double.NaN;
      double lastQ = Double.NaN;
      int lastHiddenIn = spec.inputs();
      int lastHiddenOut = spec.inputs();
      for (int i = 0; i < spec.blocks().size(); i++) {
        BlockSpec b = spec.blocks().get(i);
        String name = "blocks." + i;
        switch (b) {
          case PlainBlock p -> {
            for (int j = 0; j < p.layers(); j++) {
              int fin = j == 0 ? w : p.width();
              double q = dense(name + ".dense" + j, fin, p.width(), p.activation(), m, p.batchNorm());
              m = after(p.activation(), p.batchNorm() ? 1 : q);
              lastHiddenIn = fin;
              lastHiddenOut = p.width();
              depth++;
            }
          }
          case ResidualBlock r -> {
            residualBlocks++;
            double mIn = m;
            int k = r.layers();
            double cur;
            if (r.preActivation()) {
              double h = m; // the stream is treated as a pre-activation of variance m
              for (int j = 0; j < k; j++) {
                h = dense(name + ".dense" + j, j == 0 ? w : r.width(), r.width(), Activation.LINEAR,
                    after(r.activation(), r.batchNorm() ? 1 : h), false);
              }
              cur = h;
            } else {
              double mm = m;
              for (int j = 0; j < k - 1; j++) {
                double q = dense(name + ".dense" + j, j == 0 ? w : r.width(), r.width(), r.activation(), mm, r.batchNorm());
                mm = after(r.activation(), r.batchNorm() ? 1 : q);
              }
              cur = dense(name + ".dense" + (k - 1), k == 1 ? w : r.width(), r.width(), Activation.LINEAR, mm, false);
              if (r.batchNorm()) {
                cur = 1;
              }
            }
            double shortcut = w != r.width()
                ? dense(name + ".shortcut", w, r.width(), Activation.LINEAR, mIn, false) : mIn;
            double sum = shortcut + cur;
            if (Double.isNaN(firstQ)) {
              firstQ = sum;
            }
            lastQ = sum;
            m = r.preActivation() ? sum : after(r.activation(), sum);
            depth += k;
          }
          case ImageBlock ib -> throw new IllegalArgumentException("blocks." + i
              + ": the mean-field analysis covers dense blocks (plain, residual, inception); convolutional blocks are not analysed yet");
          case InceptionBlock c -> {
            double weighted = 0;
            int longest = 0;
            for (int bi = 0; bi < c.branches().size(); bi++) {
              InceptionBlock.Branch br = c.branches().get(bi);
              double mm = m;
              for (int j = 0; j < br.layers(); j++) {
                double q = dense(name + ".branch" + bi + ".dense" + j, j == 0 ? w : br.width(), br.width(), br.activation(), mm, false);
                mm = after(br.activation(), q);
              }
              weighted += br.width() * mm;
              longest = Math.max(longest, br.layers());
            }
            m = weighted / c.concatWidth();
            if (c.projection() != null) {
              m = dense(name + ".projection", c.concatWidth(), c.projection(), Activation.LINEAR, m, false);
              longest++;
            }
            depth += longest;
          }
        }
        w = spec.shapes().get(i).width();
      }
      dense("output", w, spec.outputs(), spec.outputActivation(), m, false);
      depth++;
      Activation act = MeanField.hiddenActivation(spec);
      double sw2 = MeanField.sigmaW2(init, lastHiddenIn, lastHiddenOut);
      MeanField.FixedPoint fp = MeanField.fixedPoint(act, sw2, sb2);
      Verdict v = residualBlocks > 0
          ? Verdict.ofResidual(firstQ, lastQ, residualBlocks, depth)
          : Verdict.ofChain(fp.chi1(), fp.depthScale(), depth);
      return new Theory(act, sw2, sb2, fp.q(), List.copyOf(layers), v);
    }
  }
}
