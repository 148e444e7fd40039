package dev.strata.search.strategy;

import dev.strata.search.trial.Outcome;
import java.util.List;

/**
 * A strategy that proposes at most {@code limit} configurations, then reports itself exhausted
 * (an empty ask). Schedulers see the budget as the end of the strategy, so they still promote the
 * trials they have. Not thread-safe.
 */
public final class BudgetedStrategy implements Strategy {

  private final Strategy delegate;
  private final int limit;
  private int asked;

  /** @param limit the most configurations proposed; 0 (or less) for no limit */
  public BudgetedStrategy(Strategy delegate, int limit) {
    this.delegate = delegate;
    this.limit = limit <= 0 ? Integer.MAX_VALUE : limit;
  }

  @Override
  public String name() {
    return delegate.name();
  }

  @Override
  public List<Proposal> ask(int n) {
    int allowed = Math.min(n, limit - asked);
    if (allowed <= 0) {
      return List.of();
    }
    List<Proposal> proposals = delegate.ask(allowed);
    asked += proposals.size();
    return proposals;
  }

  @Override
  public void tell(int index, Outcome outcome) {
    delegate.tell(index, outcome);
  }
}
