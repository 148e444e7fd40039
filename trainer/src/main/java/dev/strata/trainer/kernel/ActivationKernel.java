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

  private static final FloatVector V_LEAKY = FloatVector.broadcast(S, Activation.LEAKY_SLOPE);
  private static final FloatVector V_CLAMP = FloatVector.broadcast(S, GELU_CLAMP);
  private static final FloatVector V_NEG_CLAMP = FloatVector.broadcast(S, -GELU_CLAMP);
  private static final FloatVector V_GELU_A = FloatVector.broadcast(S, GELU_A);
  private static final FloatVector V_GELU_3A = FloatVector.broadcast(S, 3.0f * GELU_A);
  private static final FloatVector V_GELU_C = FloatVector.broadcast(S, GELU_C);
  private static final FloatVector V_HALF = FloatVector.broadcast(S, 0.5f);

  private ActivationKernel() {}

  /**
   * For a {@code rows x cols} block: if {@code bias} is not null, {@code z[r][c] += bias[c]} (written
   * back into z, which backward needs); then {@code y = act(z)}. y may be the same region as z
   * (always fine for {@link Activation#LINEAR}; for the others only when no backward follows, since
   * backward needs z).
   */
  public static void forward(Activation act, int rows, int cols, float[] z, int zOff, float[] bias, int bOff,
      float[] y, int yOff) {
    // One monomorphic loop per activation: a switch inside the loop would make C2 box the vectors.
    switch (act) {
      case LINEAR -> forwardLinear(rows, cols, z, zOff, bias, bOff, y, yOff);
      case RELU -> forwardRelu(rows, cols, z, zOff, bias, bOff, y, yOff);
      case LEAKY_RELU -> forwardLeakyRelu(rows, cols, z, zOff, bias, bOff, y, yOff);
      case ELU -> forwardElu(rows, cols, z, zOff, bias, bOff, y, yOff);
      case GELU -> forwardGelu(rows, cols, z, zOff, bias, bOff, y, yOff);
      case SIGMOID -> forwardSigmoid(rows, cols, z, zOff, bias, bOff, y, yOff);
      case TANH -> forwardTanh(rows, cols, z, zOff, bias, bOff, y, yOff);
      case SOFTPLUS -> forwardSoftplus(rows, cols, z, zOff, bias, bOff, y, yOff);
    }
  }

  /**
   * {@code dz = dy * act'(z)} over {@code len} contiguous elements, where {@code y = act(z)} is the
   * forward output. dz may be the same region as dy.
   */
  public static void backward(Activation act, int len, float[] z, int zOff, float[] y, int yOff, float[] dy,
      int dyOff, float[] dz, int dzOff) {
    switch (act) {
      case LINEAR -> {
        if (dz != dy || dzOff != dyOff) {
          System.arraycopy(dy, dyOff, dz, dzOff, len);
        }
      }
      case RELU -> backwardRelu(len, z, zOff, y, yOff, dy, dyOff, dz, dzOff);
      case LEAKY_RELU -> backwardLeakyRelu(len, z, zOff, y, yOff, dy, dyOff, dz, dzOff);
      case ELU -> backwardElu(len, z, zOff, y, yOff, dy, dyOff, dz, dzOff);
      case GELU -> backwardGelu(len, z, zOff, y, yOff, dy, dyOff, dz, dzOff);
      case SIGMOID -> backwardSigmoid(len, z, zOff, y, yOff, dy, dyOff, dz, dzOff);
      case TANH -> backwardTanh(len, z, zOff, y, yOff, dy, dyOff, dz, dzOff);
      case SOFTPLUS -> backwardSoftplus(len, z, zOff, y, yOff, dy, dyOff, dz, dzOff);
    }
  }

  /** Floats per chunk of {@link #backwardWithColumnSums}: 16 KB, so the chunk is still in L1 for the sums. */
  private static final int CHUNK_FLOATS = 4096;

  /**
   * The dense backward's element-wise part in one sweep: {@code dz = dy * act'(z)} over a
   * {@code rows x cols} block and {@code db = column sums of dz} (overwritten), chunk by chunk of
   * rows while each chunk is in L1. The same bits as {@link #backward} followed by
   * {@link ElementwiseKernel#columnSums} (each sum still adds the rows in order from 0).
   */
  public static void backwardWithColumnSums(Activation act, int rows, int cols, float[] z, int zOff, float[] y,
      int yOff, float[] dy, int dyOff, float[] dz, int dzOff, float[] db, int dbOff) {
    if (rows == 0) {
      ElementwiseKernel.columnSums(0, cols, dz, dzOff, db, dbOff, false);
      return;
    }
    int chunk = Math.max(1, CHUNK_FLOATS / Math.max(1, cols));
    for (int r0 = 0; r0 < rows; r0 += chunk) {
      int rc = Math.min(chunk, rows - r0);
      int o = r0 * cols;
      backward(act, rc * cols, z, zOff + o, y, yOff + o, dy, dyOff + o, dz, dzOff + o);
      ElementwiseKernel.addRows(rc, cols, dz, dzOff + o, db, dbOff, r0 == 0);
    }
  }

  private static void forwardLinear(int rows, int cols, float[] z, int zOff, float[] bias, int bOff, float[] y,
      int yOff) {
    boolean inPlace = y == z && yOff == zOff;
    if (bias == null) {
      if (!inPlace) {
        System.arraycopy(z, zOff, y, yOff, rows * cols);
      }
      return;
    }
    int cv = S.loopBound(cols);
    for (int r = 0; r < rows; r++) {
      int zr = zOff + r * cols;
      int yr = yOff + r * cols;
      int c = 0;
      for (; c < cv; c += V) {
        FloatVector v = FloatVector.fromArray(S, z, zr + c).add(FloatVector.fromArray(S, bias, bOff + c));
        v.intoArray(z, zr + c);
        if (!inPlace) {
          v.intoArray(y, yr + c);
        }
      }
      for (; c < cols; c++) {
        float v = z[zr + c] + bias[bOff + c];
        z[zr + c] = v;
        y[yr + c] = v;
      }
    }
  }

  private static void forwardRelu(int rows, int cols, float[] z, int zOff, float[] bias, int bOff, float[] y, int yOff) {
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
        relu(v).intoArray(y, yr + c);
      }
      for (; c < cols; c++) {
        float v = z[zr + c];
        if (bias != null) {
          v += bias[bOff + c];
          z[zr + c] = v;
        }
        y[yr + c] = relu(v);
      }
    }
  }

  private static void backwardRelu(int len, float[] z, int zOff, float[] y, int yOff, float[] dy, int dyOff,
      float[] dz, int dzOff) {
    int lv = S.loopBound(len);
    int i = 0;
    for (; i < lv; i += V) {
      FloatVector zv = FloatVector.fromArray(S, z, zOff + i);
      FloatVector yv = FloatVector.fromArray(S, y, yOff + i);
      dRelu(zv, yv).mul(FloatVector.fromArray(S, dy, dyOff + i)).intoArray(dz, dzOff + i);
    }
    for (; i < len; i++) {
      dz[dzOff + i] = dRelu(z[zOff + i], y[yOff + i]) * dy[dyOff + i];
    }
  }
  private static void forwardLeakyRelu(int rows, int cols, float[] z, int zOff, float[] bias, int bOff, float[] y, int yOff) {
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
        leakyRelu(v).intoArray(y, yr + c);
      }
      for (; c < cols; c++) {
        float v = z[zr + c];
        if (bias != null) {
          v += bias[bOff + c];
          z[zr + c] = v;
        }
        y[yr + c] = leakyRelu(v);
      }
    }
  }

  private static void backwardLeakyRelu(int len, float[] z, int zOff, float[] y, int yOff, float[] dy, int dyOff,
      float[] dz, int dzOff) {
    int lv = S.loopBound(len);
    int i = 0;
    for (; i < lv; i += V) {
      FloatVector zv = FloatVector.fromArray(S, z, zOff + i);
      FloatVector yv = FloatVector.fromArray(S, y, yOff + i);
      dLeakyRelu(zv, yv).mul(FloatVector.fromArray(S, dy, dyOff + i)).intoArray(dz, dzOff + i);
    }
    for (; i < len; i++) {
      dz[dzOff + i] = dLeakyRelu(z[zOff + i], y[yOff + i]) * dy[dyOff + i];
    }
  }
  private static void forwardElu(int rows, int cols, float[] z, int zOff, float[] bias, int bOff, float[] y, int yOff) {
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
        elu(v).intoArray(y, yr + c);
      }
      for (; c < cols; c++) {
        float v = z[zr + c];
        if (bias != null) {
          v += bias[bOff + c];
          z[zr + c] = v;
        }
        y[yr + c] = elu(v);
      }
    }
  }

  private static void backwardElu(int len, float[] z, int zOff, float[] y, int yOff, float[] dy, int dyOff,
      float[] dz, int dzOff) {
    int lv = S.loopBound(len);
    int i = 0;
    for (; i < lv; i += V) {
      FloatVector zv = FloatVector.fromArray(S, z, zOff + i);
      FloatVector yv = FloatVector.fromArray(S, y, yOff + i);
      dElu(zv, yv).mul(FloatVector.fromArray(S, dy, dyOff + i)).intoArray(dz, dzOff + i);
    }
    for (; i < len; i++) {
      dz[dzOff + i] = dElu(z[zOff + i], y[yOff + i]) * dy[dyOff + i];
    }
  }
  private static void forwardGelu(int rows, int cols, float[] z, int zOff, float[] bias, int bOff, float[] y, int yOff) {
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
        gelu(v).intoArray(y, yr + c);
      }
      for (; c < cols; c++) {
        float v = z[zr + c];
        if (bias != null) {
          v += bias[bOff + c];
          z[zr + c] = v;
        }
        y[yr + c] = gelu(v);
      }
    }
  }

  private static void backwardGelu(int len, float[] z, int zOff, float[] y, int yOff, float[] dy, int dyOff,
      float[] dz, int dzOff) {
    int lv = S.loopBound(len);
    int i = 0;
    for (; i < lv; i += V) {
      FloatVector zv = FloatVector.fromArray(S, z, zOff + i);
      FloatVector yv = FloatVector.fromArray(S, y, yOff + i);
      dGelu(zv, yv).mul(FloatVector.fromArray(S, dy, dyOff + i)).intoArray(dz, dzOff + i);
    }
    for (; i < len; i++) {
      dz[dzOff + i] = dGelu(z[zOff + i], y[yOff + i]) * dy[dyOff + i];
    }
  }
  private static void forwardSigmoid(int rows, int cols, float[] z, int zOff, float[] bias, int bOff, float[] y, int yOff) {
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
        sigmoid(v).intoArray(y, yr + c);
      }
      for (; c < cols; c++) {
        float v = z[zr + c];
        if (bias != null) {
          v += bias[bOff + c];
          z[zr + c] = v;
        }
        y[yr + c] = sigmoid(v);
      }
    }
  }

  private static void backwardSigmoid(int len, float[] z, int zOff, float[] y, int yOff, float[] dy, int dyOff,
      float[] dz, int dzOff) {
    int lv = S.loopBound(len);
    int i = 0;
    for (; i < lv; i += V) {
      FloatVector zv = FloatVector.fromArray(S, z, zOff + i);
      FloatVector yv = FloatVector.fromArray(S, y, yOff + i);
      dSigmoid(zv, yv).mul(FloatVector.fromArray(S, dy, dyOff + i)).intoArray(dz, dzOff + i);
    }
    for (; i < len; i++) {
      dz[dzOff + i] = dSigmoid(z[zOff + i], y[yOff + i]) * dy[dyOff + i];
    }
  }
  private static void forwardTanh(int rows, int cols, float[] z, int zOff, float[] bias, int bOff, float[] y, int yOff) {
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
        tanh(v).intoArray(y, yr + c);
      }
      for (; c < cols; c++) {
        float v = z[zr + c];
        if (bias != null) {
          v += bias[bOff + c];
          z[zr + c] = v;
        }
        y[yr + c] = tanh(v);
      }
    }
  }

  private static void backwardTanh(int len, float[] z, int zOff, float[] y, int yOff, float[] dy, int dyOff,
      float[] dz, int dzOff) {
    int lv = S.loopBound(len);
    int i = 0;
    for (; i < lv; i += V) {
      FloatVector zv = FloatVector.fromArray(S, z, zOff + i);
      FloatVector yv = FloatVector.fromArray(S, y, yOff + i);
      dTanh(zv, yv).mul(FloatVector.fromArray(S, dy, dyOff + i)).intoArray(dz, dzOff + i);
    }
    for (; i < len; i++) {
      dz[dzOff + i] = dTanh(z[zOff + i], y[yOff + i]) * dy[dyOff + i];
    }
  }
  /** Two passes (e = exp(-|z|), then max(z, 0) + log1p(e)): one fused loop is too big for C2 to keep unboxed. */
  private static void forwardSoftplus(int rows, int cols, float[] z, int zOff, float[] bias, int bOff, float[] y,
      int yOff) {
    if (bias != null || y != z || yOff != zOff) {
      forwardLinear(rows, cols, z, zOff, bias, bOff, y, yOff);
    }
    int len = rows * cols;
    int lv = S.loopBound(len);
    int i = 0;
    for (; i < lv; i += V) {
      VMath.exp(FloatVector.fromArray(S, y, yOff + i).abs().neg()).intoArray(y, yOff + i);
    }
    for (; i < len; i++) {
      y[yOff + i] = VMath.exp(-Math.abs(y[yOff + i]));
    }
    for (i = 0; i < lv; i += V) {
      FloatVector zv = FloatVector.fromArray(S, z, zOff + i);
      zv.max(VMath.V_ZERO).add(VMath.log1pUnit(FloatVector.fromArray(S, y, yOff + i))).intoArray(y, yOff + i);
    }
    for (; i < len; i++) {
      y[yOff + i] = Math.max(z[zOff + i], 0.0f) + VMath.log1pUnit(y[yOff + i]);
    }
  }

  private static void backwardSoftplus(int len, float[] z, int zOff, float[] y, int yOff, float[] dy, int dyOff,
      float[] dz, int dzOff) {
    int lv = S.loopBound(len);
    int i = 0;
    for (; i < lv; i += V) {
      FloatVector zv = FloatVector.fromArray(S, z, zOff + i);
      FloatVector yv = FloatVector.fromArray(S, y, yOff + i);
      dSoftplus(zv, yv).mul(FloatVector.fromArray(S, dy, dyOff + i)).intoArray(dz, dzOff + i);
    }
    for (; i < len; i++) {
      dz[dzOff + i] = dSoftplus(z[zOff + i], y[yOff + i]) * dy[dyOff + i];
    }
  }

  // ---- the functions (vector and scalar forms perform the same operations in the same order) ----

  static FloatVector relu(FloatVector z) {
    return z.max(VMath.V_ZERO);
  }

  static float relu(float z) {
    return Math.max(z, 0.0f);
  }

  static FloatVector leakyRelu(FloatVector z) {
    return z.blend(z.mul(V_LEAKY), z.compare(VectorOperators.LE, VMath.V_ZERO));
  }

  static float leakyRelu(float z) {
    return z <= 0.0f ? z * Activation.LEAKY_SLOPE : z;
  }

  static FloatVector elu(FloatVector z) {
    return z.blend(VMath.exp(z).sub(VMath.V_ONE), z.compare(VectorOperators.LE, VMath.V_ZERO));
  }

  static float elu(float z) {
    return z <= 0.0f ? VMath.exp(z) - 1.0f : z;
  }

  static FloatVector gelu(FloatVector z) {
    FloatVector zc = z.max(V_NEG_CLAMP).min(V_CLAMP);
    FloatVector u = zc.mul(zc).mul(V_GELU_A).add(VMath.V_ONE).mul(zc).mul(V_GELU_C);
    return VMath.tanh(u).add(VMath.V_ONE).mul(z).mul(V_HALF);
  }

  static float gelu(float z) {
    float zc = Math.min(Math.max(z, -GELU_CLAMP), GELU_CLAMP);
    float u = (zc * zc * GELU_A + 1.0f) * zc * GELU_C;
    return (VMath.tanh(u) + 1.0f) * z * 0.5f;
  }

  static FloatVector sigmoid(FloatVector z) {
    return VMath.sigmoid(z);
  }

  static float sigmoid(float z) {
    return VMath.sigmoid(z);
  }

  static FloatVector tanh(FloatVector z) {
    return VMath.tanh(z);
  }

  static float tanh(float z) {
    return VMath.tanh(z);
  }

  static FloatVector softplus(FloatVector z) {
    return VMath.softplus(z);
  }

  static float softplus(float z) {
    return VMath.softplus(z);
  }

  // ---- derivatives from z and y = f(z) ----

  private static FloatVector dRelu(FloatVector z, FloatVector y) {
    return VMath.V_ZERO.blend(VMath.V_ONE, z.compare(VectorOperators.GT, VMath.V_ZERO));
  }

  private static float dRelu(float z, float y) {
    return z > 0.0f ? 1.0f : 0.0f;
  }

  private static FloatVector dLeakyRelu(FloatVector z, FloatVector y) {
    return V_LEAKY.blend(VMath.V_ONE, z.compare(VectorOperators.GT, VMath.V_ZERO));
  }

  private static float dLeakyRelu(float z, float y) {
    return z > 0.0f ? 1.0f : Activation.LEAKY_SLOPE;
  }

  private static FloatVector dElu(FloatVector z, FloatVector y) {
    return y.add(VMath.V_ONE).blend(VMath.V_ONE, z.compare(VectorOperators.GT, VMath.V_ZERO));
  }

  private static float dElu(float z, float y) {
    return z > 0.0f ? 1.0f : y + 1.0f;
  }

  private static FloatVector dGelu(FloatVector z, FloatVector y) {
    FloatVector zc = z.max(V_NEG_CLAMP).min(V_CLAMP);
    FloatVector z2 = zc.mul(zc);
    FloatVector t = VMath.tanh(z2.mul(V_GELU_A).add(VMath.V_ONE).mul(zc).mul(V_GELU_C));
    FloatVector du = z2.mul(V_GELU_3A).add(VMath.V_ONE).mul(V_GELU_C);
    FloatVector oneMinusT2 = t.mul(t).neg().add(VMath.V_ONE);
    return t.add(VMath.V_ONE).mul(V_HALF).add(zc.mul(V_HALF).mul(oneMinusT2).mul(du));
  }

  private static float dGelu(float z, float y) {
    float zc = Math.min(Math.max(z, -GELU_CLAMP), GELU_CLAMP);
    float z2 = zc * zc;
    float t = VMath.tanh((z2 * GELU_A + 1.0f) * zc * GELU_C);
    float du = (z2 * (3.0f * GELU_A) + 1.0f) * GELU_C;
    float oneMinusT2 = -(t * t) + 1.0f;
    return (t + 1.0f) * 0.5f + zc * 0.5f * oneMinusT2 * du;
  }

  private static FloatVector dSigmoid(FloatVector z, FloatVector y) {
    return y.neg().add(VMath.V_ONE).mul(y);
  }

  private static float dSigmoid(float z, float y) {
    return (-y + 1.0f) * y;
  }

  private static FloatVector dTanh(FloatVector z, FloatVector y) {
    return y.mul(y).neg().add(VMath.V_ONE);
  }

  private static float dTanh(float z, float y) {
    return -(y * y) + 1.0f;
  }

  private static FloatVector dSoftplus(FloatVector z, FloatVector y) {
    return VMath.sigmoid(z);
  }

  private static float dSoftplus(float z, float y) {
    return VMath.sigmoid(z);
  }
}
