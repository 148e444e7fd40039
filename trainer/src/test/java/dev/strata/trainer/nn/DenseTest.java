package dev.strata.trainer.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.trainer.init.Rngs;
import dev.strata.trainer.spec.Activation;
import dev.strata.trainer.spec.WeightInit;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DenseTest {

  static Dense dense(int in, int out, Activation act, int rows, ParameterStore ps) {
    Dense d = new Dense("d", in, out, act, ps);
    ps.allocate(true);
    d.allocate(rows);
    d.initialize(new Layer.Init(WeightInit.glorotUniform(), 0.1), Rngs.of(1, 1));
    return d;
  }

  @ParameterizedTest
  @EnumSource(value = Activation.class, names = {"LINEAR", "TANH", "SIGMOID", "GELU", "SOFTPLUS", "ELU"})
  void gradientsMatchFiniteDifferences(Activation act) {
    ParameterStore ps = new ParameterStore();
    int rows = 5;
    Dense d = dense(7, 9, act, rows, ps);
    float[] x = GradCheck.random(new SplittableRandom(2), rows * 7, -1, 1);
    GradCheck.checkLayer("dense " + act, d, ps, x, rows, 3);
  }

  @Test
  void gradientsForKinkedActivationsAwayFromTheKink() {
    // relu / leaky_relu: biases pushed away from zero so no pre-activation sits within eps of the kink.
    for (Activation act : new Activation[] {Activation.RELU, Activation.LEAKY_RELU}) {
      ParameterStore ps = new ParameterStore();
      Dense d = dense(3, 4, act, 2, ps);
      float[] x = {0.5f, -0.25f, 0.75f, -0.5f, 0.25f, 1f};
      float[] p = ps.values();
      for (int j = 0; j < 4; j++) {
        p[d.biasSlot().offset() + j] = j % 2 == 0 ? 2f : -2f;
      }
      GradCheck.checkLayer("dense " + act, d, ps, x, 2, 4);
    }
  }

  @Test
  void forwardComputesXWPlusBias() {
    ParameterStore ps = new ParameterStore();
    Dense d = dense(2, 3, Activation.LINEAR, 1, ps);
    float[] p = ps.values();
    // W = [[1 2 3], [4 5 6]], b = [0.5 0.5 0.5]; x = [1, -1] -> [-2.5, -2.5, -2.5]
    System.arraycopy(new float[] {1, 2, 3, 4, 5, 6}, 0, p, d.weightSlot().offset(), 6);
    System.arraycopy(new float[] {0.5f, 0.5f, 0.5f}, 0, p, d.biasSlot().offset(), 3);
    float[] y = d.forward(new float[] {1, -1}, 1, false);
    assertArrayEquals(new float[] {-2.5f, -2.5f, -2.5f}, java.util.Arrays.copyOf(y, 3));
    assertEquals(2 * 2 * 3 + 3, d.flopsPerSample());
  }
}
