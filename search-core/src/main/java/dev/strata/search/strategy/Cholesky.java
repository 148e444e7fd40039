package dev.strata.search.strategy;

/**
 * In-place Cholesky factorisation {@code K = L·Lᵀ} of a lower triangle stored by rows ({@code
 * l[i]} holds {@code K_i0..K_ii}, contiguous), left-looking and blocked: rows are taken in panels
 * of {@value #PANEL}, and within a panel four rows at a time are updated against two finished
 * rows at a time (eight independent dot-product chains, six loads per eight multiply-adds instead
 * of two per one). A finished row is read from memory once per panel and from the L1 cache for
 * the panel's other row groups, which matters once the factor outgrows the caches (a
 * 1,000-point factor is 4 MB). The summation order depends only on the matrix size and {@code
 * from}, so results are reproducible. Stateless and thread-safe.
 */
final class Cholesky {

  private static final int PANEL = 32;

  private Cholesky() {}

  /**
   * Factors rows {@code from..n−1} of {@code l} in place, rows {@code 0..from−1} being an already
   * finished factor. Returns false (leaving {@code l} partly overwritten) when the matrix is not
   * numerically positive definite.
   */
  static boolean factor(double[][] l, int from, int n) {
    for (int ib = from; ib < n; ib += PANEL) {
      int ie = Math.min(ib + PANEL, n);
      // columns 0..ib-1 of the panel's rows, against finished rows
      update(l, ib, ie, 0, ib);
      // the panel's own triangle, one group of four rows at a time
      for (int g = ib; g < ie; g += 4) {
        int ge = Math.min(g + 4, ie);
        update(l, g, ge, ib, g);
        for (int r = g; r < ge; r++) {
          if (!finishRow(l, r, g)) {
            return false;
          }
        }
      }
    }
    return true;
  }

  /**
   * Columns {@code j0..j1−1} of rows {@code r0..r1−1}, given their columns before {@code j0} and
   * finished rows {@code j0..j1−1}: {@code l_rj = (K_rj − Σ_{k<j} l_rk·l_jk) / l_jj}.
   */
  private static void update(double[][] l, int r0, int r1, int j0, int j1) {
    int j = j0;
    for (; j + 1 < j1; j += 2) {
      double[] b = l[j];
      double[] c = l[j + 1];
      int r = r0;
      for (; r + 3 < r1; r += 4) {
        block4x2(l[r], l[r + 1], l[r + 2], l[r + 3], b, c, j);
      }
      for (; r < r1; r++) {
        double[] a = l[r];
        a[j] = (a[j] - GaussianProcess.dot(a, b, j)) / b[j];
        a[j + 1] = (a[j + 1] - GaussianProcess.dot(a, c, j + 1)) / c[j + 1];
      }
    }
    if (j < j1) {
      double[] b = l[j];
      for (int r = r0; r < r1; r++) {
        double[] a = l[r];
        a[j] = (a[j] - GaussianProcess.dot(a, b, j)) / b[j];
      }
    }
  }

  /** Columns {@code j} and {@code j+1} of four rows against finished rows {@code b = l_j}, {@code c = l_{j+1}}. */
  private static void block4x2(double[] a0, double[] a1, double[] a2, double[] a3, double[] b, double[] c, int j) {
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    double t0 = 0;
    double t1 = 0;
    double t2 = 0;
    double t3 = 0;
    for (int k = 0; k < j; k++) {
      double bk = b[k];
      double ck = c[k];
      double x0 = a0[k];
      double x1 = a1[k];
      double x2 = a2[k];
      double x3 = a3[k];
      s0 += x0 * bk;
      s1 += x1 * bk;
      s2 += x2 * bk;
      s3 += x3 * bk;
      t0 += x0 * ck;
      t1 += x1 * ck;
      t2 += x2 * ck;
      t3 += x3 * ck;
    }
    double bj = b[j];
    double v0 = (a0[j] - s0) / bj;
    double v1 = (a1[j] - s1) / bj;
    double v2 = (a2[j] - s2) / bj;
    double v3 = (a3[j] - s3) / bj;
    a0[j] = v0;
    a1[j] = v1;
    a2[j] = v2;
    a3[j] = v3;
    double cj = c[j];
    double cd = c[j + 1];
    a0[j + 1] = (a0[j + 1] - (t0 + v0 * cj)) / cd;
    a1[j + 1] = (a1[j + 1] - (t1 + v1 * cj)) / cd;
    a2[j + 1] = (a2[j + 1] - (t2 + v2 * cj)) / cd;
    a3[j + 1] = (a3[j + 1] - (t3 + v3 * cj)) / cd;
  }

  /** Row {@code r}, columns {@code from..r}, with columns {@code 0..from−1} already final. */
  private static boolean finishRow(double[][] l, int r, int from) {
    double[] lr = l[r];
    for (int j = from; j < r; j++) {
      double[] lj = l[j];
      lr[j] = (lr[j] - GaussianProcess.dot(lr, lj, j)) / lj[j];
    }
    double d = lr[r] - GaussianProcess.dot(lr, lr, r);
    if (!(d > 0)) {
      return false;
    }
    lr[r] = Math.sqrt(d);
    return true;
  }
}
