package dev.strata.search.strategy;

import dev.strata.search.space.SearchSpace;
import dev.strata.search.trial.Direction;

/**
 * Random search: every coordinate of the unit vector uniform in [0, 1], decoded by the space (so
 * log scales are sampled log-uniformly and every integer or category is equally likely). Ignores
 * outcomes. Options: none.
 *
 * <p>Not thread-safe.
 */
public final class RandomStrategy extends AbstractStrategy {

  public static final String NAME = "random";

  public RandomStrategy(SearchSpace space, Direction direction, long seed) {
    super(NAME, space, direction, seed);
  }

  @Override
  Candidate propose(int attempt) {
    return Candidate.of(uniform());
  }
}
