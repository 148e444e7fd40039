package dev.strata.trainer.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.trainer.spec.Activation;
import dev.strata.trainer.spec.BlockSpec;
import dev.strata.trainer.spec.InceptionBlock;
import dev.strata.trainer.spec.InceptionBlock.Branch;
import dev.strata.trainer.spec.Loss;
import dev.strata.trainer.spec.NetworkSpec;
import dev.strata.trainer.spec.PlainBlock;
import dev.strata.trainer.spec.ResidualBlock;
import dev.strata.trainer.spec.TrainingSpec;
import dev.strata.trainer.spec.WeightInit;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NetworkTest {

  private static NetworkSpec spec(int inputs, int outputs, Loss loss, BlockSpec... blocks) {
    return NetworkSpec.builder().inputs(inputs).outputs(outputs).loss(loss).blocks(List.of(blocks))
        .training(TrainingSpec.builder().init(WeightInit.heNormal()).biasSigma(0.1).build()).seed(17).build();
  }

  /**
   * Whole-network check: every parameter slot (up to 30 probes each) and the input gradient of the
   * mean loss, against finite differences in training mode.
   */
  static void checkNetwork(String what, NetworkSpec spec) {
    int rows = 6;
    Network n = Network.of(spec);
    n.allocate(rows);
    n.initialize();
    n.computeInputGradient(true);
    SplittableRandom rnd = new SplittableRandom(what.hashCode());
    float[] x = GradCheck.random(rnd, rows * spec.inputs(), -1.5, 1.5);
    int[] labels = new int[rows];
    for (int r = 0; r < rows; r++) {
      labels[r] = rnd.nextInt(spec.outputs());
    }
    float[] targets = GradCheck.random(rnd, rows * spec.outputs(), 0, 1);
    n.forwardBackward(x, rows, labels, targets);
    float[] grads = n.gradients().clone();
    float[] dx = n.inputGradient().clone();
    GradCheck.Loss loss = () -> n.lossFunction().apply(n.forward(x, rows, true), rows, labels, targets, null);
    GradCheck.check(what + " dx", x, 0, x.length, dx, 0, loss, 40);
    for (ParameterStore.Slot s : n.parameterSlots()) {
      GradCheck.check(what + " " + s.name(), n.parameters(), s.offset(), s.size(), grads, s.offset(), loss, 30);
    }
  }

  @Test
  void plainBlockGradients() {
    checkNetwork("plain", spec(5, 3, Loss.SOFTMAX_CROSS_ENTROPY, PlainBlock.of(7, 2, Activation.TANH)));
    checkNetwork("plain+bn", spec(5, 3, Loss.SOFTMAX_CROSS_ENTROPY,
        PlainBlock.of(7, 2, Activation.GELU).withBatchNorm(true)));
  }

  @Test
  void residualPostActivationGradients() {
    checkNetwork("residual post identity", spec(6, 2, Loss.MSE, ResidualBlock.of(6, 2, Activation.TANH)));
    checkNetwork("residual post projection+bn", spec(4, 2, Loss.MSE,
        ResidualBlock.of(7, 2, Activation.SOFTPLUS).withBatchNorm(true)));
    checkNetwork("residual post k=1 projection", spec(4, 2, Loss.MSE, ResidualBlock.of(5, 1, Activation.SIGMOID)));
  }

  @Test
  void residualPreActivationGradients() {
    checkNetwork("residual pre identity", spec(6, 1, Loss.BINARY_CROSS_ENTROPY,
        ResidualBlock.of(6, 2, Activation.TANH).withPreActivation(true)));
    checkNetwork("residual pre projection+bn", spec(4, 1, Loss.BINARY_CROSS_ENTROPY,
        ResidualBlock.of(7, 2, Activation.ELU).withPreActivation(true).withBatchNorm(true)));
  }

  @Test
  void inceptionGradients() {
    List<Branch> branches = List.of(Branch.of(3, 1, Activation.TANH), Branch.of(4, 2, Activation.SIGMOID),
        Branch.of(2, 1, Activation.GELU));
    checkNetwork("inception", spec(5, 3, Loss.SOFTMAX_CROSS_ENTROPY, InceptionBlock.of(branches)));
    checkNetwork("inception+projection", spec(5, 3, Loss.SOFTMAX_CROSS_ENTROPY,
        InceptionBlock.of(branches).withProjection(6)));
  }

  @Test
  void wholeSmallNetworkGradients() {
    checkNetwork("network", spec(5, 4, Loss.SOFTMAX_CROSS_ENTROPY,
        PlainBlock.of(8, 1, Activation.TANH).withBatchNorm(true),
        ResidualBlock.of(8, 2, Activation.GELU),
        ResidualBlock.of(6, 1, Activation.SOFTPLUS).withPreActivation(true),
        InceptionBlock.of(List.of(Branch.of(3, 2, Activation.TANH), Branch.of(4, 1, Activation.ELU))).withProjection(5)));
  }

  /**
   * The worked example of Omar U. Florez's "scratch_mlp": 2 -> 3 -> 2, sigmoid everywhere, no
   * biases. Float32 reproduces the published values to 1e-6.
   */
  @Test
  void scratchMlpWorkedExample() {
    NetworkSpec s = NetworkSpec.builder().inputs(2).outputs(2).loss(Loss.MSE).outputActivation(Activation.SIGMOID)
        .block(PlainBlock.of(3, 1, Activation.SIGMOID)).build();
    Network n = Network.of(s);
    n.allocate(1);
    n.initialize();
    float[] p = n.parameters();
    java.util.Arrays.fill(p, 0f); // no biases
    float[] w1 = {-0.67746455f, 0.37769425f, -0.07365253f, -0.53663519f, 0.60920496f, 0.21149622f};
    float[] w2 = {-0.41491732f, -0.30992816f, -0.31583913f, -0.27706468f, -0.44701662f, 0.15231059f};
    System.arraycopy(w1, 0, p, slot(n, "blocks.0.dense0.weight").offset(), 6);
    System.arraycopy(w2, 0, p, slot(n, "output.weight").offset(), 6);
    float[] h2 = n.forward(new float[] {1.76405235f, 0.40015721f}, 1, false);
    Dense hidden = (Dense) ((Sequential) n.body().layers().get(0)).layers().get(0);
    Dense output = (Dense) n.body().layers().get(1);
    assertClose(new double[] {-1.40982136, 0.91005018, -0.04529517}, hidden.preActivation(), "z1");
    float[] h1 = hidden.forward(new float[] {1.76405235f, 0.40015721f}, 1, false);
    assertClose(new double[] {0.19626223, 0.71301043, 0.48867814}, h1, "h1");
    n.forward(new float[] {1.76405235f, 0.40015721f}, 1, false);
    assertClose(new double[] {-0.52507645, -0.18394635}, output.preActivation(), "z2");
    assertClose(new double[] {0.37166596, 0.45414264}, h2, "h2");
  }

  private static void assertClose(double[] expected, float[] actual, String what) {
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], 1e-6, what + "[" + i + "]");
    }
  }

  private static ParameterStore.Slot slot(Network n, String name) {
    return n.parameterSlots().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void parameterCountAndFlopsFollowTheConventions() {
    NetworkSpec s = spec(4, 3, Loss.SOFTMAX_CROSS_ENTROPY,
        PlainBlock.of(8, 2, Activation.RELU),
        ResidualBlock.of(8, 2, Activation.RELU),
        ResidualBlock.of(6, 1, Activation.RELU).withPreActivation(true),
        InceptionBlock.of(List.of(Branch.of(3, 1, Activation.RELU), Branch.of(5, 2, Activation.RELU))).withProjection(4));
    Network n = Network.of(s);
    // plain 40 + 72; residual 72 + 72; pre-act 54 + shortcut 54; inception 21 + 35 + 30 + projection 36; output 15
    assertEquals(501, n.parameterCount());
    // plain 80 + 144; residual 144 + 136 + sum 8 + act 8; pre-act act 8 + 102 + shortcut 102 + sum 6;
    // inception 42 + 70 + 60 + projection 68; output 27
    assertEquals(1005, n.flopsPerSample());
    assertEquals(0, n.stateCount());
    assertTrue(n.bytesFor(32) > 4 * 2 * 501);
    NetworkSpec bn = spec(4, 3, Loss.SOFTMAX_CROSS_ENTROPY, PlainBlock.of(8, 2, Activation.RELU).withBatchNorm(true));
    assertEquals(4 * 8 + 8 + 16 + 8 * 8 + 8 + 16 + 8 * 3 + 3, Network.of(bn).parameterCount());
    assertEquals(2 * 2 * 8, Network.of(bn).stateCount());
  }

  @Test
  void planningAGiantNetworkAllocatesNothing() {
    NetworkSpec giant = spec(100_000, 10, Loss.SOFTMAX_CROSS_ENTROPY, PlainBlock.of(100_000, 3, Activation.RELU));
    Network n = Network.of(giant);
    assertEquals(3L * 100_000 * 100_000 + 3 * 100_000 + 100_000 * 10 + 10, n.parameterCount());
    assertTrue(n.bytesFor(32) > 4L * 2 * 3 * 100_000 * 100_000);
    assertTrue(!n.fitsArrays(32));
  }

  @Test
  void gradientsAreBitIdenticalForAnyThreadCount() {
    // Wide enough that every product is split across the pool when threads > 1.
    float[][] grads = new float[3][];
    for (int threads = 1; threads <= 3; threads++) {
      NetworkSpec spec = NetworkSpec.builder().inputs(300).outputs(10).loss(Loss.SOFTMAX_CROSS_ENTROPY)
          .blocks(List.of(PlainBlock.of(256, 2, Activation.GELU), ResidualBlock.of(256, 2, Activation.RELU)))
          .training(TrainingSpec.builder().threads(threads).build()).seed(4).build();
      int rows = 64;
      Network n = Network.of(spec);
      n.allocate(rows);
      n.initialize();
      SplittableRandom rnd = new SplittableRandom(8);
      float[] x = GradCheck.random(rnd, rows * spec.inputs(), -1, 1);
      int[] labels = new int[rows];
      for (int r = 0; r < rows; r++) {
        labels[r] = rnd.nextInt(spec.outputs());
      }
      n.forwardBackward(x, rows, labels, null);
      grads[threads - 1] = n.gradients().clone();
    }
    for (int t = 1; t < 3; t++) {
      for (int i = 0; i < grads[0].length; i++) {
        assertEquals(Float.floatToRawIntBits(grads[0][i]), Float.floatToRawIntBits(grads[t][i]),
            "threads " + (t + 1) + " gradient " + i);
      }
    }
  }
}
