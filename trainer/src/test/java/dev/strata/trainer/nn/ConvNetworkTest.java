package dev.strata.trainer.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.trainer.spec.Activation;
import dev.strata.trainer.spec.BlockSpec;
import dev.strata.trainer.spec.ConvBlock;
import dev.strata.trainer.spec.ConvInceptionBlock;
import dev.strata.trainer.spec.ConvInceptionBlock.Branch;
import dev.strata.trainer.spec.ConvResidualBlock;
import dev.strata.trainer.spec.ImageShape;
import dev.strata.trainer.spec.NetworkSpec;
import dev.strata.trainer.spec.NetworkSpecs;
import dev.strata.trainer.spec.Padding;
import dev.strata.trainer.spec.PlainBlock;
import dev.strata.trainer.spec.PoolBlock;
import dev.strata.trainer.spec.PoolMode;
import dev.strata.trainer.spec.TrainingSpec;
import dev.strata.trainer.spec.WeightInit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The networks (e)-(h), whole, by finite differences at odd sizes, and at full size by their counts. */
class ConvNetworkTest {

  static NetworkSpec spec(ImageShape image, Activation act, BlockSpec... blocks) {
    return NetworkSpec.builder().image(image).outputs(3).blocks(List.of(blocks))
        .training(TrainingSpec.builder().init(WeightInit.heNormal()).biasSigma(0.1).build()).seed(17).build();
  }

  static ConvBlock conv(int filters, int kernel, Activation act) {
    return new ConvBlock(filters, kernel, 1, Padding.SAME, 1, 1, false, false, null, false, act, 1, null);
  }

  /** (e): conv-pool-conv-pool-dense. */
  static NetworkSpec lenet(ImageShape in, int c1, int c2, Activation act) {
    return spec(in, act, conv(c1, 3, act), PoolBlock.max(2, 2), conv(c2, 3, act), PoolBlock.max(2, 2));
  }

  /** (f) and (h): BN stem, two residual units, a strided one with projection, one more, global pooling. */
  static NetworkSpec resnet(ImageShape in, int c1, int c2, Activation act) {
    return spec(in, act, conv(c1, 3, act).withBatchNorm(true),
        new ConvResidualBlock(c1, 3, 1, true, act, 2, null), new ConvResidualBlock(c2, 3, 2, true, act, 1, null),
        new ConvResidualBlock(c2, 3, 1, true, act, 1, null), PoolBlock.global());
  }

  /** (g): conv-pool, one inception block of four branches, global pooling. */
  static NetworkSpec inception(ImageShape in, Activation act, int scale) {
    return inception(in, act, scale, PoolMode.MAX);
  }

  static NetworkSpec inception(ImageShape in, Activation act, int scale, PoolMode pool) {
    return spec(in, act, conv(16 / scale, 3, act), new PoolBlock(pool, 2, 2, 0), new ConvInceptionBlock(List.of(
        Branch.of(16 / scale, 1, null, null), Branch.of(16 / scale, 3, 8 / scale, null),
        Branch.of(8 / scale, 5, 4 / scale, null), Branch.of(8 / scale, 1, null, pool)), act, false, null),
        PoolBlock.global());
  }

  /** {@link NetworkTest#checkNetwork} with fewer probes per slot: these networks have many slots. */
  static void checkNetwork(String what, NetworkSpec spec) {
    int rows = 4;
    Network n = Network.of(spec);
    n.allocate(rows);
    n.initialize();
    n.computeInputGradient(true);
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(what.hashCode());
    float[] x = GradCheck.random(rnd, rows * spec.inputs(), -1.5, 1.5);
    int[] labels = new int[rows];
    for (int r = 0; r < rows; r++) {
      labels[r] = rnd.nextInt(spec.outputs());
    }
    n.forwardBackward(x, rows, labels, null);
    float[] grads = n.gradients().clone();
    float[] dx = n.inputGradient().clone();
    GradCheck.Loss loss = () -> n.lossFunction().apply(n.forward(x, rows, true), rows, labels, null, null);
    GradCheck.check(what + " dx", x, 0, x.length, dx, 0, loss, 16);
    for (ParameterStore.Slot s : n.parameterSlots()) {
      GradCheck.check(what + " " + s.name(), n.parameters(), s.offset(), s.size(), grads, s.offset(), loss, 5);
    }
  }

  @Test
  void lenetGradientsAtOddSizes() {
    checkNetwork("(e)", lenet(ImageShape.of(1, 9, 7), 3, 5, Activation.TANH));
  }

  @Test
  void resnetGradientsAtOddSizes() {
    checkNetwork("(f)", resnet(ImageShape.of(1, 7, 9), 3, 5, Activation.TANH));
    checkNetwork("(h)", resnet(ImageShape.of(3, 9, 9), 3, 5, Activation.SOFTPLUS));
  }

  @Test
  void inceptionGradientsAtOddSizes() {
    // average pooling: a max pool's argmax can flip under a finite-difference step (max pooling's own
    // gradient is checked layer by layer, and in (e))
    checkNetwork("(g)", inception(ImageShape.of(1, 11, 9), Activation.TANH, 4, PoolMode.AVG));
  }

  @Test
  void separableDepthwiseDilatedAndDenseHead() {
    checkNetwork("separable", spec(ImageShape.of(3, 7, 7), Activation.TANH,
        new ConvBlock(5, 3, 2, Padding.SAME, 1, 1, false, true, null, true, Activation.TANH, 1, null),
        new ConvBlock(5, 3, 1, Padding.SAME, 2, 1, true, false, null, false, Activation.TANH, 2, null),
        new PoolBlock(PoolMode.AVG, 3, 1, 1), PlainBlock.of(4, 1, Activation.TANH)));
  }

  @Test
  void fullSizeNetworksHaveThePyTorchParameterCounts() {
    NetworkSpec e = lenet(ImageShape.of(1, 28, 28), 16, 32, Activation.RELU).toBuilder().outputs(10).build();
    assertEquals(160 + 4640 + 15690, Network.of(e).parameterCount());
    NetworkSpec f = resnet(ImageShape.of(1, 28, 28), 16, 32, Activation.RELU).toBuilder().outputs(10).build();
    // stem 144 + BN 32; 2 x (2 x (2304 + 32)); 4608 + 64 + 9216 + 64 + 512 + 64; 2 x (9216 + 64); 330
    assertEquals(176 + 9344 + 14528 + 18560 + 330, Network.of(f).parameterCount());
    NetworkSpec g = inception(ImageShape.of(1, 28, 28), Activation.RELU, 1).toBuilder().outputs(10).build();
    // stem 160; branches 16*16+16, 16*8+8 + 8*9*16+16, 16*4+4 + 4*25*8+8, 16*8+8; dense 490
    assertEquals(160 + 272 + 136 + 1168 + 68 + 808 + 136 + 490, Network.of(g).parameterCount());
    assertEquals(48, g.lastHiddenWidth());
    assertEquals(32 * 7 * 7, e.lastHiddenWidth());
  }

  @Test
  void theExamplesParseAndBuild() throws Exception {
    Path dir = Path.of("..", "examples");
    for (String name : List.of("fashion-mnist-cnn.json", "fashion-mnist-resnet.json", "fashion-mnist-inception.json")) {
      NetworkSpec s = NetworkSpecs.read(dir.resolve(name));
      assertEquals(784, s.inputs(), name);
      Network n = Network.of(s);
      assertTrue(n.flopsPerSample() > 1_000_000, name);
      assertEquals(s, NetworkSpecs.fromJson(NetworkSpecs.toJson(s)), name + " round trip");
    }
    assertTrue(Files.readString(dir.resolve("fashion-mnist-cnn.json")).contains("\"conv\""));
  }

  @Test
  void memoryIsEstimatedBeforeAnythingIsAllocated() {
    // 512 channels at 224 x 224: per-row buffers of 25.7 M floats, planned but never allocated
    NetworkSpec big = spec(ImageShape.of(3, 224, 224), Activation.RELU, conv(512, 3, Activation.RELU),
        conv(512, 3, Activation.RELU));
    Network n = Network.of(big);
    assertTrue(n.bytesFor(256) > 100L << 30, "over 100 GiB for 256 rows: " + n.bytesFor(256));
    assertTrue(!n.fitsArrays(256));
    assertThrows(IllegalStateException.class, () -> n.allocate(256));
  }
}
