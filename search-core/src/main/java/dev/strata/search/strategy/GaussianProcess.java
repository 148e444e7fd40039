package dev.strata.search.strategy;

import java.util.Arrays;

/**
 * A Gaussian-process regression model with a {@link Matern52Kernel} and Gaussian noise, for
 * Bayesian optimisation.
 *
 * <p>With {@code K = k(X, X) + σₙ²·I = L·Lᵀ} (Cholesky) and targets {@code y}: {@code α = K⁻¹y},
 * posterior mean {@code μ(x) = k(x, X)·α}, posterior variance {@code σ²(x) = k(x, x) − |L⁻¹k(X,
 * x)|²}. Points are added one at a time by appending a row to {@code L} ({@code O(n²)}), and can
 * be removed from the end again ({@link #truncate}), which is how pending trials are fantasised.
 *
 * <p>The log marginal likelihood and its gradient (for fitting the hyperparameters) are
 *
 * <pre>
 *   log p(y | θ) = −½·yᵀα − Σ ln L_ii − n/2·ln 2π
 *   ∂/∂θ_j       = ½·tr((ααᵀ − K⁻¹)·∂K/∂θ_j)
 * </pre>
 *
 * with {@code θ = (ln ℓ_1..ln ℓ_m, ln σ², ln σₙ²)}. Mutable, not thread-safe.
 */
final class GaussianProcess {

  /** Kernel hyperparameters in log space: {@code (ln ℓ_1..ln ℓ_m, ln σ², ln σₙ²)}. */
  record Hyper(double[] theta) {
    Hyper {
      theta = theta.clone();
    }

    int features() {
      return theta.length - 2;
    }

    double[] invL2() {
      double[] out = new double[features()];
      for (int d = 0; d < out.length; d++) {
        out[d] = Math.exp(-2 * theta[d]);
      }
      return out;
    }

    double signal() {
      return Math.exp(theta[theta.length - 2]);
    }

    double noise() {
      return Math.exp(theta[theta.length - 1]);
    }
  }

  private final Hyper hyper;
  private final double[] invL2;
  private final double signal;
  private final double noise;
  private double[][] x = new double[16][];
  private double[][] chol = new double[16][];
  private double[] y = new double[16];
  private double[] alpha;
  private int n;

  GaussianProcess(Hyper hyper) {
    this.hyper = hyper;
    this.invL2 = hyper.invL2();
    this.signal = hyper.signal();
    this.noise = hyper.noise();
  }

  Hyper hyper() {
    return hyper;
  }

  int size() {
    return n;
  }

  /** Adds an observation: one new row of the Cholesky factor, {@code O(n²)}. */
  void add(double[] features, double target) {
    if (n == x.length) {
      x = Arrays.copyOf(x, 2 * n);
      chol = Arrays.copyOf(chol, 2 * n);
      y = Arrays.copyOf(y, 2 * n);
    }
    double[] row = new double[n + 1];
    double ss = 0;
    for (int j = 0; j < n; j++) {
      double v = Matern52Kernel.value(features, x[j], invL2, signal);
      double[] lj = chol[j];
      v = (v - dot(lj, row, j)) / lj[j];
      row[j] = v;
      ss += v * v;
    }
    double d2 = signal + noise - ss;
    row[n] = Math.sqrt(Math.max(d2, 1e-9 * (signal + noise)));
    x[n] = features;
    chol[n] = row;
    y[n] = target;
    n++;
    alpha = null;
  }

  /**
   * Adds {@code count} observations at once: their kernel rows, then a {@link Cholesky blocked}
   * factorisation of the new rows ({@code O(n²·count)}, several times faster than {@code count}
   * calls to {@link #add} once the factor outgrows the caches). Should the new rows not be
   * numerically positive definite, they are added one at a time instead (with {@link #add}'s
   * jitter).
   */
  void addAll(double[][] features, double[] targets, int count) {
    int n0 = n;
    int total = n0 + count;
    if (total > x.length) {
      int capacity = Math.max(total, 2 * x.length);
      x = Arrays.copyOf(x, capacity);
      chol = Arrays.copyOf(chol, capacity);
      y = Arrays.copyOf(y, capacity);
    }
    double diagonal = signal + noise;
    for (int i = 0; i < count; i++) {
      int r = n0 + i;
      double[] f = features[i];
      double[] row = new double[r + 1];
      for (int j = 0; j < n0; j++) {
        row[j] = Matern52Kernel.value(f, x[j], invL2, signal);
      }
      for (int j = 0; j < i; j++) {
        row[n0 + j] = Matern52Kernel.value(f, features[j], invL2, signal);
      }
      row[r] = diagonal;
      x[r] = f;
      chol[r] = row;
      y[r] = targets[i];
    }
    alpha = null;
    if (Cholesky.factor(chol, n0, total)) {
      n = total;
      return;
    }
    Arrays.fill(x, n0, total, null);
    Arrays.fill(chol, n0, total, null);
    for (int i = 0; i < count; i++) {
      add(features[i], targets[i]);
    }
  }

  /** Removes the observations added after the first {@code size}. */
  void truncate(int size) {
    if (size < n) {
      Arrays.fill(x, size, n, null);
      Arrays.fill(chol, size, n, null);
      n = size;
      alpha = null;
    }
  }

  /** Replaces all targets (same order as added). */
  void setTargets(double[] targets) {
    if (targets.length != n) {
      throw new IllegalArgumentException("expected " + n + " targets, got " + targets.length);
    }
    System.arraycopy(targets, 0, y, 0, n);
    alpha = null;
  }

  private double[] alpha() {
    if (alpha == null) {
      double[] a = Arrays.copyOf(y, n);
      forward(a);
      backward(a);
      alpha = a;
    }
    return alpha;
  }

  /** Solves {@code L·v = b} in place. */
  private void forward(double[] b) {
    for (int i = 0; i < n; i++) {
      double[] li = chol[i];
      b[i] = (b[i] - dot(li, b, i)) / li[i];
    }
  }

  /** Solves {@code Lᵀ·v = b} in place. */
  private void backward(double[] b) {
    for (int i = n - 1; i >= 0; i--) {
      double v = b[i] / chol[i][i];
      b[i] = v;
      double[] li = chol[i];
      for (int k = 0; k < i; k++) {
        b[k] -= li[k] * v;
      }
    }
  }

  /**
   * Posterior mean and variance (of the latent function, without noise) at each of {@code count}
   * points. Candidates are processed in blocks of four so that each row of {@code L} is read once
   * per block.
   */
  void predict(double[][] points, int count, double[] mean, double[] variance) {
    double[] a = alpha();
    double[][] v = new double[4][n];
    for (int start = 0; start < count; start += 4) {
      int b = Math.min(4, count - start);
      for (int c = 0; c < b; c++) {
        double[] p = points[start + c];
        double[] vc = v[c];
        double m = 0;
        for (int j = 0; j < n; j++) {
          double k = Matern52Kernel.value(p, x[j], invL2, signal);
          vc[j] = k;
          m += k * a[j];
        }
        mean[start + c] = m;
      }
      double[] q = new double[4];
      if (b == 4) {
        double[] v0 = v[0];
        double[] v1 = v[1];
        double[] v2 = v[2];
        double[] v3 = v[3];
        for (int i = 0; i < n; i++) {
          double[] li = chol[i];
          double s0 = v0[i];
          double s1 = v1[i];
          double s2 = v2[i];
          double s3 = v3[i];
          for (int k = 0; k < i; k++) {
            double l = li[k];
            s0 -= l * v0[k];
            s1 -= l * v1[k];
            s2 -= l * v2[k];
            s3 -= l * v3[k];
          }
          double inv = 1 / li[i];
          s0 *= inv;
          s1 *= inv;
          s2 *= inv;
          s3 *= inv;
          v0[i] = s0;
          v1[i] = s1;
          v2[i] = s2;
          v3[i] = s3;
          q[0] += s0 * s0;
          q[1] += s1 * s1;
          q[2] += s2 * s2;
          q[3] += s3 * s3;
        }
      } else {
        for (int c = 0; c < b; c++) {
          forward(v[c]);
          double s = 0;
          for (int i = 0; i < n; i++) {
            s += v[c][i] * v[c][i];
          }
          q[c] = s;
        }
      }
      for (int c = 0; c < b; c++) {
        variance[start + c] = Math.max(signal - q[c], 1e-12 * signal);
      }
    }
  }

  /** Posterior mean and variance at one point: {@code {mean, variance}}. */
  double[] predict(double[] point) {
    double[] mean = new double[1];
    double[] variance = new double[1];
    predict(new double[][] {point}, 1, mean, variance);
    return new double[] {mean[0], variance[0]};
  }

  /**
   * Training data prepared for repeated likelihood evaluations: the targets and, for every pair
   * {@code i > j} (row-major order), the squared difference in each feature. Immutable.
   */
  static final class FitData {
    final int n;
    final int m;
    final double[] y;
    /** {@code diff2[d][p]}: squared difference of pair p in feature d. */
    final double[][] diff2;

    FitData(double[][] xs, double[] ys) {
      n = xs.length;
      m = n == 0 ? 0 : xs[0].length;
      y = ys.clone();
      int pairs = n * (n - 1) / 2;
      diff2 = new double[m][pairs];
      int p = 0;
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < i; j++) {
          for (int d = 0; d < m; d++) {
            double diff = xs[i][d] - xs[j][d];
            diff2[d][p] = diff * diff;
          }
          p++;
        }
      }
    }
  }

  /**
   * The log marginal likelihood of {@code y} at {@code X} under {@code theta}, with its gradient
   * written into {@code grad} (length m + 2). Returns {@code −∞} when {@code K} is not positive
   * definite. {@code O(n³)}.
   */
  static double logMarginalLikelihood(double[][] xs, double[] ys, double[] theta, double[] grad) {
    return logMarginalLikelihood(new FitData(xs, ys), theta, grad);
  }

  /** {@link #logMarginalLikelihood(double[][], double[], double[], double[])} on prepared data. */
  static double logMarginalLikelihood(FitData data, double[] theta, double[] grad) {
    int n = data.n;
    int m = data.m;
    int pairs = n * (n - 1) / 2;
    Hyper h = new Hyper(theta);
    double[] invL2 = h.invL2();
    double signal = h.signal();
    double noise = h.noise();
    double[] r2 = new double[pairs];
    for (int d = 0; d < m; d++) {
      double w = invL2[d];
      double[] dd = data.diff2[d];
      for (int p = 0; p < pairs; p++) {
        r2[p] += w * dd[p];
      }
    }
    double[] kf = new double[pairs];
    double[] factor = new double[pairs];
    for (int p = 0; p < pairs; p++) {
      double r = Math.sqrt(r2[p]);
      double e = Math.exp(-Matern52Kernel.SQRT5 * r);
      double lin = 1 + Matern52Kernel.SQRT5 * r;
      kf[p] = signal * (lin + (5.0 / 3.0) * r2[p]) * e;
      factor[p] = signal * (5.0 / 3.0) * lin * e;
    }
    double[][] l = new double[n][];
    int p0 = 0;
    for (int i = 0; i < n; i++) {
      double[] row = new double[i + 1];
      System.arraycopy(kf, p0, row, 0, i);
      row[i] = signal + noise;
      l[i] = row;
      p0 += i;
    }
    if (!Cholesky.factor(l, 0, n)) {
      Arrays.fill(grad, 0);
      return Double.NEGATIVE_INFINITY;
    }
    // alpha = K^-1 y
    double[] a = data.y.clone();
    for (int i = 0; i < n; i++) {
      a[i] = (a[i] - dot(l[i], a, i)) / l[i][i];
    }
    double quad = dot(a, a, n);
    for (int i = n - 1; i >= 0; i--) {
      double v = a[i] / l[i][i];
      a[i] = v;
      double[] li = l[i];
      for (int k = 0; k < i; k++) {
        a[k] -= li[k] * v;
      }
    }
    double logDet = 0;
    for (int i = 0; i < n; i++) {
      logDet += Math.log(l[i][i]);
    }
    double lml = -0.5 * quad - logDet - 0.5 * n * Math.log(2 * Math.PI);

    // M = L^-1 by rows: M_i = (e_i - sum_{k<i} L_ik M_k) / L_ii
    double[][] inv = new double[n][];
    for (int i = 0; i < n; i++) {
      double[] row = new double[i + 1];
      double[] li = l[i];
      for (int k = 0; k < i; k++) {
        double c = li[k];
        double[] mk = inv[k];
        for (int j = 0; j <= k; j++) {
          row[j] -= c * mk[j];
        }
      }
      double invDiag = 1 / li[i];
      for (int j = 0; j < i; j++) {
        row[j] *= invDiag;
      }
      row[i] = invDiag;
      inv[i] = row;
    }
    // K^-1 = M^T M, lower triangle by rows: (K^-1)_ij = sum_{k >= i} M_ki M_kj for j <= i
    double[][] kinv = new double[n][];
    for (int i = 0; i < n; i++) {
      kinv[i] = new double[i + 1];
    }
    for (int k = 0; k < n; k++) {
      double[] mk = inv[k];
      for (int i = 0; i <= k; i++) {
        double c = mk[i];
        double[] row = kinv[i];
        for (int j = 0; j <= i; j++) {
          row[j] += c * mk[j];
        }
      }
    }
    // W = alpha alpha^T - K^-1; gradient 0.5 * sum_ij W_ij dK_ij (off-diagonal pairs twice)
    Arrays.fill(grad, 0);
    double[] wf = new double[pairs];
    double signalGrad = 0;
    double traceW = 0;
    int p = 0;
    for (int i = 0; i < n; i++) {
      double[] row = kinv[i];
      for (int j = 0; j < i; j++) {
        double w = a[i] * a[j] - row[j];
        signalGrad += w * kf[p];
        wf[p] = w * factor[p];
        p++;
      }
      traceW += a[i] * a[i] - row[i];
    }
    for (int d = 0; d < m; d++) {
      grad[d] = dot(wf, data.diff2[d], pairs) * invL2[d];
    }
    grad[m] = signalGrad + 0.5 * signal * traceW;
    grad[m + 1] = 0.5 * noise * traceW;
    return lml;
  }

  /** {@code Σ_{k<len} a_k·b_k} with four partial sums (a fixed order, so results are reproducible). */
  static double dot(double[] a, double[] b, int len) {
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    int k = 0;
    for (; k + 3 < len; k += 4) {
      s0 += a[k] * b[k];
      s1 += a[k + 1] * b[k + 1];
      s2 += a[k + 2] * b[k + 2];
      s3 += a[k + 3] * b[k + 3];
    }
    for (; k < len; k++) {
      s0 += a[k] * b[k];
    }
    return (s0 + s1) + (s2 + s3);
  }
}
