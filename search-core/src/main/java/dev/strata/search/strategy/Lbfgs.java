package dev.strata.search.strategy;

/**
 * A small limited-memory BFGS minimiser with box bounds handled by projection, for the few
 * (well-scaled, log-space) hyperparameters of a Gaussian process. Each iteration takes the
 * two-loop L-BFGS direction (memory 6), zeroes the components that push against an active bound,
 * and backtracks along the projected path until the Armijo condition holds.
 *
 * <p>Why not Commons Math: its non-linear conjugate gradient line search (Brent on function values)
 * and BOBYQA (no gradients) spend several times more evaluations of the marginal likelihood, each
 * of which costs a Cholesky factorisation. Stateless and thread-safe.
 */
final class Lbfgs {

  /** A function with its gradient: writes the gradient into {@code grad} and returns the value. */
  @FunctionalInterface
  interface DifferentiableFunction {
    double evaluate(double[] x, double[] grad);
  }

  /** The best point found and its value. */
  record Result(double[] x, double value, int evaluations) {}

  private static final int MEMORY = 6;

  private Lbfgs() {}

  static Result minimize(DifferentiableFunction f, double[] start, double[] lower, double[] upper, int maxIterations,
      double relativeTolerance) {
    int n = start.length;
    double[] x = project(start.clone(), lower, upper);
    double[] g = new double[n];
    double fx = f.evaluate(x, g);
    int evaluations = 1;
    if (!Double.isFinite(fx)) {
      return new Result(x, fx, evaluations);
    }
    double[][] s = new double[MEMORY][];
    double[][] y = new double[MEMORY][];
    double[] rho = new double[MEMORY];
    int stored = 0;
    int head = 0;
    double[] d = new double[n];
    double[] xn = new double[n];
    double[] gn = new double[n];
    double[] alpha = new double[MEMORY];
    for (int iter = 0; iter < maxIterations; iter++) {
      // two-loop recursion: d = -H g
      System.arraycopy(g, 0, d, 0, n);
      for (int k = 0; k < stored; k++) {
        int j = Math.floorMod(head - 1 - k, MEMORY);
        alpha[j] = rho[j] * dot(s[j], d);
        axpy(-alpha[j], y[j], d);
      }
      if (stored > 0) {
        int last = Math.floorMod(head - 1, MEMORY);
        double gamma = dot(s[last], y[last]) / dot(y[last], y[last]);
        scale(d, gamma);
      }
      for (int k = stored - 1; k >= 0; k--) {
        int j = Math.floorMod(head - 1 - k, MEMORY);
        double beta = rho[j] * dot(y[j], d);
        axpy(alpha[j] - beta, s[j], d);
      }
      scale(d, -1);
      boolean freeDirection = false;
      for (int i = 0; i < n; i++) {
        if ((x[i] <= lower[i] && d[i] < 0) || (x[i] >= upper[i] && d[i] > 0)) {
          d[i] = 0;
        }
        freeDirection |= d[i] != 0;
      }
      double slope = dot(g, d);
      if (!freeDirection || !(slope < 0)) {
        // fall back to projected steepest descent
        stored = 0;
        for (int i = 0; i < n; i++) {
          d[i] = (x[i] <= lower[i] && g[i] > 0) || (x[i] >= upper[i] && g[i] < 0) ? 0 : -g[i];
        }
        slope = dot(g, d);
        if (!(slope < 0)) {
          break;
        }
      }
      double step = stored == 0 ? Math.min(1.0, 1.0 / Math.sqrt(-slope)) : 1.0;
      boolean accepted = false;
      double fn = Double.NaN;
      for (int ls = 0; ls < 30; ls++) {
        for (int i = 0; i < n; i++) {
          xn[i] = x[i] + step * d[i];
        }
        project(xn, lower, upper);
        fn = f.evaluate(xn, gn);
        evaluations++;
        double decrease = 0;
        for (int i = 0; i < n; i++) {
          decrease += g[i] * (xn[i] - x[i]);
        }
        if (Double.isFinite(fn) && fn <= fx + 1e-4 * decrease) {
          accepted = true;
          break;
        }
        step *= 0.5;
      }
      if (!accepted) {
        break;
      }
      double[] sk = new double[n];
      double[] yk = new double[n];
      for (int i = 0; i < n; i++) {
        sk[i] = xn[i] - x[i];
        yk[i] = gn[i] - g[i];
      }
      double sy = dot(sk, yk);
      if (sy > 1e-12 * Math.sqrt(dot(sk, sk) * dot(yk, yk))) {
        s[head] = sk;
        y[head] = yk;
        rho[head] = 1 / sy;
        head = (head + 1) % MEMORY;
        stored = Math.min(stored + 1, MEMORY);
      }
      double previous = fx;
      System.arraycopy(xn, 0, x, 0, n);
      System.arraycopy(gn, 0, g, 0, n);
      fx = fn;
      if (previous - fx <= relativeTolerance * (1 + Math.abs(fx))) {
        break;
      }
    }
    return new Result(x, fx, evaluations);
  }

  private static double[] project(double[] x, double[] lower, double[] upper) {
    for (int i = 0; i < x.length; i++) {
      x[i] = Math.clamp(x[i], lower[i], upper[i]);
    }
    return x;
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  private static void axpy(double a, double[] x, double[] y) {
    for (int i = 0; i < x.length; i++) {
      y[i] += a * x[i];
    }
  }

  private static void scale(double[] x, double a) {
    for (int i = 0; i < x.length; i++) {
      x[i] *= a;
    }
  }
}
