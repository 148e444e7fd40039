package dev.strata.trainer.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.trainer.data.DataSplit;
import dev.strata.trainer.data.Dataset;
import dev.strata.trainer.data.Digits;
import dev.strata.trainer.data.Generators;
import dev.strata.trainer.data.Preprocessor;
import dev.strata.trainer.data.Splitter;
import dev.strata.trainer.spec.Activation;
import dev.strata.trainer.spec.Loss;
import dev.strata.trainer.spec.NetworkSpec;
import dev.strata.trainer.spec.OptimizerType;
import dev.strata.trainer.spec.PlainBlock;
import dev.strata.trainer.spec.ScheduleSpec;
import dev.strata.trainer.spec.TrainingSpec;
import dev.strata.trainer.spec.WeightInit;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * End-to-end learning on the standard small problems, fixed seeds throughout (data, split and
 * network). The thresholds are the acceptance criteria; the measured values are printed.
 */
class LearningTest {

  static void report(String what, TrainingResult r) {
    TrainingMetrics m = r.metrics();
    System.out.printf("%s: %s epochs=%d train acc=%.4f test acc=%.4f test rmse=%.4f train s=%.2f eval s=%.3f%n", what,
        r.status(), m.epochsRun(), m.train().accuracy(), m.test().accuracy(), m.test().rmse(), m.trainingSeconds(),
        m.evaluationSeconds());
  }

  @Test
  void xorReachesFullAccuracy() {
    Dataset xor = Generators.xor();
    NetworkSpec spec = NetworkSpec.builder().inputs(2).outputs(2).block(PlainBlock.of(8, 1, Activation.TANH))
        .training(TrainingSpec.builder().optimizer(OptimizerType.ADAM).learningRate(0.05).batchSize(4).epochs(150).build())
        .seed(1).build();
    TrainingResult r = new Trainer().train(spec, new DataSplit(xor, xor, xor));
    report("xor", r);
    assertEquals(TrainingStatus.COMPLETED, r.status());
    assertEquals(1.0, r.metrics().train().accuracy());
    assertTrue(r.metrics().train().loss() < 0.05, "loss " + r.metrics().train().loss());
  }

  @Test
  void twoArmSpiralReaches97PercentOnTest() {
    DataSplit split = Splitter.split(Generators.spiral(2, 500, 0.1, 7), 0.2, 0.2, 7);
    NetworkSpec spec = NetworkSpec.builder().inputs(2).outputs(2).block(PlainBlock.of(32, 2, Activation.RELU))
        .training(TrainingSpec.builder().optimizer(OptimizerType.ADAM).learningRate(0.01).batchSize(32).epochs(60)
            .init(WeightInit.heNormal()).build())
        .seed(3).build();
    TrainingResult r = new Trainer().train(spec, split);
    report("spiral", r);
    assertTrue(r.metrics().test().accuracy() >= 0.97, "test accuracy " + r.metrics().test().accuracy());
  }

  /** The real 8x8 digits (1797 samples), standardised, 60/20/20 stratified split; dropout 0.2 after the hidden layer. */
  @Test
  void digitsMlp64x128x10Reaches96PercentOnTest() {
    DataSplit split = Preprocessor.fitSplit(List.of("standardize"), Splitter.split(Digits.load(), 0.2, 0.2, 11)).split();
    NetworkSpec spec = NetworkSpec.builder().inputs(64).outputs(10).block(PlainBlock.of(128, 1, Activation.RELU).withDropout(0.2))
        .training(TrainingSpec.builder().optimizer(OptimizerType.ADAM).learningRate(1e-3).batchSize(32).epochs(30)
            .init(WeightInit.heNormal()).build())
        .seed(5).build();
    TrainingResult r = new Trainer().train(spec, split);
    report("digits", r);
    assertTrue(r.metrics().test().accuracy() >= 0.96, "test accuracy " + r.metrics().test().accuracy());
  }

  @Test
  void noisySineRmseWithinTenPercentOfTheNoise() {
    double noise = Generators.SINE_NOISE;
    DataSplit split = Splitter.split(Generators.sine(2000, noise, 13), 0.2, 0.2, 13);
    NetworkSpec spec = NetworkSpec.builder().inputs(1).outputs(1).loss(Loss.MSE).block(PlainBlock.of(32, 2, Activation.TANH))
        .training(TrainingSpec.builder().optimizer(OptimizerType.ADAM).learningRate(0.01).batchSize(32).epochs(100)
            .schedule(ScheduleSpec.cosine(0)).build())
        .seed(2).build();
    TrainingResult r = new Trainer().train(spec, split);
    report("sine", r);
    // For reference: sin itself scores about 0.104 on this test split (the noise sample's own RMSE).
    assertEquals(TrainingStatus.COMPLETED, r.status());
    assertTrue(r.metrics().test().rmse() <= 1.1 * noise, "test RMSE " + r.metrics().test().rmse());
    assertTrue(r.metrics().test().r2() > 0.95, "R^2 " + r.metrics().test().r2());
  }
}
