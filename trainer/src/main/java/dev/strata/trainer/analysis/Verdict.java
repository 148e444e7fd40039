package dev.strata.trainer.analysis;

import java.util.Locale;

/**
 * The mean-field verdict on a spec at initialisation. For plain chains: the phase from chi_1 at the
 * fixed point of the hidden layers' (sigma_w^2, sigma_b^2) and the depth scale xi = 1 / |ln chi_1|;
 * {@link Phase#CRITICAL} when xi reaches the whole depth, and trainable when depth &lt;= 6 xi (the
 * bound Schoenholz et al. 2017 measured: networks deeper than about 6 xi fail to train).
 * Residual stacks add variance instead of mapping it, so their signal neither dies nor saturates
 * exponentially: {@link Phase#RESIDUAL}, trainable. Immutable.
 *
 * @param depth dense layers along the longest path, the output layer included
 */
public record Verdict(Phase phase, double chi1, double depthScale, int depth, boolean trainable, String reason) {

  /** Depth multiple of xi beyond which a network does not train. */
  public static final double TRAINABLE_DEPTHS = 6;

  public enum Phase {
    ORDERED("ordered"),
    CRITICAL("critical"),
    CHAOTIC("chaotic"),
    RESIDUAL("residual");

    private final String label;

    Phase(String label) {
      this.label = label;
    }

    @Override
    public String toString() {
      return label;
    }
  }

  /** The verdict of a plain chain with this chi_1 and depth. */
  public static Verdict ofChain(double chi1, double depthScale, int depth) {
    return ofChain(chi1, depthScale, depth, null);
  }

  /**
   * The verdict of a plain chain with this chi_1 and depth, whose weighted layers along the longest
   * path are named by {@code path} (the output layer last; may be null): an untrainable chain's
   * reason names the layer by which the signal has died (or the gradients exploded).
   */
  public static Verdict ofChain(double chi1, double depthScale, int depth, java.util.List<String> path) {
    long reach = Double.isInfinite(depthScale) ? Long.MAX_VALUE : Math.round(TRAINABLE_DEPTHS * depthScale);
    boolean trainable = depth <= TRAINABLE_DEPTHS * depthScale;
    String chi = String.format(Locale.ROOT, "χ₁ = %.2f", chi1);
    if (depthScale >= depth) {
      String xi = depthScale >= 1e4 ? "∞" : String.format(Locale.ROOT, "%.0f", depthScale);
      return new Verdict(Phase.CRITICAL, chi1, depthScale, depth, true,
          "critical (" + chi + "): signal and gradients reach through all " + depth + " layers (depth scale ξ = " + xi + ")");
    }
    Phase phase = chi1 < 1 ? Phase.ORDERED : Phase.CHAOTIC;
    String what = phase == Phase.ORDERED ? "signal dies" : "gradients explode";
    String at = path != null && reach >= 1 && reach < path.size() ? " (by " + path.get((int) reach - 1) + ")" : "";
    return new Verdict(phase, chi1, depthScale, depth, trainable, phase + " phase (" + chi + "): " + what + " after about "
        + reach + " layers" + at + ", " + depth + " layers deep" + (trainable ? ": trainable" : ": untrainable"));
  }

  /**
   * The verdict of a network with additive units (residual units, or cells whose nodes sum several
   * edges), whose stream variance (shortcut plus branch, before any post-activation) is q0 after the
   * first unit, {@code first}, and q1 after the last, {@code last}.
   */
  public static Verdict ofResidual(double q0, String first, double q1, String last, int units, int depth) {
    boolean finite = Double.isFinite(q1) && q1 < 1e30;
    return new Verdict(Phase.RESIDUAL, Double.NaN, Double.POSITIVE_INFINITY, depth, finite,
        String.format(Locale.ROOT, "residual: variance grows additively (q from %.3g to %.3g, %s to %s, %d additive units),"
            + " gradients grow polynomially with depth, not exponentially%s", q0, q1, first, last, units,
            finite ? ": trainable" : ": overflows"));
  }
}
