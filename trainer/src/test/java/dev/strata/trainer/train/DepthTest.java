package dev.strata.trainer.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.trainer.data.DataSplit;
import dev.strata.trainer.data.Generators;
import dev.strata.trainer.data.Splitter;
import dev.strata.trainer.nn.Network;
import dev.strata.trainer.nn.ParameterStore;
import dev.strata.trainer.spec.Activation;
import dev.strata.trainer.spec.BlockSpec;
import dev.strata.trainer.spec.NetworkSpec;
import dev.strata.trainer.spec.OptimizerType;
import dev.strata.trainer.spec.PlainBlock;
import dev.strata.trainer.spec.ResidualBlock;
import dev.strata.trainer.spec.TrainingSpec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The ResNet story on the two-arm spiral: a 30-layer plain sigmoid MLP's gradient vanishes on the
 * way down (sigmoid' <= 1/4 per layer), while 30 layers arranged as 15 pre-activation residual
 * blocks of 2 keep an identity path for the gradient and train to >= 95%. The residual stack uses
 * tanh: with sigmoid (whose outputs have mean 1/2, so every branch shifts the identity path) the
 * same stack reaches only about 85% in these 40 epochs.
 */
class DepthTest {

  private static final DataSplit SPIRAL = Splitter.split(Generators.spiral(2, 500, 0.1, 7), 0.2, 0.2, 7);

  private static double norm(float[] g, ParameterStore.Slot s) {
    double sum = 0;
    for (int i = s.offset(); i < s.offset() + s.size(); i++) {
      sum += (double) g[i] * g[i];
    }
    return Math.sqrt(sum);
  }

  /** ||dL/dW|| of the first and of the last (output) weight matrix on one batch of 64 at initialisation. */
  private static double[] firstAndLastGradientNorm(NetworkSpec spec) {
    Network n = Network.of(spec);
    n.allocate(64);
    n.initialize();
    float[] x = java.util.Arrays.copyOf(SPIRAL.train().x(), 64 * 2);
    int[] labels = java.util.Arrays.copyOf(SPIRAL.train().labels(), 64);
    n.forwardBackward(x, 64, labels, null);
    List<ParameterStore.Slot> w = n.weightSlots();
    return new double[] {norm(n.gradients(), w.getFirst()), norm(n.gradients(), w.getLast())};
  }

  @Test
  void thirtyLayerPlainSigmoidGradientVanishes() {
    NetworkSpec plain = NetworkSpec.builder().inputs(2).outputs(2).block(PlainBlock.of(16, 30, Activation.SIGMOID))
        .seed(1).build();
    double[] g = firstAndLastGradientNorm(plain);
    System.out.printf("plain sigmoid x30: first %.3e last %.3e ratio %.3e%n", g[0], g[1], g[0] / g[1]);
    assertTrue(g[0] < 1e-4 * g[1], "first " + g[0] + " last " + g[1]);
  }

  @Test
  void sameDepthFromResidualBlocksTrains() {
    List<BlockSpec> blocks = new ArrayList<>();
    for (int i = 0; i < 15; i++) {
      blocks.add(ResidualBlock.of(16, 2, Activation.TANH).withPreActivation(true));
    }
    NetworkSpec residual = NetworkSpec.builder().inputs(2).outputs(2).blocks(blocks)
        .training(TrainingSpec.builder().optimizer(OptimizerType.ADAM).learningRate(0.003).batchSize(32).epochs(40).build())
        .seed(1).build();
    double[] g = firstAndLastGradientNorm(residual);
    System.out.printf("residual tanh 15x2: first %.3e last %.3e ratio %.3e%n", g[0], g[1], g[0] / g[1]);
    assertTrue(g[0] > 1e-2 * g[1], "the identity paths carry the gradient down: first " + g[0] + " last " + g[1]);
    TrainingResult r = new Trainer().train(residual, SPIRAL);
    LearningTest.report("residual x30", r);
    assertTrue(r.metrics().test().accuracy() >= 0.95, "test accuracy " + r.metrics().test().accuracy());
  }
}
