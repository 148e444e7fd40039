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
    int cv = S.loopBound(classes);
    for (int r = 0; r < rows; r++) {
      int zr = zOff + r * classes;
      float max = rowMax(z, zr, classes, cv);
      float sum = expSum(z, zr, classes, cv, max);
      int label = labels[labelOff + r];
      total += VMath.log(sum) - ((double) z[zr + label] - max);
      if (grad != null) {
        writeSoftmax(z, zr, classes, cv, max, gradScale / sum, grad, gOff + r * classes);
        grad[gOff + r * classes + label] -= gradScale;
      }
    }
    return total;
  }

  /** Row-wise softmax of a {@code rows x classes} block (for predictions); out may alias z. */
  public static void softmax(int rows, int classes, float[] z, int zOff, float[] out, int outOff) {
    int cv = S.loopBound(classes);
    for (int r = 0; r < rows; r++) {
      int zr = zOff + r * classes;
      float max = rowMax(z, zr, classes, cv);
      float sum = expSum(z, zr, classes, cv, max);
      writeSoftmax(z, zr, classes, cv, max, 1.0f / sum, out, outOff + r * classes);
    }
  }

  private static float rowMax(float[] z, int zr, int classes, int cv) {
    float max = Float.NEGATIVE_INFINITY;
    int c = 0;
    if (cv > 0) {
      FloatVector m = FloatVector.fromArray(S, z, zr);
      for (c = V; c < cv; c += V) {
        m = m.max(FloatVector.fromArray(S, z, zr + c));
      }
      max = m.reduceLanes(VectorOperators.MAX); // max is exact in any order
    }
    for (; c < classes; c++) {
      max = Math.max(max, z[zr + c]);
    }
    return max;
  }

  private static float expSum(float[] z, int zr, int classes, int cv, float max) {
    FloatVector s = FloatVector.zero(S);
    int c = 0;
    for (; c < cv; c += V) {
      s = s.add(VMath.exp(FloatVector.fromArray(S, z, zr + c).sub(max)));
    }
    float sum = VMath.sumLanes(s);
    for (; c < classes; c++) {
      sum += VMath.exp(z[zr + c] - max);
    }
    return sum;
  }

  private static void writeSoftmax(float[] z, int zr, int classes, int cv, float max, float scale, float[] out,
      int outOff) {
    int c = 0;
    for (; c < cv; c += V) {
      VMath.exp(FloatVector.fromArray(S, z, zr + c).sub(max)).mul(scale).intoArray(out, outOff + c);
    }
    for (; c < classes; c++) {
      out[outOff + c] = VMath.exp(z[zr + c] - max) * scale;
    }
  }

  /**
   * Binary cross-entropy on logits z with targets t in [0, 1], over {@code len} elements:
   * {@code loss = max(z, 0) - z t + log(1 + e^-|z|)}, {@code grad = gradScale * (sigmoid(z) - t)}.
   */
  public static double sigmoidCrossEntropy(int len, float[] z, int zOff, float[] t, int tOff, float[] grad, int gOff,
      float gradScale) {
    int lv = S.loopBound(len);
    FloatVector acc = FloatVector.zero(S);
    int i = 0;
    for (; i < lv; i += V) {
      FloatVector zv = FloatVector.fromArray(S, z, zOff + i);
      FloatVector tv = FloatVector.fromArray(S, t, tOff + i);
      FloatVector e = VMath.exp(zv.abs().neg());
      acc = acc.add(zv.max(0.0f).sub(zv.mul(tv)).add(VMath.log1pUnit(e)));
      if (grad != null) {
        VMath.sigmoid(zv).sub(tv).mul(gradScale).intoArray(grad, gOff + i);
      }
    }
    double total = VMath.sumLanes(acc);
    for (; i < len; i++) {
      float zv = z[zOff + i];
      float tv = t[tOff + i];
      float e = VMath.exp(-Math.abs(zv));
      total += Math.max(zv, 0.0f) - zv * tv + VMath.log1pUnit(e);
      if (grad != null) {
        grad[gOff + i] = (VMath.sigmoid(zv) - tv) * gradScale;
      }
    }
    return total;
  }

  /** Squared error over {@code len} elements: {@code loss = (y - t)^2}, {@code grad = gradScale * 2 (y - t)}. */
  public static double squaredError(int len, float[] y, int yOff, float[] t, int tOff, float[] grad, int gOff,
      float gradScale) {
    int lv = S.loopBound(len);
    FloatVector acc = FloatVector.zero(S);
    float g2 = 2.0f * gradScale;
    int i = 0;
    for (; i < lv; i += V) {
      FloatVector d = FloatVector.fromArray(S, y, yOff + i).sub(FloatVector.fromArray(S, t, tOff + i));
      acc = d.fma(d, acc);
      if (grad != null) {
        d.mul(g2).intoArray(grad, gOff + i);
      }
    }
    double total = VMath.sumLanes(acc);
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
