package dev.strata.trainer.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.trainer.meanfield.MeanField;
import dev.strata.trainer.nn.Network;
import dev.strata.trainer.spec.Activation;
import dev.strata.trainer.spec.NetworkSpec;
import dev.strata.trainer.spec.PlainBlock;
import dev.strata.trainer.spec.ResidualBlock;
import dev.strata.trainer.spec.TrainingSpec;
import dev.strata.trainer.spec.WeightInit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class InitAnalysisTest {

  private static NetworkSpec tanh(int width, int depth, WeightInit init) {
    return NetworkSpec.builder().inputs(16).outputs(4).block(PlainBlock.of(width, depth, Activation.TANH)).seed(5)
        .training(TrainingSpec.builder().init(init).biasSigma(Math.sqrt(0.05)).build()).build();
  }

  /**
   * Width 512, 32 rows: one weight draw averages 512 units, a relative spread of about sqrt(2 / 512)
   * = 6% per layer; measured q must be within 20% of the theory over 8 layers. (The output layer's
   * 4 units give no usable average and are not compared.)
   */
  @Test
  void measuredVarianceFollowsTheTheory() {
    InitReport r = InitAnalysis.inspectSynthetic(tanh(512, 8, WeightInit.meanField(1.5)), 32);
    assertEquals(9, r.layers().size(), "8 hidden layers and the output");
    for (LayerStats s : r.layers().subList(0, 8)) {
      assertEquals(s.theoryQ(), s.measuredQ(), 0.2 * s.theoryQ(), s.name());
    }
    assertEquals(8, r.activations().size(), "the 8 tanh layers; the linear output is no activation");
    assertEquals(r.layers().get(3).measuredQ(), r.activations().get(3).inputMeanSquare(), 1e-12);
    assertEquals("blocks.0.dense7", r.layers().get(7).name());
    assertEquals("output", r.layers().getLast().name());
  }

  @Test
  void verdictNamesThePhase() {
    Verdict ordered = InitAnalysis.inspectSynthetic(tanh(32, 48, WeightInit.meanField(Math.sqrt(0.5))), 16).verdict();
    assertEquals(Verdict.Phase.ORDERED, ordered.phase());
    assertFalse(ordered.trainable());
    assertTrue(ordered.reason().startsWith("ordered phase (χ₁ = 0.4"), ordered.reason());
    assertTrue(ordered.reason().endsWith("49 layers deep: untrainable"), ordered.reason());
    Verdict critical = InitAnalysis.inspectSynthetic(tanh(32, 48, WeightInit.critical()), 16).verdict();
    assertEquals(Verdict.Phase.CRITICAL, critical.phase(), critical.reason());
    assertEquals(1.0, critical.chi1(), 1e-6);
    Verdict chaotic = InitAnalysis.inspectSynthetic(tanh(32, 48, WeightInit.meanField(2)), 16).verdict();
    assertEquals(Verdict.Phase.CHAOTIC, chaotic.phase());
    assertFalse(chaotic.trainable(), chaotic.reason());
    Verdict shallow = InitAnalysis.inspectSynthetic(tanh(32, 3, WeightInit.meanField(2)), 16).verdict();
    assertTrue(shallow.trainable(), shallow.reason());
    List<dev.strata.trainer.spec.BlockSpec> blocks = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      blocks.add(ResidualBlock.of(32, 2, Activation.RELU).withPreActivation(true));
    }
    NetworkSpec res = NetworkSpec.builder().inputs(16).outputs(4).blocks(blocks).seed(1).build();
    InitReport rr = InitAnalysis.inspectSynthetic(res, 16);
    assertEquals(Verdict.Phase.RESIDUAL, rr.verdict().phase());
    assertTrue(rr.verdict().trainable());
    // additive variance: the stream's variance grows along the blocks
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("q from ([0-9.e+]+) to ([0-9.e+]+)").matcher(rr.verdict().reason());
    assertTrue(m.find(), rr.verdict().reason());
    assertTrue(Double.parseDouble(m.group(2)) > 5 * Double.parseDouble(m.group(1)), rr.verdict().reason());
  }

  @Test
  void deadReluUnitsAreCounted() {
    // tiny weights, large biases: each unit's sign is its bias's, for every row: about half are dead
    NetworkSpec s = NetworkSpec.builder().inputs(16).outputs(4).block(PlainBlock.of(400, 2, Activation.RELU)).seed(2)
        .training(TrainingSpec.builder().init(WeightInit.meanField(0.01)).biasSigma(5).build()).build();
    InitReport r = InitAnalysis.inspectSynthetic(s, 16);
    ActivationStats first = r.activations().getFirst();
    double dead = first.deadUnits();
    assertTrue(dead > 0.4 && dead < 0.6, "dead fraction " + dead); // binomial(400, 1/2): 3 sigma = 0.075
    // every unit is either dead on every row or alive on every row: the values agree with the units
    assertEquals(dead, first.inactiveValues(), 1e-12);
    double most = r.activations().stream().mapToDouble(ActivationStats::deadUnits).max().orElseThrow();
    assertEquals(most, r.mostInactive().orElseThrow().deadUnits());
  }

  @Test
  void logAbsDet() {
    assertEquals(Math.log(5), InitAnalysis.logAbsDet(new float[] {2, 1, 1, 3}, 2), 1e-12);
    assertEquals(Math.log(6), InitAnalysis.logAbsDet(new float[] {0, 2, 0, 3, 0, 0, 0, 0, 1}, 3), 1e-12);
    assertEquals(Double.NEGATIVE_INFINITY, InitAnalysis.logAbsDet(new float[] {1, 2, 2, 4}, 2));
  }

  @Test
  void naswotKernelCountsAgreements() {
    NetworkSpec s = tanh(24, 2, WeightInit.heNormal());
    InitReport r = InitAnalysis.inspectSynthetic(s, 8);
    // 8 distinct random rows over 48 units: K is positive definite with diagonal 48, so 0 < ln det <= 8 ln 48
    assertTrue(r.proxies().naswot() > 0 && r.proxies().naswot() <= 8 * Math.log(48), "naswot " + r.proxies().naswot());
    double sumNorms = r.layers().stream().mapToDouble(LayerStats::gradientNorm).sum();
    assertEquals(sumNorms, r.proxies().gradNorm(), 1e-9 * sumNorms);
    assertTrue(r.proxies().snip() > 0);
  }

  /**
   * Without biases a relu network's output sum R is homogeneous of degree D (the number of weight
   * matrices) in the weights, so SynFlow's sum W dR/dW = D R (Euler).
   */
  @Test
  void synflowSatisfiesEulersIdentity() {
    NetworkSpec s = NetworkSpec.builder().inputs(16).outputs(4).block(PlainBlock.of(24, 3, Activation.RELU)).seed(9)
        .training(TrainingSpec.builder().init(WeightInit.heNormal()).build()).build();
    double synflow = InitAnalysis.inspectSynthetic(s, 8).proxies().synflow();
    Network n = Network.of(s);
    n.allocate(1);
    n.initialize();
    float[] p = n.parameters();
    for (int i = 0; i < p.length; i++) {
      p[i] = Math.abs(p[i]);
    }
    float[] ones = new float[16];
    Arrays.fill(ones, 1f);
    float[] out = n.forward(ones, 1, false);
    double r = 0;
    for (int i = 0; i < 4; i++) {
      r += out[i];
    }
    assertEquals(Math.log(4 * r), synflow, 1e-5);
  }

  @Test
  void criticalInitMatchesTheorysSigma() {
    Theory t = InitAnalysis.inspectSynthetic(tanh(32, 4, WeightInit.critical()), 8).theory();
    assertEquals(MeanField.criticalSigmaW2(Activation.TANH, 0.05), t.sigmaW2(), 1e-12);
  }

  private static NetworkSpec relu(int width, int depth, long seed) {
    return NetworkSpec.builder().inputs(16).outputs(4).block(PlainBlock.of(width, depth, Activation.RELU)).seed(seed)
        .training(TrainingSpec.builder().init(WeightInit.heNormal()).biasSigma(0.1).build()).build();
  }

  private static Network built(NetworkSpec s) {
    Network n = Network.of(s);
    n.allocate(1);
    n.initialize();
    return n;
  }

  /**
   * SynFlow of a dense relu chain with biases in double precision, straight from the definition:
   * every parameter positive, so every relu passes its input; R = sum of the outputs of one all-ones
   * row; sum over weights of W dR/dW = sum_l sum_ij W_ij a_(l-1),i delta_l,j.
   */
  private static double synflowInDouble(Network n) {
    float[] p = n.parameters();
    List<double[]> acts = new ArrayList<>();
    double[] a = new double[n.inputs()];
    Arrays.fill(a, 1);
    acts.add(a);
    for (var l : n.weightedLayers()) {
      var b = n.parameterSlots().stream().filter(sl -> sl.name().equals(l.name() + ".bias")).findFirst().orElseThrow();
      int in = l.weight().rows();
      int out = l.weight().cols();
      double[] z = new double[out];
      for (int j = 0; j < out; j++) {
        z[j] = Math.abs(p[b.offset() + j]);
        for (int i = 0; i < in; i++) {
          z[j] += a[i] * Math.abs(p[l.weight().offset() + i * out + j]);
        }
      }
      acts.add(a = z);
    }
    double[] delta = new double[n.outputs()];
    Arrays.fill(delta, 1);
    double score = 0;
    for (int li = n.weightedLayers().size() - 1; li >= 0; li--) {
      var l = n.weightedLayers().get(li);
      int in = l.weight().rows();
      int out = l.weight().cols();
      double[] prev = acts.get(li);
      double[] back = new double[in];
      for (int i = 0; i < in; i++) {
        for (int j = 0; j < out; j++) {
          double w = Math.abs(p[l.weight().offset() + i * out + j]);
          score += w * prev[i] * delta[j];
          back[i] += w * delta[j];
        }
      }
      delta = back;
    }
    return Math.log(score);
  }

  /** A shallow chain: the float pass, the rescaled pass and the double-precision definition agree. */
  @Test
  void synflowRescaledGivesThePlainPassesValue() {
    Network n = built(relu(24, 4, 3));
    double plain = InitAnalysis.synflow(n);
    assertEquals(plain, InitAnalysis.synflow(n, true), 1e-12 * Math.abs(plain));
    assertEquals(synflowInDouble(n), plain, 1e-5);
  }

  /**
   * 60 relu layers of width 32 at He init with all weights positive gain about 6.4 a layer: R is
   * about 2^160, beyond float (2^128), so the plain float pass overflows; the rescaled pass gives
   * the double-precision value (float rounding over 60 layers: within 1e-4 of ln R).
   */
  @Test
  void synflowBeyondFloatRangeIsRescaledNotNaN() {
    Network n = built(relu(32, 60, 4));
    double exact = synflowInDouble(n);
    assertTrue(exact > Math.log(Float.MAX_VALUE) + 10, "the float pass overflows: ln score " + exact);
    double synflow = InitAnalysis.synflow(n);
    assertEquals(exact, synflow, 1e-4);
    float[] before = n.parameters().clone();
    InitAnalysis.synflow(n);
    assertTrue(Arrays.equals(before, n.parameters()), "parameters restored");
  }

  /**
   * Four post-activation dense residual blocks of width 512 (relu, no batch norm): the measured q of
   * every hidden layer within 10% of the theory, which takes each block's ReLU input (a non-negative
   * shortcut plus a zero-mean branch) as Gaussian with the shortcut's mean; taken as zero-mean it
   * was 0.41 of the measured q by the fourth block.
   */
  @Test
  void residualBlocksFollowTheTheoryAfterTheirRelu() {
    List<dev.strata.trainer.spec.BlockSpec> blocks = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      blocks.add(ResidualBlock.of(512, 2, Activation.RELU));
    }
    NetworkSpec s = NetworkSpec.builder().inputs(16).outputs(4).blocks(blocks).seed(1)
        .training(TrainingSpec.builder().init(WeightInit.heNormal()).biasSigma(0.1).build()).build();
    InitReport r = InitAnalysis.inspectSynthetic(s, 32);
    List<LayerStats> hidden = r.layers().subList(0, r.layers().size() - 1);
    assertEquals(9, hidden.size(), "2 layers per block and the first block's projection");
    for (LayerStats l : hidden) {
      assertEquals(l.theoryQ(), l.measuredQ(), 0.1 * l.theoryQ(), l.name());
    }
    assertTrue(hidden.getLast().theoryQ() > 10 * hidden.getFirst().theoryQ(), hidden.toString());
  }
}
