package dev.strata.trainer.train;

import dev.strata.trainer.data.DataSplit;
import dev.strata.trainer.data.Generators;
import dev.strata.trainer.data.Splitter;
import dev.strata.trainer.spec.Activation;
import dev.strata.trainer.spec.ConvBlock;
import dev.strata.trainer.spec.ConvInceptionBlock;
import dev.strata.trainer.spec.ConvResidualBlock;
import dev.strata.trainer.spec.ImageShape;
import dev.strata.trainer.spec.Padding;
import dev.strata.trainer.spec.PoolBlock;
import dev.strata.trainer.spec.PoolMode;
import dev.strata.trainer.spec.InceptionBlock;
import dev.strata.trainer.spec.Loss;
import dev.strata.trainer.spec.NetworkSpec;
import dev.strata.trainer.spec.OptimizerType;
import dev.strata.trainer.spec.PlainBlock;
import dev.strata.trainer.spec.ResidualBlock;
import dev.strata.trainer.spec.TrainingSpec;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Trains a fixed set of small networks and prints one line per network: its name and a CRC-32 of
 * its weights, batch-norm state and per-epoch losses. {@link VectorWidthIdentityTest} runs it in
 * JVMs forced to 4, 8 and 16 lanes and compares the lines. The networks cover every kernel family:
 * dense products on the unpacked and packed paths (narrow 10-class outputs, widths that are no
 * multiple of 16), softmax, binary and squared-error losses, batch norm, dropout, exp-based
 * activations, residual and inception blocks, every optimizer kind, clipping (a sum of squares) and
 * two GEMM threads, and the image layers (convolution, pooling, batch norm over channels).
 */
public final class WidthFingerprint {

  private WidthFingerprint() {}

  static Map<String, NetworkSpec> networks() {
    Map<String, NetworkSpec> nets = new LinkedHashMap<>();
    nets.put("blobs-relu-adam", NetworkSpec.builder().inputs(37).outputs(10)
        .block(PlainBlock.of(70, 2, Activation.RELU))
        .training(training(OptimizerType.ADAM, 32).clipNorm(1.0).build()).seed(1).build());
    nets.put("blobs-gelu-bn-dropout-momentum", NetworkSpec.builder().inputs(37).outputs(10)
        .block(PlainBlock.of(53, 1, Activation.GELU).withBatchNorm(true).withDropout(0.2))
        .block(ResidualBlock.of(29, 2, Activation.TANH).withBatchNorm(true))
        .training(training(OptimizerType.MOMENTUM, 16).threads(2).build()).seed(2).build());
    nets.put("blobs-inception-rmsprop", NetworkSpec.builder().inputs(37).outputs(10)
        .block(InceptionBlock.of(List.of(InceptionBlock.Branch.of(19, 1, Activation.ELU),
            InceptionBlock.Branch.of(33, 2, Activation.SOFTPLUS))).withProjection(24))
        .training(training(OptimizerType.RMSPROP, 20).build()).seed(3).build());
    nets.put("speech-mse-adadelta", NetworkSpec.builder().inputs(Generators.SPEECH_INPUTS)
        .outputs(Generators.SPEECH_OUTPUTS).loss(Loss.MSE).outputActivation(Activation.LINEAR)
        .block(PlainBlock.of(96, 2, Activation.SIGMOID))
        .training(training(OptimizerType.ADADELTA, 64).clipNorm(0.5).build()).seed(4).build());
    nets.put("moons-bce-nesterov", NetworkSpec.builder().inputs(2).outputs(1)
        .loss(Loss.BINARY_CROSS_ENTROPY).outputActivation(Activation.LINEAR)
        .block(PlainBlock.of(17, 3, Activation.LEAKY_RELU))
        .training(training(OptimizerType.NESTEROV, 8).weightDecay(1e-3).build()).seed(5).build());
    nets.put("blobs-adagrad-adamw", NetworkSpec.builder().inputs(37).outputs(10)
        .block(ResidualBlock.of(40, 2, Activation.RELU).withPreActivation(true))
        .training(training(OptimizerType.ADAMW, 32).weightDecay(1e-2).build()).seed(6).build());
    // images 3x7x5 (no multiple of any width): conv + BN, strided residual with projection, inception
    // with a pool branch, separable conv, max and global pooling, on two threads
    nets.put("images-conv-momentum", NetworkSpec.builder().image(ImageShape.of(3, 7, 5)).outputs(10)
        .block(ConvBlock.of(7, 3).withBatchNorm(true))
        .block(ConvResidualBlock.of(9, 2, 1))
        .block(new ConvInceptionBlock(List.of(ConvInceptionBlock.Branch.of(5, 3, 3, null),
            ConvInceptionBlock.Branch.of(4, 1, null, PoolMode.MAX)), Activation.RELU, false, null))
        .block(new ConvBlock(6, 3, 1, Padding.SAME, 1, 1, false, true, null, false, Activation.GELU, 1, null))
        .block(PoolBlock.global())
        .training(training(OptimizerType.MOMENTUM, 16).threads(2).build()).seed(7).build());
    return nets;
  }

  private static TrainingSpec.Builder training(OptimizerType optimizer, int batch) {
    return TrainingSpec.builder().optimizer(optimizer).batchSize(batch).epochs(3);
  }

  static DataSplit data(NetworkSpec spec) {
    if (spec.image() != null) {
      return Splitter.split(Generators.blobs(300, 10, spec.inputs(), 2.0, 7), 0.2, 0.2, 7);
    }
    if (spec.loss() == Loss.MSE) {
      return Splitter.split(Generators.speechLike(300, 0.1, 7), 0.2, 0.2, 7);
    }
    if (spec.loss() == Loss.BINARY_CROSS_ENTROPY) {
      return Splitter.split(Generators.moons(300, 0.2, 7), 0.2, 0.2, 7);
    }
    return Splitter.split(Generators.blobs(400, 10, 37, 2.0, 7), 0.2, 0.2, 7);
  }

  /** One {@code name crc} line per network. */
  static String fingerprints() {
    StringBuilder out = new StringBuilder();
    for (Map.Entry<String, NetworkSpec> e : networks().entrySet()) {
      TrainingResult r = new Trainer().train(e.getValue(), data(e.getValue()));
      CRC32 crc = new CRC32();
      update(crc, r.network().parameters());
      update(crc, r.network().state());
      for (EpochMetrics m : r.history()) {
        crc.update(ByteBuffer.allocate(16).putDouble(m.trainLoss()).putDouble(m.validationLoss()).array());
      }
      out.append(e.getKey()).append(' ').append(Long.toHexString(crc.getValue())).append('\n');
    }
    return out.toString();
  }

  private static void update(CRC32 crc, float[] values) {
    ByteBuffer b = ByteBuffer.allocate(4 * values.length);
    for (float v : values) {
      b.putInt(Float.floatToRawIntBits(v));
    }
    crc.update(b.array());
  }

  public static void main(String[] args) {
    System.out.print(fingerprints());
  }
}
