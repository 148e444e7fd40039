package dev.strata.trainer.kernel;

import static dev.strata.trainer.kernel.Arrays2.ODD;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Batch-norm kernels against {@link ScalarKernels} (double-precision statistics) on rows x cols in
 * {1, 3, 17, 63, 130}^2. Normalised values within 1e-4 absolute (inputs in [-3, 3], normalised
 * values of order 1; float mean/variance over up to 130 rows), gradients within 1e-4 relative
 * to the largest gradient of the block.
 */
class BatchNormKernelTest {

  @Test
  void trainForwardBackwardAndEvalMatchScalar() {
    SplittableRandom rnd = new SplittableRandom(12);
    float eps = 1e-5f;
    for (int rows : ODD) {
      for (int cols : ODD) {
        int n = rows * cols;
        float[] x = Arrays2.random(rnd, 1, n, -3, 3);
        float[] gamma = Arrays2.random(rnd, 2, cols, 0.5, 1.5);
        float[] beta = Arrays2.random(rnd, 3, cols, -1, 1);
        float[] me = new float[cols], ve = new float[cols], ie = new float[cols];
        float[] ma = new float[cols], va = new float[cols], ia = new float[cols];
        float[] xhe = new float[n], ye = new float[n], xha = new float[n], ya = new float[n];
        ScalarKernels.batchNormTrainForward(rows, cols, x, 1, gamma, 2, beta, 3, eps, me, ve, ie, xhe, 0, ye, 0);
        BatchNormKernel.trainForward(rows, cols, x, 1, gamma, 2, beta, 3, eps, ma, va, ia, xha, 0, ya, 0);
        String what = rows + "x" + cols;
        Arrays2.assertClose(me, ma, 0, cols, 1e-5, 0, what + " mean");
        Arrays2.assertClose(ve, va, 0, cols, 1e-5, 1e-4, what + " var");
        Arrays2.assertClose(xhe, xha, 0, n, 1e-4, 1e-4, what + " xhat");
        Arrays2.assertClose(ye, ya, 0, n, 1e-4, 1e-4, what + " y");

        float[] dy = Arrays2.random(rnd, 4, n, -1, 1);
        float[] dge = new float[cols], dbe = new float[cols], dxe = new float[n];
        float[] dga = new float[cols], dba = new float[cols], dxa = Arrays2.random(rnd, 2, n, 0, 0);
        ScalarKernels.batchNormBackward(rows, cols, dy, 4, xhe, 0, gamma, 2, ie, dge, 0, dbe, 0, dxe, 0);
        BatchNormKernel.backward(rows, cols, dy, 4, xha, 0, gamma, 2, ia, dga, 0, dba, 0, dxa, 2);
        Arrays2.assertClose(dbe, dba, 0, cols, 1e-5 * rows, 0, what + " dbeta");
        Arrays2.assertClose(dge, dga, 0, cols, 1e-4 * rows, 0, what + " dgamma");
        float[] dxaAligned = java.util.Arrays.copyOfRange(dxa, 2, 2 + n);
        double maxAbs = 1e-3;
        for (float v : dxe) {
          maxAbs = Math.max(maxAbs, Math.abs(v));
        }
        Arrays2.assertClose(dxe, dxaAligned, 0, n, 1e-3 * maxAbs, 0, what + " dx");
        Arrays2.assertMarginUntouched(dxa, 2, n);

        float[] rm = Arrays2.random(rnd, 0, cols, -1, 1);
        float[] rv = Arrays2.random(rnd, 0, cols, 0.1, 2);
        float[] scale = new float[cols], shift = new float[cols];
        ScalarKernels.batchNormEvalForward(rows, cols, x, 1, gamma, 2, beta, 3, rm, 0, rv, 0, eps, scale, shift, ye, 0);
        BatchNormKernel.evalForward(rows, cols, x, 1, gamma, 2, beta, 3, rm, 0, rv, 0, eps, scale, shift, ya, 0);
        Arrays2.assertClose(ye, ya, 0, n, 1e-5, 1e-5, what + " eval y");
      }
    }
  }
}
