package dev.strata.search.fidelity;

import java.util.ArrayList;
import java.util.List;

/**
 * The resource axis of a multi-fidelity search: epochs, training examples, seconds, ...
 *
 * <p>The rungs (the resources at which results are compared) are anchored at the maximum:
 *
 * <pre>
 *   s_max = max { s : min · η^s ≤ max }
 *   r_k   = max · η^(k − s_max),   k = 0 .. s_max
 * </pre>
 *
 * so the top rung is always {@code max} and the lowest rung is at least {@code min} (equal to it
 * when {@code max / min} is a power of η). Resources are doubles; a runner that trains whole
 * epochs uses {@link #whole(double)} to round them up.
 *
 * <p>Immutable and thread-safe.
 *
 * @param min the smallest resource a configuration is run for (r_min, &gt; 0)
 * @param max the largest resource (R, &ge; min)
 * @param eta the reduction factor η (&gt; 1): each rung keeps the best 1/η
 */
public record Fidelity(double min, double max, double eta) {

  /** The default reduction factor. */
  public static final double DEFAULT_ETA = 3;

  private static final double EPS = 1e-9;

  public Fidelity {
    if (!(min > 0) || !Double.isFinite(min)) {
      throw new IllegalArgumentException("min resource must be a finite number > 0, got " + min);
    }
    if (!(max >= min) || !Double.isFinite(max)) {
      throw new IllegalArgumentException("max resource " + max + " must be >= min resource " + min);
    }
    if (!(eta > 1) || !Double.isFinite(eta)) {
      throw new IllegalArgumentException("reduction factor eta must be > 1, got " + eta);
    }
  }

  /** A fidelity with the default reduction factor η = 3. */
  public static Fidelity of(double min, double max) {
    return new Fidelity(min, max, DEFAULT_ETA);
  }

  public static Fidelity of(double min, double max, double eta) {
    return new Fidelity(min, max, eta);
  }

  /** s_max: the number of times the resource can be multiplied by η from min without passing max. */
  public int maxRung() {
    int s = 0;
    while (min * Math.pow(eta, s + 1) <= max * (1 + EPS)) {
      s++;
    }
    return s;
  }

  /** The rung resources r_0 &lt; ... &lt; r_{s_max} = max (see the class comment). */
  public List<Double> rungs() {
    int s = maxRung();
    List<Double> out = new ArrayList<>(s + 1);
    for (int k = 0; k <= s; k++) {
      out.add(resourceAt(k - s));
    }
    return List.copyOf(out);
  }

  /** {@code max · η^exponent}, snapped to the nearest integer when within 1e-9 of it. */
  double resourceAt(int exponent) {
    return snap(max * Math.pow(eta, exponent));
  }

  /** Whether two resources are the same up to rounding. */
  static boolean same(double a, double b) {
    return Math.abs(a - b) <= EPS * Math.max(1, Math.max(Math.abs(a), Math.abs(b)));
  }

  static double snap(double r) {
    double rounded = Math.rint(r);
    return same(r, rounded) ? rounded : r;
  }

  /** A resource rounded up to whole units (at least 1), for runners that train whole epochs. */
  public static int whole(double resource) {
    return (int) Math.max(1, Math.ceil(resource - EPS));
  }
}
