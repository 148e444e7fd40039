package dev.strata.trainer.kernel;

import static dev.strata.trainer.kernel.Arrays2.ODD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Element-wise kernels against {@link ScalarKernels} on lengths {1, 3, 17, 63, 130} (and rows x cols
 * combinations for column sums). axpy, scale, add and multiply must agree exactly except for axpy's
 * fused rounding (1 ulp); sums within n u sum|x|.
 */
class ElementwiseKernelTest {

  @Test
  void axpyScaleAddMultiply() {
    SplittableRandom rnd = new SplittableRandom(5);
    for (int len : ODD) {
      float[] x = Arrays2.random(rnd, 2, len, -3, 3);
      float[] y = Arrays2.random(rnd, 6, len, -3, 3);
      float[] e = y.clone();
      float[] a = y.clone();
      ScalarKernels.axpy(len, 0.37f, x, 2, e, 6);
      ElementwiseKernel.axpy(len, 0.37f, x, 2, a, 6);
      Arrays2.assertClose(e, a, 6, len, 1e-6, 2e-7, "axpy");
      Arrays2.assertMarginUntouched(a, 6, len);

      e = x.clone();
      a = x.clone();
      ScalarKernels.scale(len, -1.5f, e, 2);
      ElementwiseKernel.scale(len, -1.5f, a, 2);
      Arrays2.assertClose(e, a, 2, len, 0, 0, "scale");
      Arrays2.assertMarginUntouched(a, 2, len);

      e = Arrays2.random(rnd, 1, len, 0, 0);
      a = e.clone();
      ScalarKernels.add(len, x, 2, y, 6, e, 1);
      ElementwiseKernel.add(len, x, 2, y, 6, a, 1);
      Arrays2.assertClose(e, a, 1, len, 0, 0, "add");
      Arrays2.assertMarginUntouched(a, 1, len);

      ScalarKernels.multiply(len, x, 2, y, 6, e, 1);
      ElementwiseKernel.multiply(len, x, 2, y, 6, a, 1);
      Arrays2.assertClose(e, a, 1, len, 0, 0, "multiply");
    }
  }

  @Test
  void columnSums() {
    SplittableRandom rnd = new SplittableRandom(6);
    for (int rows : ODD) {
      for (int cols : ODD) {
        for (boolean acc : new boolean[] {false, true}) {
          float[] x = Arrays2.random(rnd, 3, rows * cols, -1, 1);
          float[] e = Arrays2.random(rnd, 4, cols, -1, 1);
          float[] a = e.clone();
          ScalarKernels.columnSums(rows, cols, x, 3, e, 4, acc);
          ElementwiseKernel.columnSums(rows, cols, x, 3, a, 4, acc);
          Arrays2.assertClose(e, a, 4, cols, 2 * (rows + 1) * 0x1p-24 * (rows + 1), 0, "colsum " + rows + "x" + cols);
          Arrays2.assertMarginUntouched(a, 4, cols);
        }
      }
    }
  }

  @Test
  void sumOfSquaresAndFiniteness() {
    SplittableRandom rnd = new SplittableRandom(8);
    for (int len : new int[] {1, 3, 17, 63, 130, 10007}) {
      float[] x = Arrays2.random(rnd, 1, len, -2, 2);
      double e = ScalarKernels.sumOfSquares(len, x, 1);
      assertEquals(e, ElementwiseKernel.sumOfSquares(len, x, 1), 4096 * 0x1p-24 * e + 1e-12, "len " + len);
      assertTrue(ElementwiseKernel.allFinite(len, x, 1));
      assertEquals(ScalarKernels.allFinite(len, x, 1), ElementwiseKernel.allFinite(len, x, 1));
      for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
        float[] y = x.clone();
        y[1 + len - 1] = bad; // the last element: in the scalar tail or the last vector
        assertFalse(ElementwiseKernel.allFinite(len, y, 1), "len " + len + " " + bad);
        y = x.clone();
        y[1] = bad;
        assertFalse(ElementwiseKernel.allFinite(len, y, 1), "len " + len + " first " + bad);
      }
    }
  }
}
