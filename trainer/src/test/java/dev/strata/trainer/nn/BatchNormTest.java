package dev.strata.trainer.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.trainer.init.Rngs;
import dev.strata.trainer.spec.WeightInit;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BatchNormTest {

  private static BatchNorm bn(int width, int rows, ParameterStore ps, ParameterStore st) {
    BatchNorm b = new BatchNorm("bn", width, ps, st);
    ps.allocate(true);
    st.allocate(false);
    b.allocate(rows);
    b.initialize(new Layer.Init(WeightInit.glorotUniform(), 0), Rngs.of(1, 1));
    return b;
  }

  @Test
  void trainModeGradientsMatchFiniteDifferences() {
    ParameterStore ps = new ParameterStore();
    ParameterStore st = new ParameterStore();
    int rows = 6;
    BatchNorm b = bn(5, rows, ps, st);
    SplittableRandom rnd = new SplittableRandom(4);
    float[] p = ps.values();
    for (int i = 0; i < p.length; i++) {
      p[i] = (float) (0.5 + rnd.nextDouble()); // gamma and beta away from their trivial initial values
    }
    float[] x = GradCheck.random(rnd, rows * 5, -2, 2);
    GradCheck.checkLayer("batchnorm", b, ps, x, rows, 5);
  }

  @Test
  void normalisesInTrainingAndUsesRunningStatisticsInInference() {
    ParameterStore ps = new ParameterStore();
    ParameterStore st = new ParameterStore();
    BatchNorm b = bn(1, 4, ps, st);
    float[] x = {1, 2, 3, 6}; // mean 3, biased var 3.5, unbiased var 14/3
    float[] y = b.forward(x, 4, true);
    double s = 1 / Math.sqrt(3.5 + 1e-5);
    assertEquals(-2 * s, y[0], 1e-6);
    assertEquals(3 * s, y[3], 1e-6);
    float[] stats = st.values(); // running mean, running var
    assertEquals(0.1 * 3, stats[0], 1e-6);
    assertEquals(0.9 * 1 + 0.1 * 14.0 / 3, stats[1], 1e-6);
    float[] e = b.forward(new float[] {0.3f}, 1, false);
    assertEquals((0.3 - 0.3) / Math.sqrt(stats[1] + 1e-5), e[0], 1e-6);
  }
}
