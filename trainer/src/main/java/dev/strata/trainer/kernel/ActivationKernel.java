package dev.strata.trainer.kernel;

import static dev.strata.trainer.kernel.VMath.S;

import dev.strata.trainer.spec.Activation;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
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
 * <p>No method here takes or returns a vector. A vector that crosses a call C2 did not inline is
 * boxed, and the callee then runs the Vector API's Java fallback; C2 stops inlining ordinary
 * methods once a large compile reaches its node budget, which a training step's compile does. So
 * the functions built on exp (elu, gelu, sigmoid, tanh, softplus) run as passes over a chunk of
 * the arrays: one pass prepares the exponent in the output array, {@link VMath#exp(float[], int, int)}
 * exponentiates it in place, and a last pass finishes the function. Each element still sees the
 * same float operations in the same order as in the single-expression formulas.
 *
 * <p>Stateless and thread-safe; deterministic (see {@link VMath}).
 */
public final class ActivationKernel {

  private static final int V = S.length();
  static final float GELU_C = 0.7978845608028654f; // sqrt(2/pi)
  static final float GELU_A = 0.044715f;
  /** Beyond |z| = 10 the tanh in gelu is exactly +-1 in float; clamping there keeps z^3 finite. */
  static final float GELU_CLAMP = 10.0f;
  /** Floats per pass of the exp-based functions: 8 KB, so a pass's two or three operands stay in L1. */
  private static final int PASS_FLOATS = 2048;

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
   * back into z, which backward needs); then {@code y = act(z)}. y may be the same array as z only
   * for linear, relu, leaky_relu and sigmoid (and then only when no backward follows, since backward
   * needs z); the others keep intermediates in y while they still read z.
   */
  public static void forward(Activation act, int rows, int cols, float[] z, int zOff, float[] bias, int bOff,
      float[] y, int yOff) {
    if (y == z && usesZAfterWritingY(act)) {
      throw new IllegalArgumentException(act + " forward needs y in a different array from z");
    }
    // One monomorphic loop per activation: a switch inside the loop would make C2 box the vectors.
    switch (act) {
      case LINEAR -> forwardLinear(rows, cols, z, zOff, bias, bOff, y, yOff);
      case RELU -> forwardRelu(rows, cols, z, zOff, bias, bOff, y, yOff);
      case LEAKY_RELU -> forwardLeakyRelu(rows, cols, z, zOff, bias, bOff, y, yOff);
      case ELU, GELU, SIGMOID, TANH, SOFTPLUS -> {
        if (bias != null) {
          addBias(rows, cols, z, zOff, bias, bOff);
        }
        int len = rows * cols;
        for (int o = 0; o < len; o += PASS_FLOATS) {
          forwardChunk(act, Math.min(PASS_FLOATS, len - o), z, zOff + o, y, yOff + o);
        }
      }
    }
  }

  private static boolean usesZAfterWritingY(Activation act) {
    return act == Activation.ELU || act == Activation.GELU || act == Activation.TANH || act == Activation.SOFTPLUS;
  }

  /**
   * {@code dz = dy * act'(z)} over {@code len} contiguous elements, where {@code y = act(z)} is the
   * forward output. dz must be a different array from z and y, and from dy except for linear (gelu
   * and softplus keep intermediates in dz while they still read dy).
   */
  public static void backward(Activation act, int len, float[] z, int zOff, float[] y, int yOff, float[] dy,
      int dyOff, float[] dz, int dzOff) {
    if (act != Activation.LINEAR && (dz == z || dz == y || dz == dy)) {
      throw new IllegalArgumentException(act + " backward needs dz in a different array from z, y and dy");
    }
    switch (act) {
      case LINEAR -> {
        if (dz != dy || dzOff != dyOff) {
          System.arraycopy(dy, dyOff, dz, dzOff, len);
        }
      }
      case RELU -> backwardRelu(len, z, zOff, dy, dyOff, dz, dzOff);
      case LEAKY_RELU -> backwardLeakyRelu(len, z, zOff, dy, dyOff, dz, dzOff);
      case ELU -> backwardElu(len, z, zOff, y, yOff, dy, dyOff, dz, dzOff);
      case SIGMOID -> backwardSigmoid(len, y, yOff, dy, dyOff, dz, dzOff);
      case TANH -> backwardTanh(len, y, yOff, dy, dyOff, dz, dzOff);
      case GELU, SOFTPLUS -> {
        for (int o = 0; o < len; o += PASS_FLOATS) {
          backwardChunk(act, Math.min(PASS_FLOATS, len - o), z, zOff + o, dy, dyOff + o, dz, dzOff + o);
        }
      }
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
        v.max(VMath.V_ZERO).intoArray(y, yr + c);
      }
      for (; c < cols; c++) {
        float v = z[zr + c];
        if (bias != null) {
          v += bias[bOff + c];
          z[zr + c] = v;
        }
        y[yr + c] = Math.max(v, 0.0f);
      }
    }
  }

  private static void forwardLeakyRelu(int rows, int cols, float[] z, int zOff, float[] bias, int bOff, float[] y,
      int yOff) {
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
        v.blend(v.mul(V_LEAKY), v.compare(VectorOperators.LE, VMath.V_ZERO)).intoArray(y, yr + c);
      }
      for (; c < cols; c++) {
        float v = z[zr + c];
        if (bias != null) {
          v += bias[bOff + c];
          z[zr + c] = v;
        }
        y[yr + c] = v <= 0.0f ? v * Activation.LEAKY_SLOPE : v;
      }
    }
  }

  private static void addBias(int rows, int cols, float[] z, int zOff, float[] bias, int bOff) {
    int cv = S.loopBound(cols);
    for (int r = 0; r < rows; r++) {
      int zr = zOff + r * cols;
      int c = 0;
      for (; c < cv; c += V) {
        FloatVector.fromArray(S, z, zr + c).add(FloatVector.fromArray(S, bias, bOff + c)).intoArray(z, zr + c);
      }
      for (; c < cols; c++) {
        z[zr + c] += bias[bOff + c];
      }
    }
  }

  /** y = act(z) over len elements for the exp-based activations, as prepare, exp, finish passes. */
  private static void forwardChunk(Activation act, int len, float[] z, int zo, float[] y, int yo) {
    switch (act) {
      case ELU -> {
        System.arraycopy(z, zo, y, yo, len);
        VMath.exp(y, yo, len);
        finishElu(len, z, zo, y, yo);
      }
      case SIGMOID -> {
        negate(len, z, zo, y, yo);
        VMath.exp(y, yo, len);
        finishSigmoid(len, y, yo);
      }
      case TANH -> {
        minusTwoAbs(len, z, zo, y, yo);
        VMath.exp(y, yo, len);
        finishTanh(len, z, zo, y, yo);
      }
      case GELU -> {
        geluExponent(len, z, zo, y, yo);
        VMath.exp(y, yo, len);
        finishGelu(len, z, zo, y, yo);
      }
      case SOFTPLUS -> {
        minusAbs(len, z, zo, y, yo);
        VMath.exp(y, yo, len);
        VMath.log1pUnit(y, yo, len);
        finishSoftplus(len, z, zo, y, yo);
      }
      default -> throw new AssertionError(act);
    }
  }

  /** dz = dy * act'(z) over len elements for gelu and softplus, whose derivatives need an exp of z. */
  private static void backwardChunk(Activation act, int len, float[] z, int zo, float[] dy, int dyo, float[] dz,
      int dzo) {
    if (act == Activation.GELU) {
      geluExponent(len, z, zo, dz, dzo);
      VMath.exp(dz, dzo, len);
      finishGeluBackward(len, z, zo, dy, dyo, dz, dzo);
    } else {
      negate(len, z, zo, dz, dzo);
      VMath.exp(dz, dzo, len);
      finishSoftplusBackward(len, dy, dyo, dz, dzo);
    }
  }

  // ---- passes that prepare an exponent: out = f(x) ----

  private static void negate(int len, float[] x, int xo, float[] out, int oo) {
    int lv = S.loopBound(len);
    int i = 0;
    for (; i < lv; i += V) {
      FloatVector.fromArray(S, x, xo + i).neg().intoArray(out, oo + i);
    }
    for (; i < len; i++) {
      out[oo + i] = -x[xo + i];
    }
  }

  private static void minusAbs(int len, float[] x, int xo, float[] out, int oo) {
    int lv = S.loopBound(len);
    int i = 0;
    for (; i < lv; i += V) {
      FloatVector.fromArray(S, x, xo + i).abs().neg().intoArray(out, oo + i);
    }
    for (; i < len; i++) {
      out[oo + i] = -Math.abs(x[xo + i]);
    }
  }

  /** For tanh(x) = (1 - e) / (1 + e) with e = exp(-2|x|), sign restored from x. */
  private static void minusTwoAbs(int len, float[] x, int xo, float[] out, int oo) {
    int lv = S.loopBound(len);
    int i = 0;
    for (; i < lv; i += V) {
      FloatVector.fromArray(S, x, xo + i).abs().mul(VMath.V_MINUS_TWO).intoArray(out, oo + i);
    }
    for (; i < len; i++) {
      out[oo + i] = Math.abs(x[xo + i]) * -2.0f;
    }
  }

  /** -2|u| for gelu's tanh u, u = c (zc + a zc^3) with zc = z clamped to +-10 (u has the sign of z). */
  private static void geluExponent(int len, float[] z, int zo, float[] out, int oo) {
    int lv = S.loopBound(len);
    int i = 0;
    for (; i < lv; i += V) {
      FloatVector zc = FloatVector.fromArray(S, z, zo + i).max(V_NEG_CLAMP).min(V_CLAMP);
      FloatVector u = zc.mul(zc).mul(V_GELU_A).add(VMath.V_ONE).mul(zc).mul(V_GELU_C);
      u.abs().mul(VMath.V_MINUS_TWO).intoArray(out, oo + i);
    }
    for (; i < len; i++) {
      float zc = Math.min(Math.max(z[zo + i], -GELU_CLAMP), GELU_CLAMP);
      float u = (zc * zc * GELU_A + 1.0f) * zc * GELU_C;
      out[oo + i] = Math.abs(u) * -2.0f;
    }
  }

  // ---- passes that finish a function from e = exp(...) held in y (or dz) ----

  private static void finishElu(int len, float[] z, int zo, float[] y, int yo) {
    int lv = S.loopBound(len);
    int i = 0;
    for (; i < lv; i += V) {
      FloatVector zv = FloatVector.fromArray(S, z, zo + i);
      FloatVector e = FloatVector.fromArray(S, y, yo + i);
      zv.blend(e.sub(VMath.V_ONE), zv.compare(VectorOperators.LE, VMath.V_ZERO)).intoArray(y, yo + i);
    }
    for (; i < len; i++) {
      float zv = z[zo + i];
      y[yo + i] = zv <= 0.0f ? y[yo + i] - 1.0f : zv;
    }
  }

  private static void finishSigmoid(int len, float[] y, int yo) {
    int lv = S.loopBound(len);
    int i = 0;
    for (; i < lv; i += V) {
      VMath.V_ONE.div(FloatVector.fromArray(S, y, yo + i).add(VMath.V_ONE)).intoArray(y, yo + i);
    }
    for (; i < len; i++) {
      y[yo + i] = 1.0f / (1.0f + y[yo + i]);
    }
  }

  private static void finishTanh(int len, float[] z, int zo, float[] y, int yo) {
    int lv = S.loopBound(len);
    int i = 0;
    for (; i < lv; i += V) {
      FloatVector e = FloatVector.fromArray(S, y, yo + i);
      FloatVector t = e.neg().add(VMath.V_ONE).div(e.add(VMath.V_ONE));
      VectorMask<Float> negative = FloatVector.fromArray(S, z, zo + i).compare(VectorOperators.LT, VMath.V_ZERO);
      t.blend(t.neg(), negative).intoArray(y, yo + i);
    }
    for (; i < len; i++) {
      float e = y[yo + i];
      float t = (1.0f - e) / (e + 1.0f);
      y[yo + i] = z[zo + i] < 0.0f ? -t : t;
    }
  }

  private static void finishGelu(int len, float[] z, int zo, float[] y, int yo) {
    int lv = S.loopBound(len);
    int i = 0;
    for (; i < lv; i += V) {
      FloatVector zv = FloatVector.fromArray(S, z, zo + i);
      FloatVector e = FloatVector.fromArray(S, y, yo + i);
      FloatVector t = e.neg().add(VMath.V_ONE).div(e.add(VMath.V_ONE));
      t = t.blend(t.neg(), zv.compare(VectorOperators.LT, VMath.V_ZERO));
      t.add(VMath.V_ONE).mul(zv).mul(V_HALF).intoArray(y, yo + i);
    }
    for (; i < len; i++) {
      float zv = z[zo + i];
      float e = y[yo + i];
      float t = (1.0f - e) / (e + 1.0f);
      t = zv < 0.0f ? -t : t;
      y[yo + i] = (t + 1.0f) * zv * 0.5f;
    }
  }

  private static void finishSoftplus(int len, float[] z, int zo, float[] y, int yo) {
    int lv = S.loopBound(len);
    int i = 0;
    for (; i < lv; i += V) {
      FloatVector.fromArray(S, z, zo + i).max(VMath.V_ZERO).add(FloatVector.fromArray(S, y, yo + i)).intoArray(y, yo + i);
    }
    for (; i < len; i++) {
      y[yo + i] = Math.max(z[zo + i], 0.0f) + y[yo + i];
    }
  }

  private static void finishGeluBackward(int len, float[] z, int zo, float[] dy, int dyo, float[] dz, int dzo) {
    int lv = S.loopBound(len);
    int i = 0;
    for (; i < lv; i += V) {
      FloatVector zv = FloatVector.fromArray(S, z, zo + i);
      FloatVector zc = zv.max(V_NEG_CLAMP).min(V_CLAMP);
      FloatVector z2 = zc.mul(zc);
      FloatVector e = FloatVector.fromArray(S, dz, dzo + i);
      FloatVector t = e.neg().add(VMath.V_ONE).div(e.add(VMath.V_ONE));
      t = t.blend(t.neg(), zv.compare(VectorOperators.LT, VMath.V_ZERO));
      FloatVector du = z2.mul(V_GELU_3A).add(VMath.V_ONE).mul(V_GELU_C);
      FloatVector oneMinusT2 = t.mul(t).neg().add(VMath.V_ONE);
      FloatVector d = t.add(VMath.V_ONE).mul(V_HALF).add(zc.mul(V_HALF).mul(oneMinusT2).mul(du));
      d.mul(FloatVector.fromArray(S, dy, dyo + i)).intoArray(dz, dzo + i);
    }
    for (; i < len; i++) {
      float zv = z[zo + i];
      float zc = Math.min(Math.max(zv, -GELU_CLAMP), GELU_CLAMP);
      float z2 = zc * zc;
      float e = dz[dzo + i];
      float t = (1.0f - e) / (e + 1.0f);
      t = zv < 0.0f ? -t : t;
      float du = (z2 * (3.0f * GELU_A) + 1.0f) * GELU_C;
      float oneMinusT2 = -(t * t) + 1.0f;
      dz[dzo + i] = ((t + 1.0f) * 0.5f + zc * 0.5f * oneMinusT2 * du) * dy[dyo + i];
    }
  }

  /** dz = sigmoid(z) dy with e = exp(-z) in dz. */
  private static void finishSoftplusBackward(int len, float[] dy, int dyo, float[] dz, int dzo) {
    int lv = S.loopBound(len);
    int i = 0;
    for (; i < lv; i += V) {
      FloatVector s = VMath.V_ONE.div(FloatVector.fromArray(S, dz, dzo + i).add(VMath.V_ONE));
      s.mul(FloatVector.fromArray(S, dy, dyo + i)).intoArray(dz, dzo + i);
    }
    for (; i < len; i++) {
      dz[dzo + i] = 1.0f / (1.0f + dz[dzo + i]) * dy[dyo + i];
    }
  }

  // ---- backward of the activations whose derivative needs no exp ----

  private static void backwardRelu(int len, float[] z, int zOff, float[] dy, int dyOff, float[] dz, int dzOff) {
    int lv = S.loopBound(len);
    int i = 0;
    for (; i < lv; i += V) {
      VectorMask<Float> positive = FloatVector.fromArray(S, z, zOff + i).compare(VectorOperators.GT, VMath.V_ZERO);
      VMath.V_ZERO.blend(VMath.V_ONE, positive).mul(FloatVector.fromArray(S, dy, dyOff + i)).intoArray(dz, dzOff + i);
    }
    for (; i < len; i++) {
      dz[dzOff + i] = (z[zOff + i] > 0.0f ? 1.0f : 0.0f) * dy[dyOff + i];
    }
  }

  private static void backwardLeakyRelu(int len, float[] z, int zOff, float[] dy, int dyOff, float[] dz, int dzOff) {
    int lv = S.loopBound(len);
    int i = 0;
    for (; i < lv; i += V) {
      VectorMask<Float> positive = FloatVector.fromArray(S, z, zOff + i).compare(VectorOperators.GT, VMath.V_ZERO);
      V_LEAKY.blend(VMath.V_ONE, positive).mul(FloatVector.fromArray(S, dy, dyOff + i)).intoArray(dz, dzOff + i);
    }
    for (; i < len; i++) {
      dz[dzOff + i] = (z[zOff + i] > 0.0f ? 1.0f : Activation.LEAKY_SLOPE) * dy[dyOff + i];
    }
  }

  private static void backwardElu(int len, float[] z, int zOff, float[] y, int yOff, float[] dy, int dyOff,
      float[] dz, int dzOff) {
    int lv = S.loopBound(len);
    int i = 0;
    for (; i < lv; i += V) {
      VectorMask<Float> positive = FloatVector.fromArray(S, z, zOff + i).compare(VectorOperators.GT, VMath.V_ZERO);
      FloatVector d = FloatVector.fromArray(S, y, yOff + i).add(VMath.V_ONE).blend(VMath.V_ONE, positive);
      d.mul(FloatVector.fromArray(S, dy, dyOff + i)).intoArray(dz, dzOff + i);
    }
    for (; i < len; i++) {
      dz[dzOff + i] = (z[zOff + i] > 0.0f ? 1.0f : y[yOff + i] + 1.0f) * dy[dyOff + i];
    }
  }

  private static void backwardSigmoid(int len, float[] y, int yOff, float[] dy, int dyOff, float[] dz, int dzOff) {
    int lv = S.loopBound(len);
    int i = 0;
    for (; i < lv; i += V) {
      FloatVector yv = FloatVector.fromArray(S, y, yOff + i);
      yv.neg().add(VMath.V_ONE).mul(yv).mul(FloatVector.fromArray(S, dy, dyOff + i)).intoArray(dz, dzOff + i);
    }
    for (; i < len; i++) {
      float yv = y[yOff + i];
      dz[dzOff + i] = (-yv + 1.0f) * yv * dy[dyOff + i];
    }
  }

  private static void backwardTanh(int len, float[] y, int yOff, float[] dy, int dyOff, float[] dz, int dzOff) {
    int lv = S.loopBound(len);
    int i = 0;
    for (; i < lv; i += V) {
      FloatVector yv = FloatVector.fromArray(S, y, yOff + i);
      yv.mul(yv).neg().add(VMath.V_ONE).mul(FloatVector.fromArray(S, dy, dyOff + i)).intoArray(dz, dzOff + i);
    }
    for (; i < len; i++) {
      float yv = y[yOff + i];
      dz[dzOff + i] = (-(yv * yv) + 1.0f) * dy[dyOff + i];
    }
  }
}
