package dev.strata.search.fidelity;

import dev.strata.search.strategy.Strategy;
import dev.strata.search.trial.Direction;
import java.util.Objects;

/**
 * Synchronous successive halving (Jamieson &amp; Talwalkar 2016; Li et al. 2018): start {@code n}
 * configurations at the lowest rung, wait for all of them, promote the best {@code n_1}, and so on
 * up to the maximum resource ({@link Bracket#successiveHalving(Fidelity, int)} gives the sizes).
 *
 * <p>{@code rounds} brackets are run, each with new configurations from the strategy (0 = until
 * the runner stops asking). Intermediate reports are recorded and always answered CONTINUE.
 * Not thread-safe; see {@link Scheduler} for the call order and what the strategy is told.
 */
public final class SuccessiveHalvingScheduler extends BracketScheduler {

  private final Bracket bracket;
  private final int rounds;

  /**
   * @param n configurations started per bracket (the classic choice is η^s_max, so that exactly
   *     one reaches the maximum: {@link #of(Strategy, Direction, Fidelity)})
   * @param rounds brackets to run, 0 for no limit
   */
  public SuccessiveHalvingScheduler(Strategy strategy, Direction direction, Fidelity fidelity,
      int n, int rounds) {
    super(strategy, direction, fidelity);
    if (rounds < 0) {
      throw new IllegalArgumentException("rounds must be >= 0, got " + rounds);
    }
    this.bracket = Bracket.successiveHalving(Objects.requireNonNull(fidelity, "fidelity"), n);
    this.rounds = rounds;
  }

  /** One bracket of η^s_max configurations. */
  public static SuccessiveHalvingScheduler of(Strategy strategy, Direction direction,
      Fidelity fidelity) {
    int n = (int) Math.round(Math.pow(fidelity.eta(), fidelity.maxRung()));
    return new SuccessiveHalvingScheduler(strategy, direction, fidelity, n, 1);
  }

  /** The plan every bracket follows. */
  public Bracket bracket() {
    return bracket;
  }

  @Override
  String ruleName() {
    return "successive-halving";
  }

  @Override
  Bracket plan(int number) {
    return rounds > 0 && number >= rounds ? null : bracket;
  }
}
