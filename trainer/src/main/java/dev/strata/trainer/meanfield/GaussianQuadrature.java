package dev.strata.trainer.meanfield;

import java.util.function.DoubleUnaryOperator;

/**
 * Gaussian expectations E[f(h)], h = sqrt(q) z ~ N(0, q), and E[f(u, v)] over a bivariate Gaussian
 * pair, by deterministic quadrature (no Monte Carlo).
 *
 * <p>Rule: on each half-line, panels in h with edges 0, s, 2s, 4s, ... up to 10 sqrt(q) (the tail
 * beyond carries under 1e-22 of the mass), s = min(sqrt(q), 1) / 16, each panel split in two and
 * integrated by 8-point Gauss–Legendre with the density folded into the weights. An edge at h = 0
 * integrates the kinks of relu, leaky relu and elu exactly; panels of width about 1 near the
 * origin resolve features of f there (the peaks of tanh' and sigmoid', width about 1 in h) even
 * when q is large and a fixed Gauss–Hermite rule in z would step over them; the geometric growth
 * keeps the cost at O(log q) panels. For the smooth activations the error is below 1e-10 relative
 * (see the tests).
 *
 * <p>Below {@link #SMALLEST_VARIANCE} (q = 0 included) the rule runs at that variance: smaller, the
 * nodes' h^2 / q leave double's normal range and the sum loses digits. The result is then the
 * limit q -&gt; 0+, f(0) for an f continuous at 0 and the mean of its one-sided values for a step
 * such as relu' (1/2, not relu'(0) = 0): what a fixed point q* that underflows towards 0 needs,
 * since every layer's q on the way there is positive.
 *
 * <p>The pair (u, v), variance q each and covariance c = rho q, is u = sqrt(q) z1, v = rho u +
 * sqrt(q (1 - rho^2)) z2: {@link #expectProduct} nests the 1-D rule,
 * the outer over u and the inner over v given u (variance q (1 - rho^2), at rho = 1 the limit v =
 * u). A tensor Gauss–Hermite rule in (z1, z2) would be cheaper but steps over the kinks of relu
 * at u = 0 and v = 0 (its error on the arc-cosine kernel falls only like a power of the order);
 * the panels here put the outer kink on an edge; the inner one (at v = 0, which moves with u) falls
 * inside a panel, which leaves an error of about 1e-5 q on relu's kernel (smooth functions: 1e-12).
 *
 * <p>Stateless and thread-safe.
 */
public final class GaussianQuadrature {

  private static final int ORDER = 8;
  private static final double LIMIT = 10;
  private static final double[] NODES = new double[ORDER];
  private static final double[] WEIGHTS = new double[ORDER];
  /** The smallest variance the rule resolves: its smallest node has h^2 ~ 1e-7 q, still a normal double. */
  public static final double SMALLEST_VARIANCE = 1e-290;

  static {
    // Gauss–Legendre nodes on [-1, 1]: Newton's method on P_n from the Chebyshev guesses.
    for (int i = 0; i < ORDER; i++) {
      double x = Math.cos(Math.PI * (i + 0.75) / (ORDER + 0.5));
      double dp = 0;
      for (int it = 0; it < 100; it++) {
        double p0 = 1;
        double p1 = x;
        for (int k = 2; k <= ORDER; k++) {
          double p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
          p0 = p1;
          p1 = p2;
        }
        dp = ORDER * (x * p1 - p0) / (x * x - 1);
        double dx = p1 / dp;
        x -= dx;
        if (Math.abs(dx) < 1e-16) {
          break;
        }
      }
      NODES[i] = x;
      WEIGHTS[i] = 2 / ((1 - x * x) * dp * dp);
    }
  }

  private GaussianQuadrature() {}

  /**
   * E[f(sqrt(q) z)] for z ~ N(0, 1); {@code q >= 0}, and below {@link #SMALLEST_VARIANCE} (0
   * included) the limit q -&gt; 0+.
   */
  public static double expect(DoubleUnaryOperator f, double variance) {
    double[] rule = rule(variance);
    double sum = 0;
    for (int i = 0; i < rule.length; i += 2) {
      double h = rule[i];
      sum += rule[i + 1] * (f.applyAsDouble(h) + f.applyAsDouble(-h));
    }
    return sum;
  }

  /**
   * E[f(u) g(v)] for (u, v) jointly Gaussian, mean 0, variance {@code variance} each and covariance
   * {@code covariance} (clamped to [-q, q]); below {@link #SMALLEST_VARIANCE} the limit, as for the
   * 1-D rule. The inner rule's nodes are shared by every outer node, so the cost is about (2 n)^2
   * evaluations of g for the 1-D rule's n nodes per half-line.
   */
  public static double expectProduct(DoubleUnaryOperator f, DoubleUnaryOperator g, double variance, double covariance) {
    if (Double.isNaN(covariance)) {
      throw new IllegalArgumentException("covariance must be a number, got " + covariance);
    }
    double[] outer = rule(variance);
    double q = Math.max(variance, SMALLEST_VARIANCE);
    double rho = variance > 0 ? Math.clamp(covariance / variance, -1.0, 1.0) : 1;
    double[] inner = rule(Math.max(0, q * (1 - rho * rho)));
    double sum = 0;
    for (int i = 0; i < outer.length; i += 2) {
      for (int sign = -1; sign <= 1; sign += 2) {
        double u = sign * outer[i];
        double c = rho * u;
        double gv = 0;
        for (int k = 0; k < inner.length; k += 2) {
          gv += inner[k + 1] * (g.applyAsDouble(c + inner[k]) + g.applyAsDouble(c - inner[k]));
        }
        sum += outer[i + 1] * f.applyAsDouble(u) * gv;
      }
    }
    return sum;
  }

  /** The rule's nodes h > 0 and weights, interleaved {h, weight, ...}: E[f] = sum weight (f(h) + f(-h)). */
  private static double[] rule(double variance) {
    if (!(variance >= 0) || Double.isInfinite(variance)) {
      throw new IllegalArgumentException("variance must be finite and >= 0, got " + variance);
    }
    double q = Math.max(variance, SMALLEST_VARIANCE);
    double sd = Math.sqrt(q);
    double end = LIMIT * sd;
    double norm = 1 / (sd * Math.sqrt(2 * Math.PI));
    int panels = 0;
    for (double e = Math.min(sd, 1) / 16; ; e *= 2) {
      panels++;
      if (e >= end) {
        break;
      }
    }
    double a = 0;
    double b = Math.min(sd, 1) / 16;
    double[] rule = new double[4 * ORDER * panels];
    int n = 0;
    while (a < end) {
      b = Math.min(b, end);
      for (int half = 0; half < 2; half++) {
        double lo = a + half * 0.5 * (b - a);
        double w = 0.25 * (b - a);
        double mid = lo + w;
        for (int i = 0; i < ORDER; i++) {
          double h = mid + w * NODES[i];
          rule[n++] = h;
          rule[n++] = w * WEIGHTS[i] * Math.exp(-0.5 * h * h / q) * norm;
        }
      }
      a = b;
      b = 2 * b;
    }
    return rule;
  }
}
