package dev.strata.trainer.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.trainer.data.DataSplit;
import dev.strata.trainer.data.Dataset;
import dev.strata.trainer.data.Generators;
import dev.strata.trainer.data.Splitter;
import dev.strata.trainer.spec.Activation;
import dev.strata.trainer.spec.Loss;
import dev.strata.trainer.spec.NetworkSpec;
import dev.strata.trainer.spec.OptimizerType;
import dev.strata.trainer.spec.PlainBlock;
import dev.strata.trainer.spec.TrainingSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The training loop's control paths: statuses, listener, budgets, divergence, memory guard, metrics. */
class TrainerTest {

  private static final DataSplit SPIRAL = Splitter.split(Generators.spiral(2, 100, 0.1, 3), 0.2, 0.2, 3);

  private static NetworkSpec small(TrainingSpec training) {
    return NetworkSpec.builder().inputs(2).outputs(2).block(PlainBlock.of(16, 1, Activation.TANH)).training(training)
        .seed(9).build();
  }

  private static TrainingSpec.Builder base() {
    return TrainingSpec.builder().optimizer(OptimizerType.ADAM).learningRate(0.01).batchSize(16).epochs(5);
  }

  @Test
  void completedRunReportsEveryEpochAndFinalMetrics() {
    List<EpochMetrics> seen = new ArrayList<>();
    TrainingResult r = new Trainer().train(small(base().build()), SPIRAL,
        TrainingControl.defaults().withListener(m -> {
          seen.add(m);
          return EpochListener.Decision.CONTINUE;
        }));
    assertEquals(TrainingStatus.COMPLETED, r.status());
    assertEquals(5, seen.size());
    assertEquals(seen, r.history());
    assertEquals(List.of(1, 2, 3, 4, 5), seen.stream().map(EpochMetrics::epoch).toList());
    EpochMetrics last = seen.getLast();
    assertTrue(Double.isFinite(last.trainLoss()) && Double.isFinite(last.validationLoss()));
    assertTrue(Double.isNaN(last.validationRmse()) && last.validationAccuracy() >= 0);
    TrainingMetrics m = r.metrics();
    assertEquals(5, m.epochsRun());
    assertEquals(2 * 16 + 16 + 16 * 2 + 2, m.parameterCount());
    assertEquals(2 * 2 * 16 + 16 + 16 + 2 * 16 * 2 + 2, m.flopsPerSample());
    assertEquals(SPIRAL.test().rows(), m.test().rows());
    assertTrue(m.train().accuracy() > 0.5 && Double.isNaN(m.train().rmse()));
    assertEquals(m.validation().loss(), last.validationLoss(), "same weights, same inference-mode loss");
    assertTrue(r.network().provenance().datasetHash().startsWith("sha256:"));
    assertEquals(r.estimate().totalBytes(), m.estimatedBytes());
  }

  @Test
  void listenerCanStopTheRun() {
    TrainingResult r = new Trainer().train(small(base().build()), SPIRAL, TrainingControl.defaults()
        .withListener(m -> m.epoch() == 2 ? EpochListener.Decision.STOP : EpochListener.Decision.CONTINUE));
    assertEquals(TrainingStatus.STOPPED, r.status());
    assertEquals(2, r.metrics().epochsRun());
    assertTrue(r.hasNetwork() && r.reason().contains("listener"));
  }

  @Test
  void cancellationIsCheckedPerBatch() {
    AtomicBoolean cancel = new AtomicBoolean();
    TrainingResult r = new Trainer().train(small(base().build()), SPIRAL, TrainingControl.defaults()
        .withCancellation(cancel::get)
        .withListener(m -> {
          cancel.set(true);
          return EpochListener.Decision.CONTINUE;
        }));
    assertEquals(TrainingStatus.CANCELLED, r.status());
    assertEquals(1, r.metrics().epochsRun());
    assertTrue(r.reason().contains("epoch 2"), r.reason());
  }

  @Test
  void timeBudgetEndsTheRun() {
    // A budget of one nanosecond is used up before the first batch: deterministic, no timing assertion.
    TrainingResult r = new Trainer().train(small(base().maxSeconds(1e-9).build()), SPIRAL);
    assertEquals(TrainingStatus.TIMED_OUT, r.status());
    assertEquals(0, r.metrics().epochsRun());
    assertTrue(r.hasNetwork() && Double.isFinite(r.metrics().test().loss()));
  }

  @Test
  void earlyStoppingRestoresTheBestWeights() {
    // 200 epochs of a wide net on 60 noisy points: validation loss turns up long before the end.
    DataSplit tiny = Splitter.split(Generators.spiral(2, 50, 0.6, 5), 0.3, 0.2, 5);
    NetworkSpec spec = NetworkSpec.builder().inputs(2).outputs(2).block(PlainBlock.of(64, 2, Activation.RELU))
        .training(base().learningRate(0.03).epochs(200).patience(5).minDelta(1e-4).build()).seed(1).build();
    TrainingResult r = new Trainer().train(spec, tiny);
    assertEquals(TrainingStatus.EARLY_STOPPED, r.status(), r.reason());
    assertTrue(r.metrics().epochsRun() < 200);
    double best = r.history().stream().mapToDouble(EpochMetrics::validationLoss).min().orElseThrow();
    assertEquals(best, r.metrics().validation().loss(), "the restored weights are the best epoch's");
  }

  @Test
  void hugeLearningRateEndsDivergedWithAReason() {
    TrainingResult r = new Trainer().train(
        small(TrainingSpec.builder().optimizer(OptimizerType.SGD).learningRate(1e6).batchSize(16).epochs(5).build()), SPIRAL);
    assertEquals(TrainingStatus.DIVERGED, r.status());
    assertNull(r.network());
    assertTrue(r.reason().contains("exploded") || r.reason().contains("NaN") || r.reason().contains("Infinity"), r.reason());
  }

  @Test
  void regressionDivergenceIsCaughtToo() {
    DataSplit sine = Splitter.split(Generators.sine(200, 0.1, 1), 0.2, 0.2, 1);
    NetworkSpec spec = NetworkSpec.builder().inputs(1).outputs(1).loss(Loss.MSE).block(PlainBlock.of(32, 2, Activation.RELU))
        .training(TrainingSpec.builder().optimizer(OptimizerType.MOMENTUM).learningRate(10).batchSize(8).epochs(20).build())
        .seed(1).build();
    TrainingResult r = new Trainer().train(spec, sine);
    assertEquals(TrainingStatus.DIVERGED, r.status(), r.reason());
  }

  @Test
  void giantSpecIsRejectedWithTheEstimateBeforeAllocation() {
    NetworkSpec giant = NetworkSpec.builder().inputs(2).outputs(2).block(PlainBlock.of(200_000, 3, Activation.RELU)).build();
    TrainingResult r = new Trainer().train(giant, SPIRAL);
    assertEquals(TrainingStatus.REJECTED, r.status());
    assertTrue(r.reason().contains("estimated memory") && r.reason().contains("GiB") && r.reason().contains("exceeds"),
        r.reason());
    assertTrue(r.estimate().totalBytes() > 2L * 4 * 2 * 200_000L * 200_000L, "estimate " + r.estimate());
    assertEquals(2L * 200_000 * 200_000 + 2 * 200_000 + 3 * 200_000 + 200_000 * 2 + 2, r.metrics().parameterCount());
    assertNull(r.network());
    // A configurable limit: a normal spec against a 1 KiB limit.
    TrainingResult tight = new Trainer().train(small(base().build()), SPIRAL, TrainingControl.defaults().withMemoryLimitBytes(1024));
    assertEquals(TrainingStatus.REJECTED, tight.status());
    assertTrue(tight.reason().contains("1.00 KiB"), tight.reason());
  }

  @Test
  void specThatDoesNotFitTheDataIsRejected() {
    NetworkSpec threeInputs = NetworkSpec.builder().inputs(3).outputs(2).build();
    TrainingResult r = new Trainer().train(threeInputs, SPIRAL);
    assertEquals(TrainingStatus.REJECTED, r.status());
    assertTrue(r.reason().contains("3 inputs") && r.reason().contains("2 features"), r.reason());
    NetworkSpec fiveClasses = NetworkSpec.builder().inputs(2).outputs(5).build();
    assertEquals(TrainingStatus.REJECTED, new Trainer().train(fiveClasses, SPIRAL).status());
  }

  @Test
  void binaryLabelsTrainWithOneSigmoidOutputOrMseOneHot() {
    NetworkSpec bce = NetworkSpec.builder().inputs(2).outputs(1).loss(Loss.BINARY_CROSS_ENTROPY)
        .block(PlainBlock.of(16, 1, Activation.TANH)).training(base().epochs(30).build()).seed(2).build();
    TrainingResult r = new Trainer().train(bce, SPIRAL);
    assertEquals(TrainingStatus.COMPLETED, r.status());
    assertTrue(r.metrics().test().accuracy() > 0.6, "accuracy " + r.metrics().test().accuracy());
    float[] p = r.network().predict(SPIRAL.test().x(), SPIRAL.test().rows());
    for (float v : p) {
      assertTrue(v >= 0 && v <= 1, "sigmoid probability " + v);
    }
    NetworkSpec mse = bce.toBuilder().outputs(2).loss(Loss.MSE).build();
    assertEquals(TrainingStatus.COMPLETED, new Trainer().train(mse, SPIRAL).status());
  }

  @Test
  void regressionMetricsAreConsistent() {
    DataSplit sine = Splitter.split(Generators.sine(300, 0.1, 2), 0.2, 0.2, 2);
    NetworkSpec spec = NetworkSpec.builder().inputs(1).outputs(1).loss(Loss.MSE).block(PlainBlock.of(16, 1, Activation.TANH))
        .training(base().epochs(10).build()).seed(3).build();
    TrainingResult r = new Trainer().train(spec, sine);
    SplitMetrics t = r.metrics().test();
    assertEquals(t.loss(), t.rmse() * t.rmse(), 1e-6 * t.loss(), "MSE loss = RMSE^2");
    assertTrue(t.mae() <= t.rmse() && t.r2() < 1 && Double.isNaN(t.accuracy()));
    Dataset test = sine.test();
    float[] pred = r.network().predict(test.x(), test.rows());
    double se = 0;
    for (int i = 0; i < test.rows(); i++) {
      se += Math.pow(pred[i] - test.targets()[i], 2);
    }
    assertEquals(t.rmse(), Math.sqrt(se / test.rows()), 1e-6);
  }
}
