package dev.strata.trainer.kernel;

import static dev.strata.trainer.kernel.VMath.S;
import static jdk.incubator.vector.VectorOperators.GT;

import jdk.incubator.vector.FloatVector;

/**
 * Batch normalisation over the channels of an NCHW batch ({@code rows x channels x plane}): the
 * statistics of channel c run over all {@code M = rows plane} values of that channel. Same formulas
 * as {@link BatchNormKernel} (which is the {@code plane = 1} case on a row-major batch):
 *
 * <pre>
 *   train:  mu = mean x,  var = mean (x - mu)^2 (biased),  s = 1 / sqrt(var + eps)
 *           xhat = (x - mu) s,  y = gamma xhat + beta
 *   eval:   y = x scale + shift,  scale = gamma / sqrt(runningVar + eps),  shift = beta - runningMean scale
 *   back:   dbeta = sum dy,  dgamma = sum dy xhat,  dx = gamma s / M (M dy - dbeta - xhat dgamma)
 * </pre>
 *
 * With {@code relu}, a ReLU follows in the same pass: {@code y = max(y, 0)} forward, and backward
 * {@code dy} becomes {@code (y > 0 ? 1 : 0) dy} first, the same operations as {@link ActivationKernel}'s
 * ReLU, so the fused layer gives the bits of batch norm then a separate ReLU with two fewer passes
 * over memory each way. The backward pass recomputes {@code xhat} from {@code x} (same operations as
 * the forward) instead of reading a stored copy: one stream fewer written per step, at 2 flops a value.
 *
 * Order of every sum, whatever the lane count: first per pixel over the samples (vectorised across
 * pixels, samples added in order into a caller-owned {@code plane}-long scratch), then over the
 * pixels in order, in double. Everything else is element-wise. {@link ImageScalarKernels} repeats
 * the same operations one float at a time and agrees bit for bit. Stateless and thread-safe.
 */
public final class ChannelNormKernel {

  private static final int V = S.length();

  private ChannelNormKernel() {}

  /**
   * Training-mode forward. Writes the batch {@code mean}, biased {@code var} and {@code invStd}
   * ({@code channels} long, from offset 0) and {@code y}; {@code acc} is scratch of {@code plane} floats.
   */
  public static void trainForward(int rows, int channels, int plane, float[] x, int xOff, float[] gamma, int gOff,
      float[] beta, int bOff, float eps, boolean relu, float[] mean, float[] var, float[] invStd, float[] y, int yOff,
      float[] acc) {
    int stride = channels * plane;
    float invM = 1.0f / ((float) rows * plane);
    int pv = S.loopBound(plane);
    for (int c = 0; c < channels; c++) {
      int base = c * plane;
      java.util.Arrays.fill(acc, 0, plane, 0f);
      for (int n = 0; n < rows; n++) {
        int o = xOff + n * stride + base;
        int i = 0;
        for (; i < pv; i += V) {
          FloatVector.fromArray(S, acc, i).add(FloatVector.fromArray(S, x, o + i)).intoArray(acc, i);
        }
        for (; i < plane; i++) {
          acc[i] += x[o + i];
        }
      }
      float mu = (float) sum(acc, plane) * invM;
      FloatVector muv = FloatVector.broadcast(S, mu);
      java.util.Arrays.fill(acc, 0, plane, 0f);
      for (int n = 0; n < rows; n++) {
        int o = xOff + n * stride + base;
        int i = 0;
        for (; i < pv; i += V) {
          FloatVector d = FloatVector.fromArray(S, x, o + i).sub(muv);
          d.fma(d, FloatVector.fromArray(S, acc, i)).intoArray(acc, i);
        }
        for (; i < plane; i++) {
          float d = x[o + i] - mu;
          acc[i] = Math.fma(d, d, acc[i]);
        }
      }
      float va = (float) sum(acc, plane) * invM;
      float is = 1.0f / (float) Math.sqrt(va + eps);
      mean[c] = mu;
      var[c] = va;
      invStd[c] = is;
      float g = gamma[gOff + c];
      float b = beta[bOff + c];
      FloatVector isv = FloatVector.broadcast(S, is);
      FloatVector gv = FloatVector.broadcast(S, g);
      FloatVector bv = FloatVector.broadcast(S, b);
      for (int n = 0; n < rows; n++) {
        int o = n * stride + base;
        int i = 0;
        if (relu) {
          for (; i < pv; i += V) {
            FloatVector.fromArray(S, x, xOff + o + i).sub(muv).mul(isv).fma(gv, bv).max(VMath.V_ZERO)
                .intoArray(y, yOff + o + i);
          }
          for (; i < plane; i++) {
            y[yOff + o + i] = Math.max(Math.fma((x[xOff + o + i] - mu) * is, g, b), 0.0f);
          }
        } else {
          for (; i < pv; i += V) {
            FloatVector.fromArray(S, x, xOff + o + i).sub(muv).mul(isv).fma(gv, bv).intoArray(y, yOff + o + i);
          }
          for (; i < plane; i++) {
            y[yOff + o + i] = Math.fma((x[xOff + o + i] - mu) * is, g, b);
          }
        }
      }
    }
  }

  /** Inference-mode forward with running statistics, then ReLU if {@code relu}. */
  public static void evalForward(int rows, int channels, int plane, float[] x, int xOff, float[] gamma, int gOff,
      float[] beta, int bOff, float[] runMean, int rmOff, float[] runVar, int rvOff, float eps, boolean relu,
      float[] y, int yOff) {
    FloatVector floor = FloatVector.broadcast(S, relu ? 0f : Float.NEGATIVE_INFINITY);
    float lowest = relu ? 0f : Float.NEGATIVE_INFINITY;
    int stride = channels * plane;
    int pv = S.loopBound(plane);
    for (int c = 0; c < channels; c++) {
      float sc = gamma[gOff + c] / (float) Math.sqrt(runVar[rvOff + c] + eps);
      float sh = beta[bOff + c] - runMean[rmOff + c] * sc;
      FloatVector scv = FloatVector.broadcast(S, sc);
      FloatVector shv = FloatVector.broadcast(S, sh);
      for (int n = 0; n < rows; n++) {
        int o = n * stride + c * plane;
        int i = 0;
        for (; i < pv; i += V) {
          FloatVector.fromArray(S, x, xOff + o + i).fma(scv, shv).max(floor).intoArray(y, yOff + o + i);
        }
        for (; i < plane; i++) {
          y[yOff + o + i] = Math.max(Math.fma(x[xOff + o + i], sc, sh), lowest);
        }
      }
    }
  }

  /**
   * Training-mode backward: overwrites {@code dGamma}, {@code dBeta}, writes {@code dx}. {@code x} is
   * the forward's input and {@code mean}, {@code invStd} its statistics from {@link #trainForward};
   * {@code y} is the forward's output, read only with {@code relu}. {@code sb} and {@code sg} are
   * scratch of {@code plane} floats.
   */
  public static void backward(int rows, int channels, int plane, float[] dy, int dyOff, float[] x, int xOff,
      float[] mean, float[] invStd, boolean relu, float[] y, int yOff, float[] gamma, int gOff, float[] dGamma,
      int dgOff, float[] dBeta, int dbOff, float[] dx, int dxOff, float[] sb, float[] sg) {
    int stride = channels * plane;
    float m = (float) rows * plane;
    float invM = 1.0f / m;
    int pv = S.loopBound(plane);
    FloatVector mv = FloatVector.broadcast(S, m);
    for (int c = 0; c < channels; c++) {
      int base = c * plane;
      float mu = mean[c];
      float is = invStd[c];
      FloatVector muv = FloatVector.broadcast(S, mu);
      FloatVector isv = FloatVector.broadcast(S, is);
      java.util.Arrays.fill(sb, 0, plane, 0f);
      java.util.Arrays.fill(sg, 0, plane, 0f);
      for (int n = 0; n < rows; n++) {
        int o = n * stride + base;
        int i = 0;
        for (; i < pv; i += V) {
          FloatVector d = FloatVector.fromArray(S, dy, dyOff + o + i);
          if (relu) { // as ActivationKernel's ReLU: (y > 0 ? 1 : 0) dy
            d = VMath.V_ZERO.blend(VMath.V_ONE, FloatVector.fromArray(S, y, yOff + o + i).compare(GT, 0f)).mul(d);
          }
          FloatVector xh = FloatVector.fromArray(S, x, xOff + o + i).sub(muv).mul(isv);
          FloatVector.fromArray(S, sb, i).add(d).intoArray(sb, i);
          d.fma(xh, FloatVector.fromArray(S, sg, i)).intoArray(sg, i);
        }
        for (; i < plane; i++) {
          float d = gradient(dy[dyOff + o + i], relu, y, yOff + o + i);
          sb[i] += d;
          sg[i] = Math.fma(d, (x[xOff + o + i] - mu) * is, sg[i]);
        }
      }
      float db = (float) sum(sb, plane);
      float dg = (float) sum(sg, plane);
      dBeta[dbOff + c] = db;
      dGamma[dgOff + c] = dg;
      float k = gamma[gOff + c] * invStd[c] * invM;
      FloatVector dbv = FloatVector.broadcast(S, db);
      FloatVector ndgv = FloatVector.broadcast(S, -dg);
      FloatVector kv = FloatVector.broadcast(S, k);
      for (int n = 0; n < rows; n++) {
        int o = n * stride + base;
        int i = 0;
        for (; i < pv; i += V) {
          FloatVector d = FloatVector.fromArray(S, dy, dyOff + o + i);
          if (relu) {
            d = VMath.V_ZERO.blend(VMath.V_ONE, FloatVector.fromArray(S, y, yOff + o + i).compare(GT, 0f)).mul(d);
          }
          d = d.mul(mv).sub(dbv);
          FloatVector xh = FloatVector.fromArray(S, x, xOff + o + i).sub(muv).mul(isv);
          xh.fma(ndgv, d).mul(kv).intoArray(dx, dxOff + o + i);
        }
        for (; i < plane; i++) {
          float d = gradient(dy[dyOff + o + i], relu, y, yOff + o + i) * m - db;
          d = Math.fma((x[xOff + o + i] - mu) * is, -dg, d);
          dx[dxOff + o + i] = d * k;
        }
      }
    }
  }

  /** {@code dy}, or through the fused ReLU {@code (y > 0 ? 1 : 0) dy} as {@link ActivationKernel} computes it. */
  private static float gradient(float dy, boolean relu, float[] y, int yAt) {
    return relu ? (y[yAt] > 0.0f ? 1.0f : 0.0f) * dy : dy;
  }

  /** Sum of {@code a[0..n)} in order, in double. */
  static double sum(float[] a, int n) {
    double s = 0;
    for (int i = 0; i < n; i++) {
      s += a[i];
    }
    return s;
  }
}
