package dev.strata.search.strategy;

import dev.strata.search.space.Dimension;
import java.util.random.RandomGenerator;

/**
 * Mutation of one unit coordinate, suited to its dimension's kind:
 *
 * <ul>
 *   <li>categorical: another category, uniformly (unchanged when there is only one);
 *   <li>integer (and stepped float) with at most {@value #SMALL_GRID} values, such as a repeat
 *       count: one step up or down (the other way at a bound);
 *   <li>continuous float, and larger grids: a Gaussian step of {@code sigma} in unit space,
 *       reflected at 0 and 1.
 * </ul>
 *
 * <p>Stateless and thread-safe.
 */
final class Mutations {

  static final int SMALL_GRID = 16;

  private Mutations() {}

  static double mutate(Dimension d, double u, double sigma, RandomGenerator random) {
    u = Double.isNaN(u) ? 0.5 : Math.clamp(u, 0.0, 1.0);
    switch (d.kind()) {
      case CATEGORICAL -> {
        int n = d.cardinality();
        if (n == 1) {
          return u;
        }
        int i = Math.min((int) Math.floor(u * n), n - 1);
        int j = random.nextInt(n - 1);
        if (j >= i) {
          j++;
        }
        return (j + 0.5) / n;
      }
      default -> {
        double step = gridStep(d);
        if (step > 0 && (d.high() - d.low()) / step + 1 <= SMALL_GRID + 0.5) {
          return stepped(d, u, step, random);
        }
        return reflect(u + sigma * random.nextGaussian());
      }
    }
  }

  /** The grid step of an INT or stepped FLOAT dimension, 0 for a continuous one. */
  static double gridStep(Dimension d) {
    if (d.kind() == Dimension.Kind.INT) {
      return d.step() >= 1 ? Math.floor(d.step()) : 1;
    }
    return d.kind() == Dimension.Kind.FLOAT ? d.step() : 0;
  }

  private static double stepped(Dimension d, double u, double step, RandomGenerator random) {
    if (d.high() <= d.low()) {
      return u;
    }
    double v = ((Number) d.valueAt(u)).doubleValue();
    double sign = random.nextBoolean() ? 1 : -1;
    double w = v + sign * step;
    if (w < d.low() - 1e-9 || w > d.high() + 1e-9) {
      w = v - sign * step;
    }
    Object value = d.kind() == Dimension.Kind.INT ? (Object) Math.round(w) : (Object) w;
    return d.unitOf(value);
  }

  static double reflect(double x) {
    if (x < 0) {
      x = -x;
    }
    if (x > 1) {
      x = 2 - x;
    }
    return Math.clamp(x, 0.0, 1.0);
  }
}
