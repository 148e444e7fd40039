package dev.strata.trainer.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.trainer.spec.Loss;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class LossFunctionTest {

  @ParameterizedTest
  @EnumSource(Loss.class)
  void gradientOfTheMeanMatchesFiniteDifferences(Loss loss) {
    int rows = 5;
    int outputs = 4;
    SplittableRandom rnd = new SplittableRandom(loss.ordinal());
    float[] out = GradCheck.random(rnd, rows * outputs, -3, 3);
    int[] labels = new int[rows];
    for (int r = 0; r < rows; r++) {
      labels[r] = rnd.nextInt(outputs);
    }
    float[] targets = GradCheck.random(rnd, rows * outputs, 0, 1);
    LossFunction f = new LossFunction(loss, outputs);
    float[] grad = new float[rows * outputs];
    f.apply(out, rows, labels, targets, grad);
    GradCheck.check(loss.toString(), out, 0, out.length, grad, 0, () -> f.apply(out, rows, labels, targets, null), 100);
  }

  @Test
  void knownValues() {
    // Uniform logits over K classes: log K. A logit of 0 against target 1: log 2. MSE of (1 - 3): 4.
    assertEquals(Math.log(4), new LossFunction(Loss.SOFTMAX_CROSS_ENTROPY, 4).apply(new float[4], 1, new int[] {2}, null, null), 1e-7);
    assertEquals(Math.log(2), new LossFunction(Loss.BINARY_CROSS_ENTROPY, 1).apply(new float[1], 1, null, new float[] {1}, null), 1e-7);
    assertEquals(2.0, new LossFunction(Loss.MSE, 1).apply(new float[] {1, 0}, 2, null, new float[] {3, 0}, null), 0);
  }
}
