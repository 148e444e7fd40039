package dev.strata.trainer.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.strata.trainer.init.Rngs;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DropoutTest {

  @Test
  void gradientWithAFixedMaskMatchesFiniteDifferences() {
    Dropout d = new Dropout(11, 0.3, Rngs.of(1, Rngs.DROPOUT));
    d.allocate(6);
    float[] x = GradCheck.random(new SplittableRandom(1), 66, -1, 1);
    d.forward(x, 6, true); // draw a mask, then keep it for every probe
    d.freezeMask(true);
    GradCheck.checkLayer("dropout", d, new ParameterStore(), x, 6, 2);
  }

  @Test
  void invertedScalingKeepsTheMeanAndDropsAboutRate() {
    int rows = 1000;
    int width = 100;
    Dropout d = new Dropout(width, 0.25, Rngs.of(9, Rngs.DROPOUT));
    d.allocate(rows);
    float[] x = new float[rows * width];
    java.util.Arrays.fill(x, 1f);
    float[] y = d.forward(x, rows, true);
    int zeros = 0;
    double sum = 0;
    for (int i = 0; i < x.length; i++) {
      zeros += y[i] == 0f ? 1 : 0;
      sum += y[i];
    }
    // 100000 Bernoulli(0.25) draws: standard deviation of the zero fraction ~0.0014; allow 0.01.
    assertEquals(0.25, zeros / (double) x.length, 0.01);
    assertEquals(1.0, sum / x.length, 0.015);
    assertSame(x, d.forward(x, rows, false), "inference is the identity");
  }
}
