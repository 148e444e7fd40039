package dev.strata.trainer.init;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.trainer.spec.WeightInit;
import org.junit.jupiter.api.Test;

/**
 * Each initialiser's sample moments against its formula on a 400 x 300 matrix (120000 draws, fixed
 * seed). Tolerances: the sample variance of n Gaussian draws has relative standard error
 * sqrt(2/n) ~ 0.4%, we allow 3%; a mean within 5 standard errors.
 */
class InitializersTest {

  private static final int IN = 400;
  private static final int OUT = 300;

  private static double[] moments(WeightInit init, long seed) {
    float[] w = new float[IN * OUT + 2];
    Initializers.weights(init, w, 1, IN, OUT, Rngs.of(seed, Rngs.INIT));
    assertEquals(0f, w[0]);
    assertEquals(0f, w[w.length - 1]);
    double s = 0, s2 = 0, max = 0;
    int zeros = 0;
    for (int i = 1; i <= IN * OUT; i++) {
      s += w[i];
      s2 += (double) w[i] * w[i];
      max = Math.max(max, Math.abs(w[i]));
      if (w[i] == 0f) {
        zeros++;
      }
    }
    double n = IN * OUT;
    return new double[] {s / n, s2 / n - (s / n) * (s / n), max, zeros};
  }

  private static void assertVariance(WeightInit init, double expectedVar) {
    double[] m = moments(init, 5);
    assertEquals(0, m[0], 5 * Math.sqrt(expectedVar / (IN * OUT)), init + " mean");
    assertEquals(expectedVar, m[1], 0.03 * expectedVar, init + " variance");
  }

  @Test
  void variancesFollowTheFormulas() {
    assertVariance(WeightInit.gaussian(0.2), 0.04);
    assertVariance(WeightInit.meanField(1.5), 2.25 / IN);
    assertVariance(WeightInit.uniform(0.3), 0.09 / 3);
    assertVariance(WeightInit.glorotUniform(), 2.0 / (IN + OUT));
    assertVariance(WeightInit.glorotNormal(), 2.0 / (IN + OUT));
    assertVariance(WeightInit.heUniform(), 2.0 / IN);
    assertVariance(WeightInit.heNormal(), 2.0 / IN);
  }

  @Test
  void uniformStaysWithinItsLimit() {
    assertTrue(moments(WeightInit.uniform(0.3), 1)[2] <= 0.3);
    assertTrue(moments(WeightInit.heUniform(), 1)[2] <= Math.sqrt(6.0 / IN));
  }

  @Test
  void sparseHasExactlyTheRequestedNonZerosPerUnit() {
    float[] w = new float[IN * OUT];
    Initializers.weights(WeightInit.sparse(0.1), w, 0, IN, OUT, Rngs.of(3, Rngs.INIT));
    for (int j = 0; j < OUT; j++) {
      int nnz = 0;
      for (int i = 0; i < IN; i++) {
        nnz += w[i * OUT + j] != 0f ? 1 : 0;
      }
      assertEquals(40, nnz, "unit " + j);
    }
    // sigma 0 means 1/sqrt(nnz): the per-unit input variance is about 1.
    double[] m = moments(WeightInit.sparse(0.1), 3);
    assertEquals(IN * OUT - 40 * OUT, m[3], 0.0);
    assertEquals(1.0 / IN, m[1], 0.05 / IN);
  }

  @Test
  void sameSeedSameWeightsOtherSeedOrStreamDiffers() {
    float[] a = new float[1000];
    float[] b = new float[1000];
    float[] c = new float[1000];
    float[] d = new float[1000];
    Initializers.weights(WeightInit.heNormal(), a, 0, 10, 100, Rngs.of(42, Rngs.INIT));
    Initializers.weights(WeightInit.heNormal(), b, 0, 10, 100, Rngs.of(42, Rngs.INIT));
    Initializers.weights(WeightInit.heNormal(), c, 0, 10, 100, Rngs.of(43, Rngs.INIT));
    Initializers.weights(WeightInit.heNormal(), d, 0, 10, 100, Rngs.of(42, Rngs.DROPOUT));
    assertArrayEquals(a, b);
    assertTrue(!java.util.Arrays.equals(a, c) && !java.util.Arrays.equals(a, d));
  }

  @Test
  void biasesAreZeroOrGaussian() {
    float[] b = new float[20000];
    Initializers.biases(b, 0, b.length, 0, Rngs.of(1, 1));
    for (float v : b) {
      assertEquals(0f, v);
    }
    Initializers.biases(b, 0, b.length, 0.5, Rngs.of(1, 1));
    double s2 = 0;
    for (float v : b) {
      s2 += v * v;
    }
    assertEquals(0.25, s2 / b.length, 0.25 * 0.05);
  }
}
