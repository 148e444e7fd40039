package dev.strata.benchmarks;

import dev.strata.trainer.spec.Activation;
import dev.strata.trainer.spec.Loss;
import dev.strata.trainer.spec.NetworkSpec;
import dev.strata.trainer.spec.OptimizerType;
import dev.strata.trainer.spec.PlainBlock;
import dev.strata.trainer.spec.ResidualBlock;
import dev.strata.trainer.spec.TrainingSpec;

/**
 * The four networks of the trainer-speed issue. {@code bench/compare_torch.py} builds the same
 * networks, optimizers and batch sizes in PyTorch; keep the two in step.
 */
final class Nets {

  private Nets() {}

  /**
   * (a) 784-256-256-10 ReLU, softmax cross-entropy, batch 64, Adam; (b) 64-128-128-10 ReLU,
   * batch 32, SGD with momentum 0.9; (c) 64-128 ReLU, four residual blocks of width 128, then 10,
   * batch 32, SGD with momentum; (d) 2-8-8-1 tanh, MSE, 200 points as one batch, Adam.
   *
   * <p>Strata's residual block is the post-activation one, {@code y = relu(x + W2 relu(W1 x))}; the
   * PyTorch twin uses the same form. Weights are Glorot-uniform and biases zero (Strata's default).
   *
   * <p>For kernel comparisons beyond these four, a name may give the activation of every block:
   * {@code b:gelu} is network (b) with GELU. The convolutional networks (e)-(h) of issue 17 are those
   * of {@link ConvBench}, read from the repository's examples.
   */
  static NetworkSpec spec(String net) {
    int colon = net.indexOf(':');
    String base = colon < 0 ? net : net.substring(0, colon);
    Activation act = colon >= 0 ? Activation.of(net.substring(colon + 1))
        : base.equals("d") ? Activation.TANH : Activation.RELU;
    return switch (base) {
      case "a" -> NetworkSpec.builder().inputs(784).outputs(10)
          .block(PlainBlock.of(256, 2, act))
          .training(training(OptimizerType.ADAM, 0.001, 64)).build();
      case "b" -> NetworkSpec.builder().inputs(64).outputs(10)
          .block(PlainBlock.of(128, 2, act))
          .training(training(OptimizerType.MOMENTUM, 0.01, 32)).build();
      case "c" -> {
        NetworkSpec.Builder b = NetworkSpec.builder().inputs(64).outputs(10)
            .block(PlainBlock.of(128, 1, act));
        for (int i = 0; i < 4; i++) {
          b.block(ResidualBlock.of(128, 2, act));
        }
        yield b.training(training(OptimizerType.MOMENTUM, 0.01, 32)).build();
      }
      case "d" -> NetworkSpec.builder().inputs(2).outputs(1)
          .block(PlainBlock.of(8, 2, act))
          .loss(Loss.MSE)
          .training(training(OptimizerType.ADAM, 0.01, 200)).build();
      case "e", "f", "g", "h" -> {
        try {
          yield ConvBench.spec(java.nio.file.Path.of(System.getProperty("strata.examples", "examples")), base);
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException("the convolutional networks are read from examples/ (run from the"
              + " repository root, or set -Dstrata.examples=DIR)", e);
        }
      }
      default -> throw new IllegalArgumentException("no network '" + net + "'; use a, b, c or d, optionally with"
          + " an activation for every block, as in b:gelu, or issue 17's convolutional e, f, g or h");
    };
  }

  private static TrainingSpec training(OptimizerType optimizer, double learningRate, int batch) {
    return TrainingSpec.builder().optimizer(optimizer).learningRate(learningRate).momentum(0.9).batchSize(batch)
        .build();
  }
}
