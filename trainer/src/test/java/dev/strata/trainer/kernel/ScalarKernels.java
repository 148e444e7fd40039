package dev.strata.trainer.kernel;

import dev.strata.trainer.spec.Activation;

/**
 * Plain scalar twins of every vector kernel, written as directly from the formulas as possible
 * (java.lang.Math, no fused multiply-add, no tiling). They are the reference the kernel tests
 * compare against; production code calls the vector kernels. Same signatures as the twins.
 * Stateless and thread-safe.
 */
public final class ScalarKernels {

  private ScalarKernels() {}

  // ---- GEMM ----

  public static void gemm(int m, int n, int k, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff,
      boolean accumulate) {
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        float s = 0;
        for (int p = 0; p < k; p++) {
          s += a[aOff + i * k + p] * b[bOff + p * n + j];
        }
        c[cOff + i * n + j] = accumulate ? c[cOff + i * n + j] + s : s;
      }
    }
  }

  public static void gemmNT(int m, int n, int k, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff,
      boolean accumulate) {
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        float s = 0;
        for (int p = 0; p < k; p++) {
          s += a[aOff + i * k + p] * b[bOff + j * k + p];
        }
        c[cOff + i * n + j] = accumulate ? c[cOff + i * n + j] + s : s;
      }
    }
  }

  public static void gemmTN(int m, int n, int k, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff,
      boolean accumulate) {
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        float s = 0;
        for (int p = 0; p < k; p++) {
          s += a[aOff + p * m + i] * b[bOff + p * n + j];
        }
        c[cOff + i * n + j] = accumulate ? c[cOff + i * n + j] + s : s;
      }
    }
  }

  // ---- activations ----

  public static float activation(Activation act, float z) {
    return switch (act) {
      case RELU -> z > 0 ? z : 0;
      case LEAKY_RELU -> z > 0 ? z : 0.01f * z;
      case ELU -> z > 0 ? z : (float) Math.expm1(z);
      case GELU -> (float) (0.5 * z * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (z + 0.044715 * z * z * z))));
      case SIGMOID -> (float) (1 / (1 + Math.exp(-z)));
      case TANH -> (float) Math.tanh(z);
      case SOFTPLUS -> (float) (Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z))));
      case LINEAR -> z;
    };
  }

  public static float activationDerivative(Activation act, float z) {
    return switch (act) {
      case RELU -> z > 0 ? 1 : 0;
      case LEAKY_RELU -> z > 0 ? 1 : 0.01f;
      case ELU -> z > 0 ? 1 : (float) Math.exp(z);
      case GELU -> {
        double c = Math.sqrt(2 / Math.PI);
        double t = Math.tanh(c * (z + 0.044715 * z * z * z));
        yield (float) (0.5 * (1 + t) + 0.5 * z * (1 - t * t) * c * (1 + 3 * 0.044715 * z * z));
      }
      case SIGMOID -> {
        double s = 1 / (1 + Math.exp(-z));
        yield (float) (s * (1 - s));
      }
      case TANH -> {
        double t = Math.tanh(z);
        yield (float) (1 - t * t);
      }
      case SOFTPLUS -> (float) (1 / (1 + Math.exp(-z)));
      case LINEAR -> 1;
    };
  }

  public static void activationForward(Activation act, int rows, int cols, float[] z, int zOff, float[] bias,
      int bOff, float[] y, int yOff) {
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        int i = r * cols + c;
        if (bias != null) {
          z[zOff + i] += bias[bOff + c];
        }
        y[yOff + i] = activation(act, z[zOff + i]);
      }
    }
  }

  public static void activationBackward(Activation act, int len, float[] z, int zOff, float[] y, int yOff, float[] dy,
      int dyOff, float[] dz, int dzOff) {
    for (int i = 0; i < len; i++) {
      dz[dzOff + i] = dy[dyOff + i] * activationDerivative(act, z[zOff + i]);
    }
  }

  // ---- element-wise ----

  public static void axpy(int len, float alpha, float[] x, int xOff, float[] y, int yOff) {
    for (int i = 0; i < len; i++) {
      y[yOff + i] += alpha * x[xOff + i];
    }
  }

  public static void scale(int len, float alpha, float[] x, int xOff) {
    for (int i = 0; i < len; i++) {
      x[xOff + i] *= alpha;
    }
  }

  public static void add(int len, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff) {
    for (int i = 0; i < len; i++) {
      out[outOff + i] = a[aOff + i] + b[bOff + i];
    }
  }

  public static void multiply(int len, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff) {
    for (int i = 0; i < len; i++) {
      out[outOff + i] = a[aOff + i] * b[bOff + i];
    }
  }

  public static void columnSums(int rows, int cols, float[] x, int xOff, float[] out, int outOff, boolean accumulate) {
    for (int c = 0; c < cols; c++) {
      float s = accumulate ? out[outOff + c] : 0;
      for (int r = 0; r < rows; r++) {
        s += x[xOff + r * cols + c];
      }
      out[outOff + c] = s;
    }
  }

  public static double sumOfSquares(int len, float[] x, int xOff) {
    double s = 0;
    for (int i = 0; i < len; i++) {
      s += (double) x[xOff + i] * x[xOff + i];
    }
    return s;
  }

  public static boolean allFinite(int len, float[] x, int xOff) {
    for (int i = 0; i < len; i++) {
      if (!Float.isFinite(x[xOff + i])) {
        return false;
      }
    }
    return true;
  }

  // ---- losses ----

  public static double softmaxCrossEntropy(int rows, int classes, float[] z, int zOff, int[] labels, int labelOff,
      float[] grad, int gOff, float gradScale) {
    double total = 0;
    for (int r = 0; r < rows; r++) {
      double max = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < classes; c++) {
        max = Math.max(max, z[zOff + r * classes + c]);
      }
      double sum = 0;
      for (int c = 0; c < classes; c++) {
        sum += Math.exp(z[zOff + r * classes + c] - max);
      }
      int label = labels[labelOff + r];
      total += Math.log(sum) - (z[zOff + r * classes + label] - max);
      if (grad != null) {
        for (int c = 0; c < classes; c++) {
          double p = Math.exp(z[zOff + r * classes + c] - max) / sum;
          grad[gOff + r * classes + c] = (float) (gradScale * (p - (c == label ? 1 : 0)));
        }
      }
    }
    return total;
  }

  public static void softmax(int rows, int classes, float[] z, int zOff, float[] out, int outOff) {
    for (int r = 0; r < rows; r++) {
      double max = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < classes; c++) {
        max = Math.max(max, z[zOff + r * classes + c]);
      }
      double sum = 0;
      for (int c = 0; c < classes; c++) {
        sum += Math.exp(z[zOff + r * classes + c] - max);
      }
      for (int c = 0; c < classes; c++) {
        out[outOff + r * classes + c] = (float) (Math.exp(z[zOff + r * classes + c] - max) / sum);
      }
    }
  }

  public static double sigmoidCrossEntropy(int len, float[] z, int zOff, float[] t, int tOff, float[] grad, int gOff,
      float gradScale) {
    double total = 0;
    for (int i = 0; i < len; i++) {
      double zv = z[zOff + i];
      double tv = t[tOff + i];
      total += Math.max(zv, 0) - zv * tv + Math.log1p(Math.exp(-Math.abs(zv)));
      if (grad != null) {
        grad[gOff + i] = (float) (gradScale * (1 / (1 + Math.exp(-zv)) - tv));
      }
    }
    return total;
  }

  public static double squaredError(int len, float[] y, int yOff, float[] t, int tOff, float[] grad, int gOff,
      float gradScale) {
    double total = 0;
    for (int i = 0; i < len; i++) {
      double d = (double) y[yOff + i] - t[tOff + i];
      total += d * d;
      if (grad != null) {
        grad[gOff + i] = (float) (gradScale * 2 * d);
      }
    }
    return total;
  }

  // ---- batch norm ----

  public static void batchNormTrainForward(int rows, int cols, float[] x, int xOff, float[] gamma, int gOff,
      float[] beta, int bOff, float eps, float[] mean, float[] var, float[] invStd, float[] xhat, int xhOff, float[] y,
      int yOff) {
    for (int c = 0; c < cols; c++) {
      double mu = 0;
      for (int r = 0; r < rows; r++) {
        mu += x[xOff + r * cols + c];
      }
      mu /= rows;
      double v = 0;
      for (int r = 0; r < rows; r++) {
        double d = x[xOff + r * cols + c] - mu;
        v += d * d;
      }
      v /= rows;
      double is = 1 / Math.sqrt(v + eps);
      mean[c] = (float) mu;
      var[c] = (float) v;
      invStd[c] = (float) is;
      for (int r = 0; r < rows; r++) {
        double xh = (x[xOff + r * cols + c] - mu) * is;
        xhat[xhOff + r * cols + c] = (float) xh;
        y[yOff + r * cols + c] = (float) (gamma[gOff + c] * xh + beta[bOff + c]);
      }
    }
  }

  public static void batchNormEvalForward(int rows, int cols, float[] x, int xOff, float[] gamma, int gOff,
      float[] beta, int bOff, float[] runMean, int rmOff, float[] runVar, int rvOff, float eps, float[] scale,
      float[] shift, float[] y, int yOff) {
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        double xh = (x[xOff + r * cols + c] - runMean[rmOff + c]) / Math.sqrt(runVar[rvOff + c] + eps);
        y[yOff + r * cols + c] = (float) (gamma[gOff + c] * xh + beta[bOff + c]);
      }
    }
  }

  public static void batchNormBackward(int rows, int cols, float[] dy, int dyOff, float[] xhat, int xhOff,
      float[] gamma, int gOff, float[] invStd, float[] dGamma, int dgOff, float[] dBeta, int dbOff, float[] dx,
      int dxOff) {
    for (int c = 0; c < cols; c++) {
      double sb = 0;
      double sg = 0;
      for (int r = 0; r < rows; r++) {
        sb += dy[dyOff + r * cols + c];
        sg += dy[dyOff + r * cols + c] * xhat[xhOff + r * cols + c];
      }
      dBeta[dbOff + c] = (float) sb;
      dGamma[dgOff + c] = (float) sg;
      for (int r = 0; r < rows; r++) {
        double d = rows * dy[dyOff + r * cols + c] - sb - xhat[xhOff + r * cols + c] * sg;
        dx[dxOff + r * cols + c] = (float) (gamma[gOff + c] * invStd[c] / rows * d);
      }
    }
  }

  // ---- optimizers ----

  public static void sgd(int len, float[] w, float[] g, int off, float lr, float l2) {
    for (int i = off; i < off + len; i++) {
      w[i] -= lr * (g[i] + l2 * w[i]);
    }
  }

  public static void momentum(int len, float[] w, float[] g, float[] v, int off, float lr, float mu, float l2) {
    for (int i = off; i < off + len; i++) {
      v[i] = mu * v[i] + (g[i] + l2 * w[i]);
      w[i] -= lr * v[i];
    }
  }

  public static void nesterov(int len, float[] w, float[] g, float[] v, int off, float lr, float mu, float l2) {
    for (int i = off; i < off + len; i++) {
      float ge = g[i] + l2 * w[i];
      v[i] = mu * v[i] + ge;
      w[i] -= lr * (ge + mu * v[i]);
    }
  }

  public static void adagrad(int len, float[] w, float[] g, float[] acc, int off, float lr, float eps, float l2) {
    for (int i = off; i < off + len; i++) {
      float ge = g[i] + l2 * w[i];
      acc[i] += ge * ge;
      w[i] -= (float) (lr * ge / (Math.sqrt(acc[i]) + eps));
    }
  }

  public static void rmsprop(int len, float[] w, float[] g, float[] s, int off, float lr, float rho, float eps,
      float l2) {
    for (int i = off; i < off + len; i++) {
      float ge = g[i] + l2 * w[i];
      s[i] = rho * s[i] + (1 - rho) * ge * ge;
      w[i] -= (float) (lr * ge / (Math.sqrt(s[i]) + eps));
    }
  }

  public static void adadelta(int len, float[] w, float[] g, float[] eg, float[] edx, int off, float lr, float rho,
      float eps, float l2) {
    for (int i = off; i < off + len; i++) {
      float ge = g[i] + l2 * w[i];
      eg[i] = rho * eg[i] + (1 - rho) * ge * ge;
      float d = (float) (-Math.sqrt(edx[i] + eps) / Math.sqrt(eg[i] + eps) * ge);
      edx[i] = rho * edx[i] + (1 - rho) * d * d;
      w[i] += lr * d;
    }
  }

  public static void adam(int len, float[] w, float[] g, float[] m, float[] v, int off, float lr, float b1, float b2,
      float eps, float c1, float c2, float l2, float wd) {
    for (int i = off; i < off + len; i++) {
      float ge = g[i] + l2 * w[i];
      m[i] = b1 * m[i] + (1 - b1) * ge;
      v[i] = b2 * v[i] + (1 - b2) * ge * ge;
      double mhat = m[i] * (double) c1;
      double vhat = v[i] * (double) c2;
      w[i] -= (float) (lr * (mhat / (Math.sqrt(vhat) + eps) + wd * w[i]));
    }
  }
}
