package dev.strata.trainer.kernel;

import static dev.strata.trainer.kernel.VMath.S;

import dev.strata.trainer.spec.Activation;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Activation functions forward (fused with the bias add of a dense layer) and backward (the
 * derivative multiply). Formulas are listed on {@link Activation}; the derivatives used are
 *
 * <ul>
 *   <li>relu: 1 if z &gt; 0 else 0; leaky_relu: 1 or 0.01; elu: 1 if z &gt; 0 else y + 1;
 *   <li>gelu (tanh form, u = c (z + 0.044715 z^3), c = sqrt(2/pi), t = tanh u):
 *       0.5 (1 + t) + 0.5 z (1 - t^2) c (1 + 3 * 0.044715 z^2);
 *   <li>sigmoid: y (1 - y); tanh: 1 - y^2; softplus: sigmoid(z); linear: 1.
 * </ul>
 *
 * Stateless and thread-safe; deterministic (see {@link VMath}).
 */
public final class ActivationKernel {

  private static final int V = S.length();
  static final float GELU_C = 0.7978845608028654f; // sqrt(2/pi)
  static final float GELU_A = 0.044715f;
  /** Beyond |z| = 10 the tanh in gelu is exactly +-1 in float; clamping there keeps z^3 finite. */
  static final float GELU_CLAMP = 10.0f;

  private ActivationKernel() {}

  /**
   * For a {@code rows x cols} block: if {@code bias} is not null, {@code z[r][c] += bias[c]} (written
   * back into z, which backward needs); then {@code y = act(z)}. For {@link Activation#LINEAR}, y may
   * be the same region as z; for the others it must not be.
   */
  public static void forward(Activation act, int rows, int cols, float[] z, int zOff, float[] bias, int bOff,
      float[] y, int yOff) {
    boolean inPlaceLinear = act == Activation.LINEAR && y == z && yOff == zOff;
    if (bias == null && inPlaceLinear) {
      return;
    }
    int cv = S.loopBound(cols);
    for (int r = 0; r < rows; r++) {
      int zr = zOff + r * cols;
      int yr = yOff + r * cols;
      int c = 0;
      for (; c < cv; c += V) {
        FloatVector v = FloatVector.fromArray(S, z, zr + c);
        if (bias != null) {
          v = v.add(FloatVector.fromArray(S, bias, bOff + c));
          v.intoArray(z, zr + c);
        }
        if (!inPlaceLinear) {
          apply(act, v).intoArray(y, yr + c);
        }
      }
      for (; c < cols; c++) {
        float v = z[zr + c];
        if (bias != null) {
          v += bias[bOff + c];
          z[zr + c] = v;
        }
        if (!inPlaceLinear) {
          y[yr + c] = apply(act, v);
        }
      }
    }
  }

  /**
   * {@code dz = dy * act'(z)} over {@code len} contiguous elements, where {@code y = act(z)} is the
   * forward output. dz may be the same region as dy.
   */
  public static void backward(Activation act, int len, float[] z, int zOff, float[] y, int yOff, float[] dy,
      int dyOff, float[] dz, int dzOff) {
    if (act == Activation.LINEAR) {
      if (dz != dy || dzOff != dyOff) {
        System.arraycopy(dy, dyOff, dz, dzOff, len);
      }
      return;
    }
    int lv = S.loopBound(len);
    int i = 0;
    for (; i < lv; i += V) {
      FloatVector zv = FloatVector.fromArray(S, z, zOff + i);
      FloatVector yv = FloatVector.fromArray(S, y, yOff + i);
      FloatVector g = FloatVector.fromArray(S, dy, dyOff + i);
      derivative(act, zv, yv).mul(g).intoArray(dz, dzOff + i);
    }
    for (; i < len; i++) {
      dz[dzOff + i] = derivative(act, z[zOff + i], y[yOff + i]) * dy[dyOff + i];
    }
  }

  static FloatVector apply(Activation act, FloatVector z) {
    return switch (act) {
      case RELU -> z.max(0.0f);
      case LEAKY_RELU -> z.blend(z.mul(Activation.LEAKY_SLOPE), z.compare(VectorOperators.LE, 0.0f));
      case ELU -> z.blend(VMath.exp(z).sub(1.0f), z.compare(VectorOperators.LE, 0.0f));
      case GELU -> {
        FloatVector zc = z.max(-GELU_CLAMP).min(GELU_CLAMP);
        FloatVector u = zc.mul(zc).mul(GELU_A).add(1.0f).mul(zc).mul(GELU_C);
        yield VMath.tanh(u).add(1.0f).mul(z).mul(0.5f);
      }
      case SIGMOID -> VMath.sigmoid(z);
      case TANH -> VMath.tanh(z);
      case SOFTPLUS -> VMath.softplus(z);
      case LINEAR -> z;
    };
  }

  static float apply(Activation act, float z) {
    return switch (act) {
      case RELU -> Math.max(z, 0.0f);
      case LEAKY_RELU -> z <= 0.0f ? z * Activation.LEAKY_SLOPE : z;
      case ELU -> z <= 0.0f ? VMath.exp(z) - 1.0f : z;
      case GELU -> {
        float zc = Math.min(Math.max(z, -GELU_CLAMP), GELU_CLAMP);
        float u = (zc * zc * GELU_A + 1.0f) * zc * GELU_C;
        yield (VMath.tanh(u) + 1.0f) * z * 0.5f;
      }
      case SIGMOID -> VMath.sigmoid(z);
      case TANH -> VMath.tanh(z);
      case SOFTPLUS -> VMath.softplus(z);
      case LINEAR -> z;
    };
  }

  private static FloatVector derivative(Activation act, FloatVector z, FloatVector y) {
    return switch (act) {
      case RELU -> FloatVector.zero(S).blend(1.0f, z.compare(VectorOperators.GT, 0.0f));
      case LEAKY_RELU -> FloatVector.broadcast(S, Activation.LEAKY_SLOPE).blend(1.0f, z.compare(VectorOperators.GT, 0.0f));
      case ELU -> y.add(1.0f).blend(1.0f, z.compare(VectorOperators.GT, 0.0f));
      case GELU -> {
        FloatVector zc = z.max(-GELU_CLAMP).min(GELU_CLAMP);
        FloatVector z2 = zc.mul(zc);
        FloatVector t = VMath.tanh(z2.mul(GELU_A).add(1.0f).mul(zc).mul(GELU_C));
        FloatVector du = z2.mul(3.0f * GELU_A).add(1.0f).mul(GELU_C);
        FloatVector oneMinusT2 = t.mul(t).neg().add(1.0f);
        yield t.add(1.0f).mul(0.5f).add(zc.mul(0.5f).mul(oneMinusT2).mul(du));
      }
      case SIGMOID -> y.neg().add(1.0f).mul(y);
      case TANH -> y.mul(y).neg().add(1.0f);
      case SOFTPLUS -> VMath.sigmoid(z);
      case LINEAR -> FloatVector.broadcast(S, 1.0f);
    };
  }

  private static float derivative(Activation act, float z, float y) {
    return switch (act) {
      case RELU -> z > 0.0f ? 1.0f : 0.0f;
      case LEAKY_RELU -> z > 0.0f ? 1.0f : Activation.LEAKY_SLOPE;
      case ELU -> z > 0.0f ? 1.0f : y + 1.0f;
      case GELU -> {
        float zc = Math.min(Math.max(z, -GELU_CLAMP), GELU_CLAMP);
        float z2 = zc * zc;
        float t = VMath.tanh((z2 * GELU_A + 1.0f) * zc * GELU_C);
        float du = (z2 * (3.0f * GELU_A) + 1.0f) * GELU_C;
        float oneMinusT2 = -(t * t) + 1.0f;
        yield (t + 1.0f) * 0.5f + zc * 0.5f * oneMinusT2 * du;
      }
      case SIGMOID -> (-y + 1.0f) * y;
      case TANH -> -(y * y) + 1.0f;
      case SOFTPLUS -> VMath.sigmoid(z);
      case LINEAR -> 1.0f;
    };
  }
}
