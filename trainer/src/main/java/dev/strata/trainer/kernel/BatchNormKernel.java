package dev.strata.trainer.kernel;

import static dev.strata.trainer.kernel.VMath.S;

import jdk.incubator.vector.FloatVector;

/**
 * Batch normalisation over the rows of a {@code rows x cols} block, per column c:
 *
 * <pre>
 *   train:  mu = mean_r x,  var = mean_r (x - mu)^2 (biased),  s = 1 / sqrt(var + eps)
 *           xhat = (x - mu) s,  y = gamma xhat + beta
 *   eval:   y = gamma (x - runningMean) / sqrt(runningVar + eps) + beta
 *   back:   dbeta = sum_r dy,  dgamma = sum_r dy xhat,
 *           dx = gamma s / N (N dy - dbeta - xhat dgamma)
 * </pre>
 *
 * Vectorised across columns, rows added in order. Stateless, thread-safe, deterministic.
 */
public final class BatchNormKernel {

  private static final int V = S.length();

  private BatchNormKernel() {}

  /**
   * Training-mode forward. Writes the batch {@code mean}, biased {@code var} and {@code invStd}
   * (each {@code cols} long, from offset 0), {@code xhat} and {@code y}.
   */
  public static void trainForward(int rows, int cols, float[] x, int xOff, float[] gamma, int gOff, float[] beta,
      int bOff, float eps, float[] mean, float[] var, float[] invStd, float[] xhat, int xhOff, float[] y, int yOff) {
    float invN = 1.0f / rows;
    int cv = S.loopBound(cols);
    int c = 0;
    for (; c < cv; c += V) {
      FloatVector s = FloatVector.zero(S);
      for (int r = 0; r < rows; r++) {
        s = s.add(FloatVector.fromArray(S, x, xOff + r * cols + c));
      }
      FloatVector mu = s.mul(invN);
      FloatVector q = FloatVector.zero(S);
      for (int r = 0; r < rows; r++) {
        FloatVector d = FloatVector.fromArray(S, x, xOff + r * cols + c).sub(mu);
        q = d.fma(d, q);
      }
      FloatVector va = q.mul(invN);
      FloatVector is = FloatVector.broadcast(S, 1.0f).div(va.add(eps).sqrt());
      mu.intoArray(mean, c);
      va.intoArray(var, c);
      is.intoArray(invStd, c);
      FloatVector g = FloatVector.fromArray(S, gamma, gOff + c);
      FloatVector b = FloatVector.fromArray(S, beta, bOff + c);
      for (int r = 0; r < rows; r++) {
        FloatVector xh = FloatVector.fromArray(S, x, xOff + r * cols + c).sub(mu).mul(is);
        xh.intoArray(xhat, xhOff + r * cols + c);
        xh.fma(g, b).intoArray(y, yOff + r * cols + c);
      }
    }
    for (; c < cols; c++) {
      float s = 0.0f;
      for (int r = 0; r < rows; r++) {
        s += x[xOff + r * cols + c];
      }
      float mu = s * invN;
      float q = 0.0f;
      for (int r = 0; r < rows; r++) {
        float d = x[xOff + r * cols + c] - mu;
        q = Math.fma(d, d, q);
      }
      float va = q * invN;
      float is = 1.0f / (float) Math.sqrt(va + eps);
      mean[c] = mu;
      var[c] = va;
      invStd[c] = is;
      float g = gamma[gOff + c];
      float b = beta[bOff + c];
      for (int r = 0; r < rows; r++) {
        float xh = (x[xOff + r * cols + c] - mu) * is;
        xhat[xhOff + r * cols + c] = xh;
        y[yOff + r * cols + c] = Math.fma(xh, g, b);
      }
    }
  }

  /**
   * Inference-mode forward with running statistics. {@code scale} and {@code shift} are caller-owned
   * scratch arrays of {@code cols} floats.
   */
  public static void evalForward(int rows, int cols, float[] x, int xOff, float[] gamma, int gOff, float[] beta,
      int bOff, float[] runMean, int rmOff, float[] runVar, int rvOff, float eps, float[] scale, float[] shift,
      float[] y, int yOff) {
    for (int c = 0; c < cols; c++) {
      float s = gamma[gOff + c] / (float) Math.sqrt(runVar[rvOff + c] + eps);
      scale[c] = s;
      shift[c] = beta[bOff + c] - runMean[rmOff + c] * s;
    }
    int cv = S.loopBound(cols);
    for (int r = 0; r < rows; r++) {
      int xr = xOff + r * cols;
      int yr = yOff + r * cols;
      int c = 0;
      for (; c < cv; c += V) {
        FloatVector.fromArray(S, x, xr + c).fma(FloatVector.fromArray(S, scale, c), FloatVector.fromArray(S, shift, c))
            .intoArray(y, yr + c);
      }
      for (; c < cols; c++) {
        y[yr + c] = Math.fma(x[xr + c], scale[c], shift[c]);
      }
    }
  }

  /**
   * Training-mode backward: overwrites {@code dGamma}, {@code dBeta} and writes {@code dx}.
   * {@code invStd} comes from {@link #trainForward}.
   */
  public static void backward(int rows, int cols, float[] dy, int dyOff, float[] xhat, int xhOff, float[] gamma,
      int gOff, float[] invStd, float[] dGamma, int dgOff, float[] dBeta, int dbOff, float[] dx, int dxOff) {
    float n = rows;
    float invN = 1.0f / rows;
    int cv = S.loopBound(cols);
    int c = 0;
    for (; c < cv; c += V) {
      FloatVector sb = FloatVector.zero(S);
      FloatVector sg = FloatVector.zero(S);
      for (int r = 0; r < rows; r++) {
        int i = r * cols + c;
        FloatVector d = FloatVector.fromArray(S, dy, dyOff + i);
        sb = sb.add(d);
        sg = d.fma(FloatVector.fromArray(S, xhat, xhOff + i), sg);
      }
      sb.intoArray(dBeta, dbOff + c);
      sg.intoArray(dGamma, dgOff + c);
      FloatVector k = FloatVector.fromArray(S, gamma, gOff + c).mul(FloatVector.fromArray(S, invStd, c)).mul(invN);
      for (int r = 0; r < rows; r++) {
        int i = r * cols + c;
        FloatVector d = FloatVector.fromArray(S, dy, dyOff + i).mul(n).sub(sb);
        d = FloatVector.fromArray(S, xhat, xhOff + i).neg().fma(sg, d);
        d.mul(k).intoArray(dx, dxOff + i);
      }
    }
    for (; c < cols; c++) {
      float sb = 0.0f;
      float sg = 0.0f;
      for (int r = 0; r < rows; r++) {
        int i = r * cols + c;
        float d = dy[dyOff + i];
        sb += d;
        sg = Math.fma(d, xhat[xhOff + i], sg);
      }
      dBeta[dbOff + c] = sb;
      dGamma[dgOff + c] = sg;
      float k = gamma[gOff + c] * invStd[c] * invN;
      for (int r = 0; r < rows; r++) {
        int i = r * cols + c;
        float d = dy[dyOff + i] * n - sb;
        d = Math.fma(-xhat[xhOff + i], sg, d);
        dx[dxOff + i] = d * k;
      }
    }
  }
}
