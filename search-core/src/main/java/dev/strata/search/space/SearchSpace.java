package dev.strata.search.space;

import dev.strata.search.trial.Configuration;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * A validated search space: what strategies may propose.
 *
 * <p>Strategies work on the flat {@link #dimensions()} and the per-dimension unit vector; the
 * space owns the mapping to and from {@link Configuration}s, including which dimensions are
 * active (conditions and repeat counts). Implementations are immutable and thread-safe.
 */
public interface SearchSpace {

  /** The flat dimensions, repeat slots expanded to their maximum, in a stable order. */
  List<Dimension> dimensions();

  /**
   * The configuration a unit vector stands for (one entry per dimension, each in [0, 1]).
   * Entries of dimensions that end up inactive are ignored.
   */
  Configuration decode(double[] unit);

  /**
   * The unit vector of a configuration: one entry per dimension, {@code Double.NaN} for
   * dimensions that are inactive in it. {@code decode(encode(c))} equals {@code c}.
   */
  double[] encode(Configuration configuration);

  /** A uniformly random valid configuration (log scales honoured). */
  Configuration sample(RandomGenerator random);

  /** The configuration of every parameter's default (or the range's midpoint when it has none). */
  Configuration defaults();

  /**
   * Checks that a configuration belongs to this space: exactly the active parameters, each in
   * range. Throws {@link IllegalArgumentException} naming the first offending path.
   */
  void validate(Configuration configuration);
}
