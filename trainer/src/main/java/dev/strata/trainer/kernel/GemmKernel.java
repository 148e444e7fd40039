package dev.strata.trainer.kernel;

import static dev.strata.trainer.kernel.VMath.S;

import jdk.incubator.vector.FloatVector;

/**
 * Single-precision matrix products on flat row-major arrays with offsets; every matrix is
 * contiguous (leading dimension = its column count). Three variants, all {@code C (+)= op(A) op(B)}
 * with {@code C} of shape {@code m x n}:
 *
 * <ul>
 *   <li>{@link #gemm}: {@code C = A B}, A is {@code m x k}, B is {@code k x n} (dense forward);
 *   <li>{@link #gemmNT}: {@code C = A B^T}, A is {@code m x k}, B is {@code n x k} (input gradient);
 *   <li>{@link #gemmTN}: {@code C = A^T B}, A is {@code k x m}, B is {@code k x n} (weight gradient).
 * </ul>
 *
 * <p>With {@code accumulate} the product is added to C, otherwise C is overwritten. Register-tiled:
 * {@code gemm}/{@code gemmTN} keep 4 rows x 2 vectors of C in registers and stream B rows;
 * {@code gemmNT} keeps 4 x 2 dot products as vectors along k. Column and row tails fall back to
 * narrower tiles and finally a scalar loop that performs the same fused multiply-adds in the same
 * order, so each element's value does not depend on where the tile boundaries fall. Deterministic,
 * stateless and thread-safe (callers own the arrays). No packing or cache blocking yet.
 */
public final class GemmKernel {

  private static final int V = S.length();

  private GemmKernel() {}

  /** {@code C (+)= A B}; A {@code m x k}, B {@code k x n}, C {@code m x n}, all row-major. */
  public static void gemm(int m, int n, int k, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff,
      boolean accumulate) {
    strided(m, n, k, a, aOff, k, 1, b, bOff, c, cOff, accumulate);
  }

  /** {@code C (+)= A^T B}; A {@code k x m}, B {@code k x n}, C {@code m x n}, all row-major. */
  public static void gemmTN(int m, int n, int k, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff,
      boolean accumulate) {
    strided(m, n, k, a, aOff, 1, m, b, bOff, c, cOff, accumulate);
  }

  /**
   * C (+)= A' B where A'(i, p) = a[aOff + i * ars + p * acs]: one loop nest for both A layouts.
   * B is k x n row-major.
   */
  private static void strided(int m, int n, int k, float[] a, int aOff, int ars, int acs, float[] b, int bOff,
      float[] c, int cOff, boolean acc) {
    int i = 0;
    for (; i + 4 <= m; i += 4) {
      int a0 = aOff + i * ars;
      int a1 = a0 + ars;
      int a2 = a1 + ars;
      int a3 = a2 + ars;
      int c0 = cOff + i * n;
      int c1 = c0 + n;
      int c2 = c1 + n;
      int c3 = c2 + n;
      int j = 0;
      for (; j + 2 * V <= n; j += 2 * V) {
        FloatVector s00 = init(c, c0 + j, acc);
        FloatVector s01 = init(c, c0 + j + V, acc);
        FloatVector s10 = init(c, c1 + j, acc);
        FloatVector s11 = init(c, c1 + j + V, acc);
        FloatVector s20 = init(c, c2 + j, acc);
        FloatVector s21 = init(c, c2 + j + V, acc);
        FloatVector s30 = init(c, c3 + j, acc);
        FloatVector s31 = init(c, c3 + j + V, acc);
        for (int p = 0; p < k; p++) {
          int bp = bOff + p * n + j;
          FloatVector b0 = FloatVector.fromArray(S, b, bp);
          FloatVector b1 = FloatVector.fromArray(S, b, bp + V);
          int ap = p * acs;
          FloatVector x0 = FloatVector.broadcast(S, a[a0 + ap]);
          FloatVector x1 = FloatVector.broadcast(S, a[a1 + ap]);
          FloatVector x2 = FloatVector.broadcast(S, a[a2 + ap]);
          FloatVector x3 = FloatVector.broadcast(S, a[a3 + ap]);
          s00 = x0.fma(b0, s00);
          s01 = x0.fma(b1, s01);
          s10 = x1.fma(b0, s10);
          s11 = x1.fma(b1, s11);
          s20 = x2.fma(b0, s20);
          s21 = x2.fma(b1, s21);
          s30 = x3.fma(b0, s30);
          s31 = x3.fma(b1, s31);
        }
        s00.intoArray(c, c0 + j);
        s01.intoArray(c, c0 + j + V);
        s10.intoArray(c, c1 + j);
        s11.intoArray(c, c1 + j + V);
        s20.intoArray(c, c2 + j);
        s21.intoArray(c, c2 + j + V);
        s30.intoArray(c, c3 + j);
        s31.intoArray(c, c3 + j + V);
      }
      for (; j + V <= n; j += V) {
        FloatVector s0 = init(c, c0 + j, acc);
        FloatVector s1 = init(c, c1 + j, acc);
        FloatVector s2 = init(c, c2 + j, acc);
        FloatVector s3 = init(c, c3 + j, acc);
        for (int p = 0; p < k; p++) {
          FloatVector bv = FloatVector.fromArray(S, b, bOff + p * n + j);
          int ap = p * acs;
          s0 = FloatVector.broadcast(S, a[a0 + ap]).fma(bv, s0);
          s1 = FloatVector.broadcast(S, a[a1 + ap]).fma(bv, s1);
          s2 = FloatVector.broadcast(S, a[a2 + ap]).fma(bv, s2);
          s3 = FloatVector.broadcast(S, a[a3 + ap]).fma(bv, s3);
        }
        s0.intoArray(c, c0 + j);
        s1.intoArray(c, c1 + j);
        s2.intoArray(c, c2 + j);
        s3.intoArray(c, c3 + j);
      }
      for (; j < n; j++) {
        float s0 = acc ? c[c0 + j] : 0.0f;
        float s1 = acc ? c[c1 + j] : 0.0f;
        float s2 = acc ? c[c2 + j] : 0.0f;
        float s3 = acc ? c[c3 + j] : 0.0f;
        for (int p = 0; p < k; p++) {
          float bv = b[bOff + p * n + j];
          int ap = p * acs;
          s0 = Math.fma(a[a0 + ap], bv, s0);
          s1 = Math.fma(a[a1 + ap], bv, s1);
          s2 = Math.fma(a[a2 + ap], bv, s2);
          s3 = Math.fma(a[a3 + ap], bv, s3);
        }
        c[c0 + j] = s0;
        c[c1 + j] = s1;
        c[c2 + j] = s2;
        c[c3 + j] = s3;
      }
    }
    for (; i < m; i++) {
      int ai = aOff + i * ars;
      int ci = cOff + i * n;
      int j = 0;
      for (; j + V <= n; j += V) {
        FloatVector s0 = init(c, ci + j, acc);
        for (int p = 0; p < k; p++) {
          s0 = FloatVector.broadcast(S, a[ai + p * acs]).fma(FloatVector.fromArray(S, b, bOff + p * n + j), s0);
        }
        s0.intoArray(c, ci + j);
      }
      for (; j < n; j++) {
        float s0 = acc ? c[ci + j] : 0.0f;
        for (int p = 0; p < k; p++) {
          s0 = Math.fma(a[ai + p * acs], b[bOff + p * n + j], s0);
        }
        c[ci + j] = s0;
      }
    }
  }

  private static FloatVector init(float[] c, int off, boolean acc) {
    return acc ? FloatVector.fromArray(S, c, off) : FloatVector.zero(S);
  }

  /** {@code C (+)= A B^T}; A {@code m x k}, B {@code n x k}, C {@code m x n}, all row-major. */
  public static void gemmNT(int m, int n, int k, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff,
      boolean accumulate) {
    int kv = S.loopBound(k);
    int i = 0;
    for (; i + 4 <= m; i += 4) {
      int a0 = aOff + i * k;
      int a1 = a0 + k;
      int a2 = a1 + k;
      int a3 = a2 + k;
      int j = 0;
      for (; j + 2 <= n; j += 2) {
        int b0 = bOff + j * k;
        int b1 = b0 + k;
        FloatVector s00 = FloatVector.zero(S);
        FloatVector s01 = FloatVector.zero(S);
        FloatVector s10 = FloatVector.zero(S);
        FloatVector s11 = FloatVector.zero(S);
        FloatVector s20 = FloatVector.zero(S);
        FloatVector s21 = FloatVector.zero(S);
        FloatVector s30 = FloatVector.zero(S);
        FloatVector s31 = FloatVector.zero(S);
        for (int p = 0; p < kv; p += V) {
          FloatVector y0 = FloatVector.fromArray(S, b, b0 + p);
          FloatVector y1 = FloatVector.fromArray(S, b, b1 + p);
          FloatVector x = FloatVector.fromArray(S, a, a0 + p);
          s00 = x.fma(y0, s00);
          s01 = x.fma(y1, s01);
          x = FloatVector.fromArray(S, a, a1 + p);
          s10 = x.fma(y0, s10);
          s11 = x.fma(y1, s11);
          x = FloatVector.fromArray(S, a, a2 + p);
          s20 = x.fma(y0, s20);
          s21 = x.fma(y1, s21);
          x = FloatVector.fromArray(S, a, a3 + p);
          s30 = x.fma(y0, s30);
          s31 = x.fma(y1, s31);
        }
        store(c, cOff + i * n + j, accumulate, finish(s00, a, a0, b, b0, kv, k));
        store(c, cOff + i * n + j + 1, accumulate, finish(s01, a, a0, b, b1, kv, k));
        store(c, cOff + (i + 1) * n + j, accumulate, finish(s10, a, a1, b, b0, kv, k));
        store(c, cOff + (i + 1) * n + j + 1, accumulate, finish(s11, a, a1, b, b1, kv, k));
        store(c, cOff + (i + 2) * n + j, accumulate, finish(s20, a, a2, b, b0, kv, k));
        store(c, cOff + (i + 2) * n + j + 1, accumulate, finish(s21, a, a2, b, b1, kv, k));
        store(c, cOff + (i + 3) * n + j, accumulate, finish(s30, a, a3, b, b0, kv, k));
        store(c, cOff + (i + 3) * n + j + 1, accumulate, finish(s31, a, a3, b, b1, kv, k));
      }
      for (; j < n; j++) {
        int b0 = bOff + j * k;
        for (int r = 0; r < 4; r++) {
          store(c, cOff + (i + r) * n + j, accumulate, dot(a, a0 + r * k, b, b0, kv, k));
        }
      }
    }
    for (; i < m; i++) {
      int ai = aOff + i * k;
      for (int j = 0; j < n; j++) {
        store(c, cOff + i * n + j, accumulate, dot(a, ai, b, bOff + j * k, kv, k));
      }
    }
  }

  private static float dot(float[] a, int aOff, float[] b, int bOff, int kv, int k) {
    FloatVector s = FloatVector.zero(S);
    for (int p = 0; p < kv; p += V) {
      s = FloatVector.fromArray(S, a, aOff + p).fma(FloatVector.fromArray(S, b, bOff + p), s);
    }
    return finish(s, a, aOff, b, bOff, kv, k);
  }

  /** Lane sum of a dot-product accumulator plus the scalar tail {@code kv <= p < k}. */
  private static float finish(FloatVector s, float[] a, int aOff, float[] b, int bOff, int kv, int k) {
    float sum = VMath.sumLanes(s);
    for (int p = kv; p < k; p++) {
      sum = Math.fma(a[aOff + p], b[bOff + p], sum);
    }
    return sum;
  }

  private static void store(float[] c, int idx, boolean accumulate, float v) {
    c[idx] = accumulate ? c[idx] + v : v;
  }
}
