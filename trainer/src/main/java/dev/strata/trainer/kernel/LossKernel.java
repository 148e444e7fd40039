package dev.strata.trainer.kernel;

import static dev.strata.trainer.kernel.VMath.S;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Losses fused with their gradients, numerically stable. Each returns the loss <em>summed</em> over
 * the elements (as a double; the caller divides) and, when {@code grad} is not null, writes
 * {@code gradScale * dLoss/dInput} (callers pass {@code 1/N} to get the gradient of the mean).
 * Stateless, thread-safe, deterministic.
 */
public final class LossKernel {

  private static final int V = S.length();

  private LossKernel() {}

  /**
   * Softmax cross-entropy on a {@code rows x classes} block of logits z with integer labels:
   * per row, with m = max z, {@code loss = log(sum_j e^(z_j - m)) - (z_label - m)} and
   * {@code grad_j = gradScale * (softmax_j - [j == label])}.
   */
  public static double softmaxCrossEntropy(int rows, int classes, float[] z, int zOff, int[] labels, int labelOff,
      float[] grad, int gOff, float gradScale) {
    double total = 0.0;
    for (int r = 0; r < rows; r++) {
      int zr = zOff + r * classes;
      float max = rowMax(z, zr, classes);
      float sum;
      if (grad != null) {
        int gr = gOff + r * classes;
        sum = writeExp(z, zr, classes, max, grad, gr);
        scaleRowFlushed(grad, gr, classes, gradScale / sum);
        grad[gr + labels[labelOff + r]] -= gradScale;
      } else {
        sum = 0.0f;
        for (int c = 0; c < classes; c++) {
          sum += VMath.exp(z[zr + c] - max);
        }
      }
      total += VMath.log(sum) - ((double) z[zr + labels[labelOff + r]] - max);
    }
    return total;
  }

  /** Row-wise softmax of a {@code rows x classes} block (for predictions); out may alias z. */
  public static void softmax(int rows, int classes, float[] z, int zOff, float[] out, int outOff) {
    for (int r = 0; r < rows; r++) {
      int zr = zOff + r * classes;
      int or = outOff + r * classes;
      float sum = writeExp(z, zr, classes, rowMax(z, zr, classes), out, or);
      scaleRow(out, or, classes, 1.0f / sum);
    }
  }

  private static float rowMax(float[] z, int zr, int classes) {
    float max = Float.NEGATIVE_INFINITY;
    for (int c = 0; c < classes; c++) {
      max = Math.max(max, z[zr + c]);
    }
    return max;
  }

  /**
   * {@code out[c] = e^(z[c] - max)} for one row; returns their sum, added in column order (the
   * vector lanes and the scalar tail compute bit-identical exponentials).
   */
  private static float writeExp(float[] z, int zr, int classes, float max, float[] out, int or) {
    int cv = S.loopBound(classes);
    int c = 0;
    for (; c < cv; c += V) {
      FloatVector.fromArray(S, z, zr + c).sub(max).intoArray(out, or + c);
    }
    for (; c < classes; c++) {
      out[or + c] = z[zr + c] - max;
    }
    VMath.exp(out, or, classes);
    float sum = 0.0f;
    for (c = 0; c < classes; c++) {
      sum += out[or + c];
    }
    return sum;
  }

  /**
   * {@link #scaleRow}, then subnormal results flushed to 0: the gradient of a class the network
   * rules out with confidence (e^-87 / 64) is subnormal, and every product that reads it in the
   * backward GEMMs would take a microcode assist. Below {@code MIN_NORMAL} it moves no weight anyway.
   */
  private static void scaleRowFlushed(float[] a, int off, int n, float k) {
    int nv = S.loopBound(n);
    int c = 0;
    for (; c < nv; c += V) {
      FloatVector x = FloatVector.fromArray(S, a, off + c).mul(k);
      x.blend(0.0f, x.abs().compare(VectorOperators.LT, Float.MIN_NORMAL)).intoArray(a, off + c);
    }
    for (; c < n; c++) {
      float x = a[off + c] * k;
      a[off + c] = Math.abs(x) < Float.MIN_NORMAL ? 0.0f : x;
    }
  }

  private static void scaleRow(float[] a, int off, int n, float k) {
    int nv = S.loopBound(n);
    int c = 0;
    for (; c < nv; c += V) {
      FloatVector.fromArray(S, a, off + c).mul(k).intoArray(a, off + c);
    }
    for (; c < n; c++) {
      a[off + c] *= k;
    }
  }

  /**
   * Binary cross-entropy on logits z with targets t in [0, 1], over {@code len} elements:
   * {@code loss = max(z, 0) - z t + log(1 + e^-|z|)}, {@code grad = gradScale * (sigmoid(z) - t)}.
   * grad must be a different array from z and t (it holds e^-|z| on the way).
   */
  public static double sigmoidCrossEntropy(int len, float[] z, int zOff, float[] t, int tOff, float[] grad, int gOff,
      float gradScale) {
    if (grad != null) {
      // sigmoid(z) = 1 / (1 + e) for z >= 0 and e / (1 + e) below, with e = exp(-|z|): never overflows.
      int lv = S.loopBound(len);
      int i = 0;
      for (; i < lv; i += V) {
        FloatVector.fromArray(S, z, zOff + i).abs().neg().intoArray(grad, gOff + i);
      }
      for (; i < len; i++) {
        grad[gOff + i] = -Math.abs(z[zOff + i]);
      }
      VMath.exp(grad, gOff, len);
      for (i = 0; i < lv; i += V) {
        FloatVector zv = FloatVector.fromArray(S, z, zOff + i);
        FloatVector e = FloatVector.fromArray(S, grad, gOff + i);
        FloatVector num = FloatVector.broadcast(S, 1.0f).blend(e, zv.compare(VectorOperators.LT, 0.0f));
        num.div(e.add(1.0f)).sub(FloatVector.fromArray(S, t, tOff + i)).mul(gradScale).intoArray(grad, gOff + i);
      }
      for (; i < len; i++) {
        float e = grad[gOff + i];
        float num = z[zOff + i] < 0.0f ? e : 1.0f;
        grad[gOff + i] = (num / (e + 1.0f) - t[tOff + i]) * gradScale;
      }
    }
    // The loss in a scalar pass (the output layer is small), summed in element order.
    double total = 0.0;
    for (int i = 0; i < len; i++) {
      float zv = z[zOff + i];
      total += Math.max(zv, 0.0f) - zv * t[tOff + i] + VMath.log1pUnit(VMath.exp(-Math.abs(zv)));
    }
    return total;
  }

  /**
   * Squared error over {@code len} elements: {@code loss = (y - t)^2}, {@code grad = gradScale * 2 (y - t)}.
   * The loss is summed as {@link ElementwiseKernel#sumOfSquares} sums: 16 float lanes folded in a
   * fixed tree, then the tail in order, so the same bits at every vector width.
   */
  public static double squaredError(int len, float[] y, int yOff, float[] t, int tOff, float[] grad, int gOff,
      float gradScale) {
    int lv = len - len % VMath.REDUCTION_LANES;
    FloatVector s0 = FloatVector.zero(S);
    FloatVector s1 = FloatVector.zero(S);
    FloatVector s2 = FloatVector.zero(S);
    FloatVector s3 = FloatVector.zero(S);
    float g2 = 2.0f * gradScale;
    FloatVector vg2 = FloatVector.broadcast(S, g2);
    int i = 0;
    for (; i < lv; i += VMath.REDUCTION_LANES) {
      FloatVector d0 = FloatVector.fromArray(S, y, yOff + i).sub(FloatVector.fromArray(S, t, tOff + i));
      s0 = d0.fma(d0, s0);
      if (grad != null) {
        d0.mul(vg2).intoArray(grad, gOff + i);
      }
      if (V < 16) {
        FloatVector d1 = FloatVector.fromArray(S, y, yOff + i + V).sub(FloatVector.fromArray(S, t, tOff + i + V));
        s1 = d1.fma(d1, s1);
        if (grad != null) {
          d1.mul(vg2).intoArray(grad, gOff + i + V);
        }
      }
      if (V < 8) {
        FloatVector d2 = FloatVector.fromArray(S, y, yOff + i + 2 * V)
            .sub(FloatVector.fromArray(S, t, tOff + i + 2 * V));
        s2 = d2.fma(d2, s2);
        FloatVector d3 = FloatVector.fromArray(S, y, yOff + i + 3 * V)
            .sub(FloatVector.fromArray(S, t, tOff + i + 3 * V));
        s3 = d3.fma(d3, s3);
        if (grad != null) {
          d2.mul(vg2).intoArray(grad, gOff + i + 2 * V);
          d3.mul(vg2).intoArray(grad, gOff + i + 3 * V);
        }
      }
    }
    double total = VMath.sumLanes(s0, s1, s2, s3);
    for (; i < len; i++) {
      float d = y[yOff + i] - t[tOff + i];
      total += d * d;
      if (grad != null) {
        grad[gOff + i] = d * g2;
      }
    }
    return total;
  }
}
