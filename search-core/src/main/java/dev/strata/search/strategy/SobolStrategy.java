package dev.strata.search.strategy;

import dev.strata.search.space.SearchSpace;
import dev.strata.search.trial.Direction;

/**
 * Quasi-random search: the points of a digitally shifted Sobol sequence ({@link ScrambledSobol},
 * the shift drawn from the seed), decoded by the space. Spreads points more evenly than random
 * search. Ignores outcomes. Spaces with more than 1000 flat dimensions, or none, fall back to
 * uniform random vectors. Options: none.
 *
 * <p>Not thread-safe.
 */
public final class SobolStrategy extends AbstractStrategy {

  public static final String NAME = "sobol";

  private final ScrambledSobol sobol;

  public SobolStrategy(SearchSpace space, Direction direction, long seed) {
    super(NAME, space, direction, seed);
    int d = dims.size();
    sobol = d >= 1 && d <= ScrambledSobol.MAX_DIMENSIONS ? new ScrambledSobol(d, seed) : null;
  }

  @Override
  Candidate propose(int attempt) {
    return Candidate.of(sobol == null ? uniform() : sobol.next());
  }
}
