package dev.strata.trainer.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.trainer.data.DataSplit;
import dev.strata.trainer.data.Dataset;
import dev.strata.trainer.data.Splitter;
import dev.strata.trainer.nn.LossFunction;
import dev.strata.trainer.spec.Activation;
import dev.strata.trainer.spec.ClassWeights;
import dev.strata.trainer.spec.Loss;
import dev.strata.trainer.spec.NetworkSpec;
import dev.strata.trainer.spec.PlainBlock;
import dev.strata.trainer.spec.TrainingSpec;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Class weights in the training loss: the weighted mean and its gradient, balanced resolution, minority recall. */
class ClassWeightsTrainingTest {

  @Test
  void weightedLossIsTheWeightedMeanAndItsGradient() {
    float[] out = {0.3f, -0.2f, 1.0f, 0.1f, -0.5f, 0.7f};
    int[] labels = {0, 1, 1};
    double[] w = {1, 3};
    for (Loss loss : new Loss[] {Loss.SOFTMAX_CROSS_ENTROPY, Loss.BINARY_CROSS_ENTROPY, Loss.MSE}) {
      float[] targets = {1, 0, 0, 1, 0, 1};
      LossFunction plain = new LossFunction(loss, 2);
      LossFunction weighted = new LossFunction(loss, 2, w);
      double expected = 0;
      for (int r = 0; r < 3; r++) {
        float[] row = {out[2 * r], out[2 * r + 1]};
        double l = plain.apply(row, 1, new int[] {labels[r]}, new float[] {targets[2 * r], targets[2 * r + 1]}, null);
        expected += w[labels[r]] * l;
      }
      expected /= 1 + 3 + 3;
      float[] grad = new float[6];
      assertEquals(expected, weighted.applyTraining(out, 3, labels, targets, grad), 1e-6, loss.toString());
      assertEquals(plain.apply(out, 3, labels, targets, null), weighted.apply(out, 3, labels, targets, null), 0,
          "evaluation stays unweighted");
      for (int i = 0; i < 6; i++) { // central differences
        float[] up = out.clone();
        float[] down = out.clone();
        up[i] += 1e-3f;
        down[i] -= 1e-3f;
        double fd = (weighted.applyTraining(up, 3, labels, targets, null) - weighted.applyTraining(down, 3, labels, targets, null)) / 2e-3;
        assertEquals(fd, grad[i], 2e-3, loss + " gradient " + i);
      }
    }
  }

  /** 90 % class 0: two overlapping Gaussians in 2-d. */
  private static Dataset imbalanced(long seed) {
    Random rnd = new Random(seed);
    int n = 400;
    float[] x = new float[2 * n];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = i % 10 == 0 ? 1 : 0;
      x[2 * i] = (float) (rnd.nextGaussian() + (y[i] == 1 ? 1.0 : 0));
      x[2 * i + 1] = (float) rnd.nextGaussian();
    }
    return new Dataset("imb", x, n, 2, y, null, 0, List.of("a", "b"), List.of("major", "minor"));
  }

  private static double minorityRecall(TrainedNetwork model, Dataset d) {
    float[] p = model.predict(d.x(), d.rows());
    int hit = 0;
    int total = 0;
    for (int r = 0; r < d.rows(); r++) {
      if (d.label(r) == 1) {
        total++;
        hit += p[2 * r + 1] > p[2 * r] ? 1 : 0;
      }
    }
    return (double) hit / total;
  }

  @Test
  void balancedWeightsAreResolvedRecordedAndRaiseMinorityRecall() {
    DataSplit split = Splitter.split(imbalanced(7), 0.2, 0.3, 1);
    TrainingSpec t = TrainingSpec.builder().learningRate(0.02).batchSize(32).epochs(20).build();
    NetworkSpec plain = NetworkSpec.builder().inputs(2).outputs(2).block(PlainBlock.of(8, 1, Activation.TANH))
        .training(t).seed(3).build();
    NetworkSpec balanced = plain.withTraining(t.withClassWeights(ClassWeights.balancedWeights()));
    TrainingResult a = new Trainer().train(plain, split);
    TrainingResult b = new Trainer().train(balanced, split);
    assertEquals(TrainingStatus.COMPLETED, b.status(), b.reason());
    ClassWeights used = b.network().spec().training().classWeights();
    int[] counts = split.train().classCounts();
    assertArrayEquals(new double[] {(double) split.train().rows() / (2 * counts[0]), (double) split.train().rows() / (2 * counts[1])},
        used.weights().stream().mapToDouble(Double::doubleValue).toArray(), 1e-12, "the model records the numbers it used");
    Dataset all = imbalanced(7);
    double ra = minorityRecall(a.network(), all);
    double rb = minorityRecall(b.network(), all);
    assertTrue(rb > ra + 0.2, "balanced weights should find far more of the 10 % class: " + ra + " -> " + rb);
  }

  @Test
  void wrongWeightCountOrRegressionIsRejectedWithTheReason() {
    DataSplit split = Splitter.split(imbalanced(7), 0.2, 0.2, 1);
    NetworkSpec three = NetworkSpec.builder().inputs(2).outputs(2)
        .training(TrainingSpec.builder().classWeights(ClassWeights.of(1, 2, 3)).epochs(1).build()).build();
    TrainingResult r = new Trainer().train(three, split);
    assertEquals(TrainingStatus.REJECTED, r.status());
    assertTrue(r.reason().contains("classWeights has 3 weights but the data has 2 classes [major, minor]"), r.reason());
  }
}
