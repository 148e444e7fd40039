package dev.strata.trainer.nn;

import dev.strata.trainer.spec.Activation;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every activation's derivative against finite differences, inputs at least 0.1 away from 0 (the kinks). */
class ActivationLayerTest {

  @ParameterizedTest
  @EnumSource(Activation.class)
  void gradientMatchesFiniteDifferences(Activation act) {
    int rows = 4;
    int width = 13;
    ActivationLayer layer = new ActivationLayer(width, act);
    layer.allocate(rows);
    SplittableRandom rnd = new SplittableRandom(act.ordinal());
    float[] x = new float[rows * width];
    for (int i = 0; i < x.length; i++) {
      double m = 0.1 + 2.9 * rnd.nextDouble();
      x[i] = (float) (rnd.nextBoolean() ? m : -m);
    }
    GradCheck.checkLayer("activation " + act, layer, new ParameterStore(), x, rows, 7);
  }
}
