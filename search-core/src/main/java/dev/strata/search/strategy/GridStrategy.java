package dev.strata.search.strategy;

import dev.strata.search.space.Dimension;
import dev.strata.search.space.SearchSpace;
import dev.strata.search.trial.Configuration;
import dev.strata.search.trial.Direction;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Grid search: every combination of a few values per dimension, in an order shuffled by the seed
 * (so parallel studies with different seeds cover different parts of a large grid first). Ignores
 * outcomes.
 *
 * <p><b>Values per dimension</b> ({@code points} default 5):
 *
 * <ul>
 *   <li>categorical: every choice;
 *   <li>integer, or float with a {@code step}, on a linear scale: every value when there are at
 *       most {@code points}, else {@code points} values evenly spaced in unit space from the lowest
 *       to the highest;
 *   <li>float, and any log scale: {@code points} values evenly spaced in unit space from bound to
 *       bound (so a log scale gets evenly spaced exponents, a normal prior its quantiles {@code
 *       k/(points − 1)}); one point is the middle.
 * </ul>
 *
 * <p><b>Size.</b> The grid is the product over the space's flat dimensions, conditional
 * parameters and repeat slots included (a combination that decodes to a configuration already
 * proposed, e.g. one differing only in an inactive parameter, is skipped). When that product is
 * above {@code maxPoints} (default 100,000) the strategy is refused with the size and how to
 * shrink it. Once every combination has been visited the grid is exhausted and further proposals
 * are uniformly random.
 *
 * <p><b>Order.</b> Combination {@code k} of the walk is grid point {@code (a·k + b) mod N} in
 * mixed radix, with {@code a} coprime to {@code N} and {@code a, b} drawn from the seed: a
 * permutation of the grid that needs no table. Deterministic for a seed; not thread-safe.
 *
 * <p>Options: {@code points} (5), {@code maxPoints} (100000). Proposals carry {@code
 * origin=grid}, or {@code origin=random} once the grid is exhausted.
 */
public final class GridStrategy extends AbstractStrategy {

  public static final String NAME = "grid";

  private final double[][] values;
  private final long size;
  private final long stride;
  private final long offset;
  private long next;

  public GridStrategy(SearchSpace space, Direction direction, long seed, int points, long maxPoints) {
    super(NAME, space, direction, seed);
    if (points < 1) {
      throw new IllegalArgumentException("grid: points must be >= 1, got " + points);
    }
    values = new double[dims.size()][];
    BigInteger product = BigInteger.ONE;
    StringBuilder factors = new StringBuilder();
    for (int i = 0; i < values.length; i++) {
      values[i] = unitValues(dims.get(i), points);
      product = product.multiply(BigInteger.valueOf(values[i].length));
      factors.append(i == 0 ? "" : "·").append(values[i].length);
    }
    if (product.compareTo(BigInteger.valueOf(maxPoints)) > 0) {
      throw new IllegalArgumentException("grid: " + (factors.isEmpty() ? "1" : factors) + " = " + product
          + " points over " + dims.size() + " dimensions, more than maxPoints = " + maxPoints
          + "; lower 'points' (now " + points + "), narrow the space, or raise 'maxPoints'");
    }
    size = product.longValueExact();
    long a = size <= 1 ? 1 : 1 + random.nextLong(size - 1);
    while (gcd(a, size) != 1) {
      a = a % size + 1;
    }
    stride = a;
    offset = size <= 1 ? 0 : random.nextLong(size);
  }

  static GridStrategy create(SearchSpace space, Direction direction, long seed, Map<String, Object> options) {
    Options o = Options.of(NAME, options, Set.of("points", "maxPoints"));
    return new GridStrategy(space, direction, seed, o.intValue("points", 5, 1, 1000),
        o.intValue("maxPoints", 100_000, 1, 100_000_000));
  }

  /** The number of grid points (the flat product). */
  public long size() {
    return size;
  }

  @Override
  Candidate propose(int attempt) {
    while (next < size) {
      double[] unit = point((mulMod(stride, next, size) + offset) % size);
      next++;
      Configuration c = configurationOf(unit);
      if (!wasProposed(c)) {
        return new Candidate(unit, Map.of("origin", "grid"));
      }
    }
    return new Candidate(uniform(), Map.of("origin", "random"));
  }

  private double[] point(long index) {
    double[] unit = new double[values.length];
    long rest = index;
    for (int i = values.length - 1; i >= 0; i--) {
      int n = values[i].length;
      unit[i] = values[i][(int) (rest % n)];
      rest /= n;
    }
    return unit;
  }

  static double[] unitValues(Dimension d, int points) {
    // a log scale's values are spread by ratio, so its grid is its points, not every value
    long cells = d.log() ? 0 : d.valueCount();
    if (cells > 0 && (d.kind() == Dimension.Kind.CATEGORICAL || cells <= points)) {
      double[] out = new double[(int) cells];
      for (int k = 0; k < cells; k++) {
        out[k] = d.unitOfIndex(k);
      }
      return out;
    }
    if (points == 1) {
      return new double[] {0.5};
    }
    double[] out = new double[points];
    for (int k = 0; k < points; k++) {
      out[k] = k / (double) (points - 1);
    }
    return out;
  }

  private static long mulMod(long a, long b, long m) {
    return BigInteger.valueOf(a).multiply(BigInteger.valueOf(b)).mod(BigInteger.valueOf(m)).longValueExact();
  }

  private static long gcd(long a, long b) {
    while (b != 0) {
      long t = a % b;
      a = b;
      b = t;
    }
    return a;
  }

  @Override
  public String toString() {
    return NAME + "(" + size + " points, " + next + " visited)";
  }

  /** The values per dimension, for tests. */
  List<double[]> unitValues() {
    return List.of(values);
  }
}
