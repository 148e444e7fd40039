package dev.strata.search.space;

import org.apache.commons.math3.special.Erf;

/**
 * A normal prior {@code N(mu, sigma²)} on a numeric parameter, truncated to the parameter's range.
 * JSON: {@code "normal": [mu, sigma]} beside {@code "int"} or {@code "float"}; with {@code "log":
 * true}, {@code mu} and {@code sigma} are those of {@code ln x} (a log-normal).
 *
 * <p>A {@link Dimension} with a prior maps its unit coordinate through the prior's quantile
 * function, so a uniform unit value gives a draw from the prior and every strategy, which works in
 * the unit cube, decodes the prior the same way. On the prior's scale {@code s} (the value, or its
 * {@code ln}), with {@code a = (s(low) − mu)/sigma} and {@code b = (s(high) − mu)/sigma}:
 *
 * <pre>
 *   F(x) = (Φ(z) − Φ(a)) / (Φ(b) − Φ(a)),  z = (s(x) − mu)/sigma      (unit of a value)
 *   x    = s⁻¹(mu + sigma·Φ⁻¹(Φ(a) + u·(Φ(b) − Φ(a))))                 (value of a unit)
 * </pre>
 *
 * <p>The range truncates the prior: mass outside it is redistributed proportionally (resampling,
 * not clipping, so the bounds get no extra mass). Tails are computed from {@code erfc}, so they are
 * accurate far from the mean; Φ⁻¹ is Acklam's rational approximation refined by one Halley step
 * (full double precision).
 *
 * <p>Immutable and thread-safe.
 */
public record NormalPrior(double mu, double sigma) {

  /** The least share of the prior's mass a range must hold. */
  public static final double MIN_MASS = 1e-9;

  private static final double SQRT2 = Math.sqrt(2);

  public NormalPrior {
    if (!Double.isFinite(mu)) {
      throw new IllegalArgumentException("the normal prior's mu must be a finite number, got " + mu);
    }
    if (!(sigma > 0) || Double.isInfinite(sigma)) {
      throw new IllegalArgumentException("the normal prior's sigma must be a positive number, got " + sigma);
    }
  }

  /**
   * What is wrong with truncating this prior to {@code [lo, hi]} (on the prior's scale), or null:
   * the range must hold at least {@value #MIN_MASS} of the prior's mass.
   */
  public String truncationProblem(double lo, double hi) {
    double mass = between((lo - mu) / sigma, (hi - mu) / sigma);
    if (!(mass >= MIN_MASS)) {
      return "the range [" + SpaceReader.number(lo) + ", " + SpaceReader.number(hi) + "] holds "
          + String.format(java.util.Locale.ROOT, "%.3g", mass) + " of the normal prior's mass (mu "
          + SpaceReader.number(mu) + ", sigma " + SpaceReader.number(sigma)
          + "); move mu into the range or widen sigma";
    }
    return null;
  }

  /** The truncated prior's CDF at {@code s} (on the prior's scale), in [0, 1]. */
  double cdf(double s, double lo, double hi) {
    double a = (lo - mu) / sigma;
    double b = (hi - mu) / sigma;
    double z = Math.clamp((s - mu) / sigma, a, b);
    double mass = between(a, b);
    double u = z <= 0 ? between(a, z) / mass : 1 - between(z, b) / mass;
    return Math.clamp(u, 0.0, 1.0);
  }

  /** The truncated prior's quantile at {@code u ∈ [0, 1]}, on the prior's scale, in [lo, hi]. */
  double quantile(double u, double lo, double hi) {
    double a = (lo - mu) / sigma;
    double b = (hi - mu) / sigma;
    double mass = between(a, b);
    double z;
    if (a >= 0) {
      z = -inverseLower(upper(b) + (1 - u) * mass);
    } else {
      double below = lower(a) + u * mass;
      z = below <= 0.5 || b <= 0 ? inverseLower(below) : -inverseLower(upper(b) + (1 - u) * mass);
    }
    return Math.clamp(mu + sigma * z, lo, hi);
  }

  /** Φ(z), accurate in the lower tail. */
  static double lower(double z) {
    return 0.5 * Erf.erfc(-z / SQRT2);
  }

  /** 1 − Φ(z), accurate in the upper tail. */
  static double upper(double z) {
    return 0.5 * Erf.erfc(z / SQRT2);
  }

  /** Φ(b) − Φ(a) for a ≤ b, without cancellation in either tail. */
  static double between(double a, double b) {
    if (a >= 0) {
      return upper(a) - upper(b);
    }
    if (b <= 0) {
      return lower(b) - lower(a);
    }
    return 0.5 * Erf.erf(a / SQRT2, b / SQRT2);
  }

  /** Φ⁻¹(p) for p ∈ [0, 1]; ±∞ at the ends. */
  static double inverseLower(double p) {
    if (p <= 0) {
      return Double.NEGATIVE_INFINITY;
    }
    if (p >= 1) {
      return Double.POSITIVE_INFINITY;
    }
    double x;
    if (p < 0.02425) {
      double q = Math.sqrt(-2 * Math.log(p));
      x = (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
          / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
    } else if (p > 1 - 0.02425) {
      double q = Math.sqrt(-2 * Math.log1p(-p));
      x = -(((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
          / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
    } else {
      double q = p - 0.5;
      double r = q * q;
      x = (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
          / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1);
    }
    // one Halley step on Φ(x) − p, with the tail-accurate Φ
    double e = x <= 0 ? lower(x) - p : (1 - p) - upper(x);
    double step = e * Math.sqrt(2 * Math.PI) * Math.exp(x * x / 2);
    return x - step / (1 + x * step / 2);
  }

  private static final double[] A = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
      1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00};
  private static final double[] B = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
      6.680131188771972e+01, -1.328068155288572e+01};
  private static final double[] C = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
      -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00};
  private static final double[] D = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
      3.754408661907416e+00};
}
