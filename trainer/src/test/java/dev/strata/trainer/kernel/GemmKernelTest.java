package dev.strata.trainer.kernel;

import static dev.strata.trainer.kernel.Arrays2.ODD;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The three GEMM variants against {@link ScalarKernels} for every (m, n, k) in {1, 3, 17, 63, 130}^3,
 * overwrite and accumulate, at non-zero offsets. Tolerance: both sides accumulate k products in
 * float, so each is within k u sum|a b| of the exact value (u = 2^-24); we allow twice that plus
 * 1e-7, per element.
 */
class GemmKernelTest {

  private enum Variant { NN, NT, TN }

  @Test
  void gemmMatchesScalarOnOddShapes() {
    check(Variant.NN);
  }

  @Test
  void gemmNTMatchesScalarOnOddShapes() {
    check(Variant.NT);
  }

  @Test
  void gemmTNMatchesScalarOnOddShapes() {
    check(Variant.TN);
  }

  private static void check(Variant variant) {
    SplittableRandom rnd = new SplittableRandom(42 + variant.ordinal());
    for (int m : ODD) {
      for (int n : ODD) {
        for (int k : ODD) {
          for (boolean accumulate : new boolean[] {false, true}) {
            int aOff = 3;
            int bOff = 5;
            int cOff = 2;
            float[] a = Arrays2.random(rnd, aOff, m * k, -1, 1);
            float[] b = Arrays2.random(rnd, bOff, k * n, -1, 1);
            float[] c = Arrays2.random(rnd, cOff, m * n, -1, 1);
            float[] expected = c.clone();
            float[] actual = c.clone();
            switch (variant) {
              case NN -> {
                ScalarKernels.gemm(m, n, k, a, aOff, b, bOff, expected, cOff, accumulate);
                GemmKernel.gemm(m, n, k, a, aOff, b, bOff, actual, cOff, accumulate);
              }
              case NT -> {
                ScalarKernels.gemmNT(m, n, k, a, aOff, b, bOff, expected, cOff, accumulate);
                GemmKernel.gemmNT(m, n, k, a, aOff, b, bOff, actual, cOff, accumulate);
              }
              case TN -> {
                ScalarKernels.gemmTN(m, n, k, a, aOff, b, bOff, expected, cOff, accumulate);
                GemmKernel.gemmTN(m, n, k, a, aOff, b, bOff, actual, cOff, accumulate);
              }
            }
            Arrays2.assertMarginUntouched(actual, cOff, m * n);
            for (int i = 0; i < m; i++) {
              for (int j = 0; j < n; j++) {
                double absSum = accumulate ? Math.abs(c[cOff + i * n + j]) : 0;
                for (int p = 0; p < k; p++) {
                  absSum += Math.abs((double) aAt(variant, a, aOff, m, k, i, p) * bAt(variant, b, bOff, n, k, p, j));
                }
                double tol = 2 * (k + 1) * 0x1p-24 * absSum + 1e-7;
                float e = expected[cOff + i * n + j];
                float v = actual[cOff + i * n + j];
                if (!(Math.abs(e - v) <= tol)) {
                  fail(variant + " m=" + m + " n=" + n + " k=" + k + " acc=" + accumulate + " at (" + i + "," + j
                      + "): scalar " + e + " vector " + v + " tol " + tol);
                }
              }
            }
          }
        }
      }
    }
  }

  /** The variant's product on operands at offset 0 (B is k x n for NN and TN, n x k for NT). */
  private static void product(Variant v, GemmContext ctx, int m, int n, int k, float[] a, float[] b, float[] c,
      boolean acc) {
    switch (v) {
      case NN -> GemmKernel.gemm(ctx, m, n, k, a, 0, b, 0, c, 0, acc);
      case NT -> GemmKernel.gemmNT(ctx, m, n, k, a, 0, b, 0, c, 0, acc);
      case TN -> GemmKernel.gemmTN(ctx, m, n, k, a, 0, b, 0, c, 0, acc);
    }
  }

  private static float aAt(Variant v, float[] a, int off, int m, int k, int i, int p) {
    return v == Variant.TN ? a[off + p * m + i] : a[off + i * k + p];
  }

  private static float bAt(Variant v, float[] b, int off, int n, int k, int p, int j) {
    return v == Variant.NT ? b[off + j * k + p] : b[off + p * n + j];
  }

  @Test
  void packedPathMatchesScalarOnLargeOddShapes() {
    // Above the small-product cutoff, with several k blocks (k > KC) and a ragged column block (n > NC);
    // the last two have 9 to 15 columns, which A^T B runs transposed.
    SplittableRandom rnd = new SplittableRandom(11);
    int[][] shapes = {{7, 600, 517}, {61, 35, 259}, {13, 97, 600}, {130, 17, 64}, {256, 10, 64}, {33, 9, 300}};
    for (int[] sh : shapes) {
      int m = sh[0];
      int n = sh[1];
      int k = sh[2];
      float[] a = Arrays2.random(rnd, 1, m * k, -1, 1);
      float[] bNN = Arrays2.random(rnd, 2, k * n, -1, 1);
      float[] bNT = Arrays2.random(rnd, 2, n * k, -1, 1);
      float[] aT = Arrays2.random(rnd, 1, k * m, -1, 1);
      float[] c0 = Arrays2.random(rnd, 3, m * n, -1, 1);
      for (boolean acc : new boolean[] {false, true}) {
        float[] e = c0.clone();
        float[] v = c0.clone();
        ScalarKernels.gemm(m, n, k, a, 1, bNN, 2, e, 3, acc);
        GemmKernel.gemm(m, n, k, a, 1, bNN, 2, v, 3, acc);
        assertClose("NN " + m + "x" + n + "x" + k, e, v, k);
        e = c0.clone();
        v = c0.clone();
        ScalarKernels.gemmNT(m, n, k, a, 1, bNT, 2, e, 3, acc);
        GemmKernel.gemmNT(m, n, k, a, 1, bNT, 2, v, 3, acc);
        assertClose("NT " + m + "x" + n + "x" + k, e, v, k);
        e = c0.clone();
        v = c0.clone();
        ScalarKernels.gemmTN(m, n, k, aT, 1, bNN, 2, e, 3, acc);
        GemmKernel.gemmTN(m, n, k, aT, 1, bNN, 2, v, 3, acc);
        assertClose("TN " + m + "x" + n + "x" + k, e, v, k);
        Arrays2.assertMarginUntouched(v, 3, m * n);
      }
    }
  }

  /** Inputs in [-1, 1]: each element is within 2 (k + 2) 2^-24 (k + 1) of the scalar sum, plus 1e-6. */
  private static void assertClose(String what, float[] expected, float[] actual, int k) {
    double tol = 2.0 * (k + 2) * 0x1p-24 * (k + 1) + 1e-6;
    for (int i = 0; i < expected.length; i++) {
      if (!(Math.abs(expected[i] - actual[i]) <= tol)) {
        fail(what + " at " + i + ": scalar " + expected[i] + " vector " + actual[i]);
      }
    }
  }

  @Test
  void everyPathComputesEachElementAsOneFmaChain() {
    // One shape per path: unpacked small products; 6-row strips with a 4-row edge and B packed by the
    // first strip (m <= 128, one k block); a separate packing pass (m > 128); several k blocks; A^T B
    // with A packed, and transposed for 9..15 columns; A B^T direct and transposed (B A^T)^T; two
    // column blocks (n > NC); at most one vector of columns in 8-row, 4-row and 1-row masked tiles.
    SplittableRandom rnd = new SplittableRandom(8);
    int[][] shapes = {{5, 12, 30}, {64, 256, 256}, {40, 33, 100}, {160, 48, 70}, {22, 40, 600}, {256, 10, 64},
        {64, 784, 256}, {200, 40, 300}, {20, 530, 40}, {29, 7, 41}, {19, 10, 33}, {64, 10, 256}};
    for (int[] sh : shapes) {
      int m = sh[0];
      int n = sh[1];
      int k = sh[2];
      for (Variant variant : Variant.values()) {
        for (boolean acc : new boolean[] {false, true}) {
          float[] a = Arrays2.random(rnd, 0, m * k, -1, 1);
          float[] b = Arrays2.random(rnd, 0, k * n, -1, 1);
          float[] c = Arrays2.random(rnd, 0, m * n, -1, 1);
          float[] out = c.clone();
          product(variant, GemmContext.of(1), m, n, k, a, b, out, acc);
          for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
              float chain = acc ? c[i * n + j] : 0.0f;
              for (int p = 0; p < k; p++) {
                chain = Math.fma(aAt(variant, a, 0, m, k, i, p), bAt(variant, b, 0, n, k, p, j), chain);
              }
              assertEquals(Float.floatToRawIntBits(chain), Float.floatToRawIntBits(out[i * n + j]),
                  variant + " " + m + "x" + n + "x" + k + " acc=" + acc + " at (" + i + "," + j + ")");
            }
          }
        }
      }
    }
  }

  @Test
  void resultsAreBitIdenticalForAnyThreadCount() {
    // Large enough to be split (rows or columns) across the pool.
    SplittableRandom rnd = new SplittableRandom(5);
    int[][] shapes = {{64, 784, 256}, {200, 40, 300}, {33, 517, 129}, {512, 10, 300}};
    for (int[] sh : shapes) {
      int m = sh[0];
      int n = sh[1];
      int k = sh[2];
      float[] a = Arrays2.random(rnd, 0, m * k, -1, 1);
      float[] b = Arrays2.random(rnd, 0, k * n, -1, 1);
      float[] c = Arrays2.random(rnd, 0, m * n, -1, 1);
      for (Variant variant : Variant.values()) {
        float[] reference = null;
        for (int threads = 1; threads <= 3; threads++) {
          GemmContext ctx = GemmContext.of(threads);
          float[] out = c.clone();
          product(variant, ctx, m, n, k, a, b, out, true);
          if (reference == null) {
            reference = out;
          } else {
            for (int i = 0; i < out.length; i++) {
              assertEquals(Float.floatToRawIntBits(reference[i]), Float.floatToRawIntBits(out[i]),
                  "variant " + variant + " shape " + m + "x" + n + "x" + k + " threads " + threads + " at " + i);
            }
          }
        }
      }
    }
  }

  @Test
  void smallProductByHand() {
    // [1 2; 3 4] [5 6; 7 8] = [19 22; 43 50]
    float[] a = {1, 2, 3, 4};
    float[] b = {5, 6, 7, 8};
    float[] c = new float[4];
    GemmKernel.gemm(2, 2, 2, a, 0, b, 0, c, 0, false);
    assertArrayEquals(new float[] {19, 22, 43, 50}, c);
    // A B^T = [1*5+2*6, 1*7+2*8; 3*5+4*6, 3*7+4*8]
    GemmKernel.gemmNT(2, 2, 2, a, 0, b, 0, c, 0, false);
    assertArrayEquals(new float[] {17, 23, 39, 53}, c);
    // A^T B = [1*5+3*7, 1*6+3*8; 2*5+4*7, 2*6+4*8], then accumulate once more
    GemmKernel.gemmTN(2, 2, 2, a, 0, b, 0, c, 0, false);
    assertArrayEquals(new float[] {26, 30, 38, 44}, c);
    GemmKernel.gemmTN(2, 2, 2, a, 0, b, 0, c, 0, true);
    assertEquals(52, c[0]);
  }

  @Test
  void resultDoesNotDependOnTilePosition() {
    // The same row of A times B must give the same bits whether the row sits in a 4-row tile or the tail.
    SplittableRandom rnd = new SplittableRandom(7);
    int n = 37;
    int k = 29;
    float[] a = Arrays2.random(rnd, 0, 5 * k, -1, 1);
    System.arraycopy(a, 0, a, 4 * k, k); // row 4 (tail row) equals row 0 (tile row)
    float[] b = Arrays2.random(rnd, 0, k * n, -1, 1);
    float[] c = new float[5 * n];
    GemmKernel.gemm(5, n, k, a, 0, b, 0, c, 0, false);
    for (int j = 0; j < n; j++) {
      assertEquals(Float.floatToRawIntBits(c[j]), Float.floatToRawIntBits(c[4 * n + j]), "column " + j);
    }
  }
}
