package dev.strata.trainer.kernel;

import static dev.strata.trainer.kernel.VMath.S;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Element-wise and reduction kernels on flat arrays with offsets: axpy, scale, add, multiply, column
 * sums (bias gradients), sum of squares (gradient-norm clipping), finiteness check. Outputs may alias
 * inputs element for element. Stateless, thread-safe, deterministic (fixed reduction order).
 */
public final class ElementwiseKernel {

  private static final int V = S.length();

  private ElementwiseKernel() {}

  /** {@code y += alpha * x} over {@code len} elements. */
  public static void axpy(int len, float alpha, float[] x, int xOff, float[] y, int yOff) {
    FloatVector alphav = FloatVector.broadcast(S, alpha);
    int lv = S.loopBound(len);
    int i = 0;
    for (; i < lv; i += V) {
      FloatVector.fromArray(S, x, xOff + i).fma(alphav, FloatVector.fromArray(S, y, yOff + i)).intoArray(y, yOff + i);
    }
    for (; i < len; i++) {
      y[yOff + i] = Math.fma(x[xOff + i], alpha, y[yOff + i]);
    }
  }

  /** {@code x *= alpha} over {@code len} elements. */
  public static void scale(int len, float alpha, float[] x, int xOff) {
    int lv = S.loopBound(len);
    int i = 0;
    for (; i < lv; i += V) {
      FloatVector.fromArray(S, x, xOff + i).mul(alpha).intoArray(x, xOff + i);
    }
    for (; i < len; i++) {
      x[xOff + i] *= alpha;
    }
  }

  /** {@code out = a + b} over {@code len} elements. */
  public static void add(int len, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff) {
    int lv = S.loopBound(len);
    int i = 0;
    for (; i < lv; i += V) {
      FloatVector.fromArray(S, a, aOff + i).add(FloatVector.fromArray(S, b, bOff + i)).intoArray(out, outOff + i);
    }
    for (; i < len; i++) {
      out[outOff + i] = a[aOff + i] + b[bOff + i];
    }
  }

  /** {@code out = a * b} (element-wise) over {@code len} elements. */
  public static void multiply(int len, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff) {
    int lv = S.loopBound(len);
    int i = 0;
    for (; i < lv; i += V) {
      FloatVector.fromArray(S, a, aOff + i).mul(FloatVector.fromArray(S, b, bOff + i)).intoArray(out, outOff + i);
    }
    for (; i < len; i++) {
      out[outOff + i] = a[aOff + i] * b[bOff + i];
    }
  }

  /**
   * Column sums of a {@code rows x cols} row-major block: {@code out[c] (+)= sum_r x[r][c]}, rows
   * added in order.
   */
  public static void columnSums(int rows, int cols, float[] x, int xOff, float[] out, int outOff, boolean accumulate) {
    int cv = S.loopBound(cols);
    int c = 0;
    for (; c < cv; c += V) {
      FloatVector s = FloatVector.zero(S);
      for (int r = 0; r < rows; r++) {
        s = s.add(FloatVector.fromArray(S, x, xOff + r * cols + c));
      }
      if (accumulate) {
        s = s.add(FloatVector.fromArray(S, out, outOff + c));
      }
      s.intoArray(out, outOff + c);
    }
    for (; c < cols; c++) {
      float s = 0.0f;
      for (int r = 0; r < rows; r++) {
        s += x[xOff + r * cols + c];
      }
      out[outOff + c] = accumulate ? s + out[outOff + c] : s;
    }
  }

  /**
   * {@code out[c] += sum_r x[r][c]} over a {@code rows x cols} block, adding the rows in order to
   * the running sum in out (or to 0 when {@code first}): calling it on consecutive row chunks gives
   * the bits of one {@link #columnSums} over all of them.
   */
  public static void addRows(int rows, int cols, float[] x, int xOff, float[] out, int outOff, boolean first) {
    int cv = S.loopBound(cols);
    int c = 0;
    for (; c < cv; c += V) {
      FloatVector s = first ? FloatVector.zero(S) : FloatVector.fromArray(S, out, outOff + c);
      for (int r = 0; r < rows; r++) {
        s = s.add(FloatVector.fromArray(S, x, xOff + r * cols + c));
      }
      s.intoArray(out, outOff + c);
    }
    for (; c < cols; c++) {
      float s = first ? 0.0f : out[outOff + c];
      for (int r = 0; r < rows; r++) {
        s += x[xOff + r * cols + c];
      }
      out[outOff + c] = s;
    }
  }

  /**
   * {@code sum x[i]^2} over {@code len} elements, as a double. Element i is squared into float lane
   * {@code i mod 16} (see {@link VMath#REDUCTION_LANES}); the lanes are folded into the double total
   * every 4096 elements to bound rounding error, and the tail past the last 16 is added in order. Same
   * bits at every vector width.
   */
  public static double sumOfSquares(int len, float[] x, int xOff) {
    int lv = len - len % VMath.REDUCTION_LANES;
    double total = 0.0;
    int i = 0;
    while (i < lv) {
      int end = Math.min(lv, i + 4096);
      // FloatVector.zero, not a static constant: C2 then knows the exact vector class, inlines the
      // lane reads in VMath.sumLanes and keeps the accumulators in registers (a constant boxed them).
      FloatVector s0 = FloatVector.zero(S);
      FloatVector s1 = FloatVector.zero(S);
      FloatVector s2 = FloatVector.zero(S);
      FloatVector s3 = FloatVector.zero(S);
      for (; i < end; i += VMath.REDUCTION_LANES) {
        FloatVector v0 = FloatVector.fromArray(S, x, xOff + i);
        s0 = v0.fma(v0, s0);
        if (V < 16) {
          FloatVector v1 = FloatVector.fromArray(S, x, xOff + i + V);
          s1 = v1.fma(v1, s1);
        }
        if (V < 8) {
          FloatVector v2 = FloatVector.fromArray(S, x, xOff + i + 2 * V);
          s2 = v2.fma(v2, s2);
          FloatVector v3 = FloatVector.fromArray(S, x, xOff + i + 3 * V);
          s3 = v3.fma(v3, s3);
        }
      }
      total += VMath.sumLanes(s0, s1, s2, s3);
    }
    for (; i < len; i++) {
      float v = x[xOff + i];
      total += (double) v * v;
    }
    return total;
  }

  /** Whether all {@code len} elements are finite (no NaN, no infinity). */
  public static boolean allFinite(int len, float[] x, int xOff) {
    int lv = S.loopBound(len);
    int i = 0;
    for (; i < lv; i += V) {
      // x - x is 0 for finite x and NaN for NaN or infinity.
      FloatVector v = FloatVector.fromArray(S, x, xOff + i);
      if (v.sub(v).test(VectorOperators.IS_NAN).anyTrue()) {
        return false;
      }
    }
    for (; i < len; i++) {
      if (!Float.isFinite(x[xOff + i])) {
        return false;
      }
    }
    return true;
  }
}
