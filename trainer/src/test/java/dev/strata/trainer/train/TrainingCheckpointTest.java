package dev.strata.trainer.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.trainer.data.DataSplit;
import dev.strata.trainer.data.Generators;
import dev.strata.trainer.data.Splitter;
import dev.strata.trainer.spec.Activation;
import dev.strata.trainer.spec.NetworkSpec;
import dev.strata.trainer.spec.OptimizerType;
import dev.strata.trainer.spec.PlainBlock;
import dev.strata.trainer.spec.ResidualBlock;
import dev.strata.trainer.spec.ScheduleSpec;
import dev.strata.trainer.spec.TrainingSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** Pausing at an epoch, saving, loading and resuming equals one uninterrupted run, bit for bit. */
class TrainingCheckpointTest {

  private static final DataSplit SPIRAL = Splitter.split(Generators.spiral(3, 120, 0.15, 5), 0.2, 0.2, 5);
  private static final int EPOCHS = 8;

  @TempDir Path tmp;

  /** Dropout, batch norm, a cosine schedule and early-stopping bookkeeping: every piece of state. */
  private static NetworkSpec spec(OptimizerType optimizer) {
    TrainingSpec training = TrainingSpec.builder().optimizer(optimizer).learningRate(0.02).batchSize(16)
        .epochs(EPOCHS).schedule(ScheduleSpec.cosine(1e-4)).patience(50).build();
    return NetworkSpec.builder().inputs(2).outputs(3)
        .block(PlainBlock.builder().width(24).layers(1).activation(Activation.RELU).dropout(0.2).batchNorm(true).build())
        .block(ResidualBlock.of(24, 2, Activation.TANH))
        .training(training).seed(11).build();
  }

  @ParameterizedTest
  @EnumSource(value = OptimizerType.class, names = {"SGD", "MOMENTUM", "NESTEROV", "ADAGRAD", "RMSPROP", "ADADELTA", "ADAM", "ADAMW"})
  void pauseSaveLoadResumeEqualsAStraightRun(OptimizerType optimizer) throws IOException {
    NetworkSpec spec = spec(optimizer);
    Trainer trainer = new Trainer();
    TrainingResult straight = trainer.train(spec, SPIRAL);
    assertEquals(TrainingStatus.COMPLETED, straight.status(), straight.reason());

    List<Integer> resumedEpochs = new ArrayList<>();
    TrainingResult first = trainer.train(spec, SPIRAL, TrainingControl.defaults(), 3);
    assertEquals(TrainingStatus.PAUSED, first.status());
    assertEquals(3, first.metrics().epochsRun());
    assertNotNull(first.checkpoint());
    Path file = tmp.resolve(optimizer + ".ckpt");
    first.checkpoint().write(file);

    TrainingResult second = trainer.resume(TrainingCheckpoint.read(file), SPIRAL, TrainingControl.defaults(), 5);
    assertEquals(TrainingStatus.PAUSED, second.status());
    second.checkpoint().write(file);
    TrainingResult last = trainer.resume(TrainingCheckpoint.read(file), SPIRAL,
        TrainingControl.defaults().withListener(m -> {
          resumedEpochs.add(m.epoch());
          return EpochListener.Decision.CONTINUE;
        }), 0);

    assertEquals(List.of(6, 7, 8), resumedEpochs, "only the remaining epochs are trained");
    assertEquals(TrainingStatus.COMPLETED, last.status(), last.reason());
    assertNull(last.checkpoint());
    assertArrayEquals(straight.network().parameters(), last.network().parameters(), "weights");
    assertArrayEquals(straight.network().state(), last.network().state(), "batch-norm statistics");
    assertEquals(withoutTime(straight.history()), withoutTime(last.history()));
    assertEquals(straight.metrics().train(), last.metrics().train());
    assertEquals(straight.metrics().validation(), last.metrics().validation());
    assertEquals(straight.metrics().test(), last.metrics().test());
    assertEquals(EPOCHS, last.metrics().epochsRun());
  }

  /**
   * A convolutional network with every piece of image state: batch norm with its fused ReLU, a ReLU
   * moved past max pooling, a strided residual projection with dropout, a cell and augmentation.
   */
  @ParameterizedTest
  @EnumSource(value = OptimizerType.class, names = {"MOMENTUM", "ADAM"})
  void aConvolutionalNetworkPausedAndResumedEqualsAStraightRun(OptimizerType optimizer) throws IOException {
    NetworkSpec spec = dev.strata.trainer.spec.NetworkSpecs.fromJson("""
        {"image": {"channels": 1, "height": 7, "width": 7}, "outputs": 2,
         "blocks": [
           {"type": "conv", "filters": 5, "kernel": 3, "batchNorm": true},
           {"type": "conv", "filters": 6, "kernel": 3, "batchNorm": false},
           {"type": "pool", "mode": "max", "size": 2, "stride": 1},
           {"type": "conv_residual", "filters": 7, "stride": 2, "dropout": 0.2},
           {"type": "cell", "edges": ["conv_3x3", "skip_connect", "avg_pool_3x3"], "nodes": 3},
           {"type": "pool", "mode": "global"}],
         "training": {"batchSize": 8, "epochs": 5, "learningRate": 0.02,
                      "augment": {"crop": 1, "flip": true}},
         "seed": 4}""");
    spec = spec.withTraining(spec.training().withOptimizer(optimizer));
    DataSplit split = Splitter.split(images(80, 49), 0.2, 0.2, 3);
    Trainer trainer = new Trainer();
    TrainingResult straight = trainer.train(spec, split);
    assertEquals(TrainingStatus.COMPLETED, straight.status(), straight.reason());
    TrainingResult first = trainer.train(spec, split, TrainingControl.defaults(), 2);
    assertEquals(TrainingStatus.PAUSED, first.status());
    Path file = tmp.resolve("conv-" + optimizer + ".ckpt");
    first.checkpoint().write(file);
    TrainingResult last = trainer.resume(TrainingCheckpoint.read(file), split, TrainingControl.defaults(), 0);
    assertEquals(TrainingStatus.COMPLETED, last.status(), last.reason());
    assertArrayEquals(straight.network().parameters(), last.network().parameters(), "weights");
    assertArrayEquals(straight.network().state(), last.network().state(), "batch-norm statistics");
    assertEquals(withoutTime(straight.history()), withoutTime(last.history()));
    assertEquals(straight.metrics().test(), last.metrics().test());
  }

  /** Two classes of noisy images: class 1 is brighter in its left half. */
  private static dev.strata.trainer.data.Dataset images(int n, int pixels) {
    java.util.Random rnd = new java.util.Random(5);
    float[] x = new float[n * pixels];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = i % 2;
      for (int j = 0; j < pixels; j++) {
        x[i * pixels + j] = (float) (rnd.nextGaussian() * 0.5 + (y[i] == 1 && j % 7 < 3 ? 1 : 0));
      }
    }
    return new dev.strata.trainer.data.Dataset("img", x, n, pixels, y, null, 0, null, List.of("a", "b"));
  }

  @Test
  void aPausedRunReportsTheMetricsOfARunThatEndedThere() {
    NetworkSpec spec = spec(OptimizerType.ADAM);
    List<EpochMetrics> seen = new ArrayList<>();
    TrainingResult paused = new Trainer().train(spec, SPIRAL, TrainingControl.defaults().withListener(m -> {
      seen.add(m);
      return EpochListener.Decision.CONTINUE;
    }), 4);
    assertEquals(4, seen.size());
    assertEquals(seen.getLast().validationLoss(), paused.metrics().validation().loss());
    assertTrue(paused.status().hasModel());
    assertEquals(4, paused.checkpoint().epochs());
    assertEquals(seen, paused.checkpoint().history());
  }

  @Test
  void damagedTruncatedOrForeignFilesAreRefused() throws IOException {
    TrainingResult paused = new Trainer().train(spec(OptimizerType.MOMENTUM), SPIRAL, TrainingControl.defaults(), 2);
    Path file = tmp.resolve("good.ckpt");
    paused.checkpoint().write(file);
    byte[] bytes = Files.readAllBytes(file);

    Path flipped = tmp.resolve("flipped.ckpt");
    byte[] copy = bytes.clone();
    copy[copy.length / 2] ^= 0x10;
    Files.write(flipped, copy);
    assertTrue(assertThrows(IOException.class, () -> TrainingCheckpoint.read(flipped)).getMessage().contains("checksum"));

    Path truncated = tmp.resolve("truncated.ckpt");
    Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length - 100));
    assertTrue(assertThrows(IOException.class, () -> TrainingCheckpoint.read(truncated)).getMessage().contains("truncated"));

    Path model = tmp.resolve("model.bin");
    paused.network().save(model);
    assertTrue(assertThrows(IOException.class, () -> TrainingCheckpoint.read(model)).getMessage().contains("STRATACK"));

    DataSplit other = Splitter.split(Generators.spiral(3, 120, 0.15, 6), 0.2, 0.2, 5);
    assertThrows(IllegalArgumentException.class,
        () -> new Trainer().resume(paused.checkpoint(), other, TrainingControl.defaults(), 0));
    assertThrows(IllegalArgumentException.class,
        () -> new Trainer().resume(paused.checkpoint(), SPIRAL, TrainingControl.defaults(), 2));
  }

  private static List<List<Double>> withoutTime(List<EpochMetrics> history) {
    return history.stream().map(m -> List.of((double) m.epoch(), m.trainLoss(), m.validationLoss(),
        m.validationAccuracy(), m.learningRate())).toList();
  }
}
