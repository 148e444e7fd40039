package dev.strata.trainer.kernel;

import static dev.strata.trainer.kernel.Arrays2.ODD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Fused losses against {@link ScalarKernels} (double precision, java.lang.Math) on rows x classes
 * in {1, 3, 17, 63, 130}^2 with logits in [-8, 8]. Loss sums within 1e-5 relative, gradients within
 * 1e-6 absolute + 1e-5 relative of the scaled reference.
 */
class LossKernelTest {

  @Test
  void softmaxCrossEntropyMatchesScalar() {
    SplittableRandom rnd = new SplittableRandom(9);
    for (int rows : ODD) {
      for (int classes : ODD) {
        float[] z = Arrays2.random(rnd, 2, rows * classes, -8, 8);
        int[] labels = new int[rows + 1];
        for (int r = 0; r < rows; r++) {
          labels[1 + r] = rnd.nextInt(classes);
        }
        float scale = 1f / rows;
        float[] e = Arrays2.random(rnd, 3, rows * classes, 0, 0);
        float[] a = e.clone();
        double le = ScalarKernels.softmaxCrossEntropy(rows, classes, z, 2, labels, 1, e, 3, scale);
        double la = LossKernel.softmaxCrossEntropy(rows, classes, z, 2, labels, 1, a, 3, scale);
        assertEquals(le, la, 1e-5 * Math.abs(le) + 1e-6, rows + "x" + classes);
        Arrays2.assertClose(e, a, 3, rows * classes, 1e-6, 1e-5, "softmax CE grad " + rows + "x" + classes);
        Arrays2.assertMarginUntouched(a, 3, rows * classes);
        // Without a gradient buffer the loss is the same.
        assertEquals(la, LossKernel.softmaxCrossEntropy(rows, classes, z, 2, labels, 1, null, 0, scale));

        float[] pe = new float[rows * classes];
        float[] pa = new float[rows * classes];
        ScalarKernels.softmax(rows, classes, z, 2, pe, 0);
        LossKernel.softmax(rows, classes, z, 2, pa, 0);
        Arrays2.assertClose(pe, pa, 0, rows * classes, 1e-7, 1e-5, "softmax");
      }
    }
  }

  @Test
  void softmaxCrossEntropyIsStableForHugeLogits() {
    float[] z = {1000f, -1000f, 0f, 3e4f, 3e4f, -3e4f};
    int[] labels = {1, 0};
    float[] g = new float[6];
    double loss = LossKernel.softmaxCrossEntropy(2, 3, z, 0, labels, 0, g, 0, 1f);
    // Row 0: label logit is 2000 below the max, loss 2000; row 1: two tied maxima, loss log 2.
    assertEquals(2000 + Math.log(2), loss, 1e-3);
    for (float v : g) {
      assertTrue(Float.isFinite(v));
    }
  }

  @Test
  void sigmoidCrossEntropyAndSquaredErrorMatchScalar() {
    SplittableRandom rnd = new SplittableRandom(10);
    for (int len : new int[] {1, 3, 17, 63, 130, 130 * 17}) {
      float[] z = Arrays2.random(rnd, 1, len, -20, 20);
      float[] t = Arrays2.random(rnd, 4, len, 0, 1);
      float[] e = Arrays2.random(rnd, 2, len, 0, 0);
      float[] a = e.clone();
      double le = ScalarKernels.sigmoidCrossEntropy(len, z, 1, t, 4, e, 2, 0.5f);
      double la = LossKernel.sigmoidCrossEntropy(len, z, 1, t, 4, a, 2, 0.5f);
      assertEquals(le, la, 1e-5 * Math.abs(le) + 1e-6, "bce len " + len);
      Arrays2.assertClose(e, a, 2, len, 1e-6, 1e-5, "bce grad");
      Arrays2.assertMarginUntouched(a, 2, len);

      le = ScalarKernels.squaredError(len, z, 1, t, 4, e, 2, 0.25f);
      la = LossKernel.squaredError(len, z, 1, t, 4, a, 2, 0.25f);
      assertEquals(le, la, 1e-5 * Math.abs(le), "mse len " + len);
      Arrays2.assertClose(e, a, 2, len, 1e-6, 1e-6, "mse grad");
    }
  }

  @Test
  void binaryCrossEntropyIsStableAtExtremeLogits() {
    float[] z = {100f, -100f, 1e6f, -1e6f};
    float[] t = {1f, 0f, 0f, 1f};
    float[] g = new float[4];
    double loss = LossKernel.sigmoidCrossEntropy(4, z, 0, t, 0, g, 0, 1f);
    // Correct confident predictions cost ~0, wrong ones cost |z|.
    assertEquals(2e6, loss, 1e-3 * 2e6);
    assertEquals(0f, g[0], 1e-30);
    assertEquals(1f, g[2], 1e-6);
    assertEquals(-1f, g[3], 1e-6);
  }

  /** A class ruled out with confidence gets a gradient of exactly 0, never a subnormal float. */
  @Test
  void softmaxGradientOfARuledOutClassIsZeroNotSubnormal() {
    int classes = 19; // a vector tail at every width
    float[] z = new float[classes];
    for (int c = 0; c < classes; c++) {
      z[c] = c == 4 ? 120f : (c % 2 == 0 ? 0f : 119f);
    }
    float[] grad = new float[classes];
    LossKernel.softmaxCrossEntropy(1, classes, z, 0, new int[] {4}, 0, grad, 0, 1.0f / 64);
    for (int c = 0; c < classes; c++) {
      float g = grad[c];
      assertTrue(g == 0.0f || Math.abs(g) >= Float.MIN_NORMAL, "class " + c + " gradient is subnormal: " + g);
      if (c % 2 == 0 && c != 4) {
        assertEquals(0.0f, g, "class " + c + " (120 below the winner) flushed to 0");
      }
    }
    assertTrue(grad[5] > 0 && grad[4] < 0, "the close classes keep their gradients");
  }
}
