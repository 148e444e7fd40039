package dev.strata.search.strategy;

import org.apache.commons.math3.special.Erf;

/**
 * The logarithm of expected improvement, computed without underflow (after Ament et al.,
 * "Unexpected Improvements to Expected Improvement for Bayesian Optimization", NeurIPS 2023).
 *
 * <p>For minimisation with incumbent {@code f*}, posterior mean {@code μ} and standard deviation
 * {@code σ}: {@code z = (f* − μ)/σ}, {@code EI = σ·h(z)} with {@code h(z) = φ(z) + z·Φ(z)}, so
 * {@code log EI = ln σ + ln h(z)}. The naive formula underflows to {@code −∞} once {@code z <
 * −38} or so, which leaves the acquisition flat; here:
 *
 * <ul>
 *   <li>{@code z > −1}: {@code ln h(z)} directly;
 *   <li>{@code −30 ≤ z ≤ −1}, {@code t = −z}: {@code h = φ(t)·(1 − t·R(t))} with the Mills ratio
 *       {@code R(t) = Φ(−t)/φ(t)} from {@code erfc}, so {@code ln h = ln φ(t) + ln(1 − t·R(t))};
 *   <li>{@code z < −30}: the asymptotic series {@code 1 − t·R(t) = t⁻²·(1 − 3t⁻² + 15t⁻⁴ − 105t⁻⁶
 *       + 945t⁻⁸)}, relative error below 1e−13.
 * </ul>
 *
 * Finite for every finite {@code z}. Stateless and thread-safe.
 */
final class LogExpectedImprovement {

  private static final double LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
  private static final double SQRT2 = Math.sqrt(2.0);

  private LogExpectedImprovement() {}

  /** {@code ln EI} for minimisation: incumbent {@code best}, posterior {@code mean} and {@code sd > 0}. */
  static double logEi(double best, double mean, double sd) {
    return Math.log(sd) + logH((best - mean) / sd);
  }

  /** {@code ln(φ(z) + z·Φ(z))}. */
  static double logH(double z) {
    if (z > -1) {
      return Math.log(pdf(z) + z * cdf(z));
    }
    double t = -z;
    double logPdf = -0.5 * t * t - LOG_SQRT_2PI;
    if (t <= 30) {
      double mills = 0.5 * Erf.erfc(t / SQRT2) / pdf(t);
      return logPdf + Math.log1p(-t * mills);
    }
    double u = 1 / (t * t);
    double series = 1 + u * (-3 + u * (15 + u * (-105 + u * 945)));
    return logPdf + Math.log(u) + Math.log(series);
  }

  /** The naive {@code σ·h(z)}, for tests and comparison. */
  static double naiveEi(double best, double mean, double sd) {
    double z = (best - mean) / sd;
    return sd * (pdf(z) + z * cdf(z));
  }

  static double pdf(double z) {
    return Math.exp(-0.5 * z * z - LOG_SQRT_2PI);
  }

  static double cdf(double z) {
    return 0.5 * Erf.erfc(-z / SQRT2);
  }
}
