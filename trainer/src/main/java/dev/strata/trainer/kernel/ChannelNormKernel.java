package dev.strata.trainer.kernel;

import static dev.strata.trainer.kernel.VMath.S;

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
   * ({@code channels} long, from offset 0), {@code xhat} and {@code y}; {@code acc} is scratch of
   * {@code plane} floats.
   */
  public static void trainForward(int rows, int channels, int plane, float[] x, int xOff, float[] gamma, int gOff,
      float[] beta, int bOff, float eps, float[] mean, float[] var, float[] invStd, float[] xhat, int xhOff,
      float[] y, int yOff, float[] acc) {
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
        for (; i < pv; i += V) {
          FloatVector xh = FloatVector.fromArray(S, x, xOff + o + i).sub(muv).mul(isv);
          xh.intoArray(xhat, xhOff + o + i);
          xh.fma(gv, bv).intoArray(y, yOff + o + i);
        }
        for (; i < plane; i++) {
          float xh = (x[xOff + o + i] - mu) * is;
          xhat[xhOff + o + i] = xh;
          y[yOff + o + i] = Math.fma(xh, g, b);
        }
      }
    }
  }

  /** Inference-mode forward with running statistics. */
  public static void evalForward(int rows, int channels, int plane, float[] x, int xOff, float[] gamma, int gOff,
      float[] beta, int bOff, float[] runMean, int rmOff, float[] runVar, int rvOff, float eps, float[] y, int yOff) {
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
          FloatVector.fromArray(S, x, xOff + o + i).fma(scv, shv).intoArray(y, yOff + o + i);
        }
        for (; i < plane; i++) {
          y[yOff + o + i] = Math.fma(x[xOff + o + i], sc, sh);
        }
      }
    }
  }

  /**
   * Training-mode backward: overwrites {@code dGamma}, {@code dBeta}, writes {@code dx}.
   * {@code invStd} comes from {@link #trainForward}; {@code sb} and {@code sg} are scratch of
   * {@code plane} floats.
   */
  public static void backward(int rows, int channels, int plane, float[] dy, int dyOff, float[] xhat, int xhOff,
      float[] gamma, int gOff, float[] invStd, float[] dGamma, int dgOff, float[] dBeta, int dbOff, float[] dx,
      int dxOff, float[] sb, float[] sg) {
    int stride = channels * plane;
    float m = (float) rows * plane;
    float invM = 1.0f / m;
    int pv = S.loopBound(plane);
    FloatVector mv = FloatVector.broadcast(S, m);
    for (int c = 0; c < channels; c++) {
      int base = c * plane;
      java.util.Arrays.fill(sb, 0, plane, 0f);
      java.util.Arrays.fill(sg, 0, plane, 0f);
      for (int n = 0; n < rows; n++) {
        int o = n * stride + base;
        int i = 0;
        for (; i < pv; i += V) {
          FloatVector d = FloatVector.fromArray(S, dy, dyOff + o + i);
          FloatVector.fromArray(S, sb, i).add(d).intoArray(sb, i);
          d.fma(FloatVector.fromArray(S, xhat, xhOff + o + i), FloatVector.fromArray(S, sg, i)).intoArray(sg, i);
        }
        for (; i < plane; i++) {
          float d = dy[dyOff + o + i];
          sb[i] += d;
          sg[i] = Math.fma(d, xhat[xhOff + o + i], sg[i]);
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
          FloatVector d = FloatVector.fromArray(S, dy, dyOff + o + i).mul(mv).sub(dbv);
          d = FloatVector.fromArray(S, xhat, xhOff + o + i).fma(ndgv, d);
          d.mul(kv).intoArray(dx, dxOff + o + i);
        }
        for (; i < plane; i++) {
          float d = dy[dyOff + o + i] * m - db;
          d = Math.fma(xhat[xhOff + o + i], -dg, d);
          dx[dxOff + o + i] = d * k;
        }
      }
    }
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
