package dev.strata.search.fidelity;

import dev.strata.search.strategy.Strategy;
import dev.strata.search.trial.Direction;
import java.util.ArrayList;
import java.util.List;

/**
 * Hyperband (Li et al. 2018): successive-halving brackets {@code s = s_max, ..., 0} that trade the
 * number of configurations against the resource each starts with ({@link Bracket#hyperband}
 * gives the formula). With R = 81, η = 3 the brackets start 81, 34, 15, 8, 5 configurations at
 * resources 1, 3, 9, 27, 81.
 *
 * <p>One iteration is the whole sequence of brackets; {@code iterations} of them are run (0 = until
 * the runner stops asking). Brackets run one after another with a single worker; with several, a
 * bracket waiting for its rung lets the next one start. Not thread-safe; see {@link Scheduler} for
 * the call order and what the strategy is told.
 */
public final class HyperbandScheduler extends BracketScheduler {

  private final List<Bracket> brackets;
  private final int iterations;

  public HyperbandScheduler(Strategy strategy, Direction direction, Fidelity fidelity,
      int iterations) {
    super(strategy, direction, fidelity);
    if (iterations < 0) {
      throw new IllegalArgumentException("iterations must be >= 0, got " + iterations);
    }
    this.brackets = brackets(fidelity);
    this.iterations = iterations;
  }

  /** The brackets of one Hyperband iteration, s = s_max first. */
  public static List<Bracket> brackets(Fidelity fidelity) {
    List<Bracket> out = new ArrayList<>();
    for (int s = fidelity.maxRung(); s >= 0; s--) {
      out.add(Bracket.hyperband(fidelity, s));
    }
    return List.copyOf(out);
  }

  public List<Bracket> brackets() {
    return brackets;
  }

  @Override
  String ruleName() {
    return "hyperband";
  }

  @Override
  Bracket plan(int number) {
    if (iterations > 0 && number >= iterations * brackets.size()) {
      return null;
    }
    return brackets.get(number % brackets.size());
  }
}
