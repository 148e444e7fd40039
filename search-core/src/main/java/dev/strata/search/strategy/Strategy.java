package dev.strata.search.strategy;

import dev.strata.search.trial.Outcome;
import java.util.List;

/**
 * A search strategy speaking ask/tell.
 *
 * <p>Call order: {@code ask} any number of times, {@code tell} each proposal's outcome once, in any
 * order, interleaved with further asks (parallel workers keep several trials in flight).
 *
 * <ul>
 *   <li><b>Seedable:</b> the same seed and the same sequence of calls give the same proposals.
 *   <li><b>Rebuildable:</b> a new instance fed the recorded sequence of asks and tells (the tests'
 *       {@code StrategyReplay} does this) is in the same state as the live one; resume depends on it.
 *   <li><b>Robust:</b> FAILED, DIVERGED and REJECTED outcomes are imputed as bad (never NaN) and
 *       never throw.
 * </ul>
 *
 * <p>Not thread-safe: one coordinator thread calls a strategy; it never blocks on training.
 */
public interface Strategy {

  /** The registry name, e.g. {@code "bayesian"}. */
  String name();

  /** Up to {@code n} new proposals (n >= 1); fewer only if the space is exhausted. */
  List<Proposal> ask(int n);

  /**
   * The outcome of the proposal with this index. Telling an unknown index or the same index twice
   * throws {@link IllegalArgumentException}.
   */
  void tell(int index, Outcome outcome);
}
