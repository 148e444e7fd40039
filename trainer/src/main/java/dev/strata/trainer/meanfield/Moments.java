package dev.strata.trainer.meanfield;

import java.util.List;

/**
 * The first and second moments of one channel (or dense unit) of a random network's stream, over
 * weights and inputs: mean mu = E[a(x)], second moment m = E[a(x)^2] and the off-diagonal moment
 * m_off = E[a(x) a(x')] for two different positions x != x' (two pixels of one image; for a dense
 * stream, or an image of one pixel, two samples). With iid inputs and translation invariance m_off
 * is the same for every pair (E[w_t w_t'] = 0 for taps t != t', so overlapping windows add
 * nothing), and it includes mu^2: m_off - mu^2 is the covariance. mu is kept beside m_off because
 * it is a deterministic offset (a ReLU's output is never negative: a known sign) while m_off -
 * mu^2 is a random per-channel one (a weighted layer turns mu into sum_t w_t mu, zero-mean over
 * weights); an activation sees the first as a shift and the second as a correlation. After a
 * weighted layer mu = 0. Immutable.
 *
 * @param mean mu
 * @param square m
 * @param cross m_off
 */
public record Moments(double mean, double square, double cross) {

  /** The output of batch norm at initialisation (gamma = 1, beta = 0): per-channel offset removed. */
  public static final Moments NORMALISED = new Moments(0, 1, 0);

  /** A weighted layer's output: zero-mean, second moment q, off-diagonal q_off. */
  public static Moments preActivation(double q, double qOff) {
    return new Moments(0, q, qOff);
  }

  /** m - mu^2, at least 0. */
  public double variance() {
    return Math.max(0, square - mean * mean);
  }

  /** m_off - mu^2, within [-variance, variance]. */
  public double covariance() {
    double v = variance();
    return Math.clamp(cross - mean * mean, -v, v);
  }

  /** The sum of independent streams (a shortcut and its branch, a cell node's edges): means add, (co)variances add. */
  public static Moments sum(List<Moments> parts) {
    double mu = 0;
    double var = 0;
    double cov = 0;
    for (Moments p : parts) {
      mu += p.mean;
      var += p.variance();
      cov += p.covariance();
    }
    return new Moments(mu, var + mu * mu, cov + mu * mu);
  }

  /** {@code this + other}, independent. */
  public Moments plus(Moments other) {
    return sum(List.of(this, other));
  }

  /** The concatenation of channels with these moments, {@code widths[i]} channels each: width-weighted means. */
  public static Moments concat(List<Moments> parts, int[] widths) {
    double mu = 0;
    double m = 0;
    double c = 0;
    double total = 0;
    for (int i = 0; i < parts.size(); i++) {
      mu += widths[i] * parts.get(i).mean;
      m += widths[i] * parts.get(i).square;
      c += widths[i] * parts.get(i).cross;
      total += widths[i];
    }
    return new Moments(mu / total, m / total, c / total);
  }

  /**
   * Average pooling whose windows are averaged as {@code diagonal} = E[1 / P] over output pixels (P
   * the pixels a window counts) and {@code offDiagonal} = the mean over pairs of different output
   * pixels of |W_y cap W_y'| / (P_y P_y') (0 when windows do not overlap): m' = m_off + (m - m_off)
   * diagonal, m_off' = m_off + (m - m_off) offDiagonal; the mean is unchanged.
   */
  public Moments pooled(double diagonal, double offDiagonal) {
    double d = square - cross;
    return new Moments(mean, cross + d * diagonal, cross + d * offDiagonal);
  }
}
