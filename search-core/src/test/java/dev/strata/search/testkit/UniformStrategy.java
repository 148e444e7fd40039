package dev.strata.search.testkit;

import dev.strata.search.space.SearchSpace;
import dev.strata.search.strategy.Proposal;
import dev.strata.search.strategy.Strategy;
import dev.strata.search.trial.Outcome;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** A test-local uniform random strategy that records what it is told; optionally finite. */
public final class UniformStrategy implements Strategy {

  private final SearchSpace space;
  private final SplittableRandom random;
  private final int limit;
  private int next;
  public final Map<Integer, Outcome> told = new LinkedHashMap<>();

  public UniformStrategy(SearchSpace space, long seed) {
    this(space, seed, Integer.MAX_VALUE);
  }

  public UniformStrategy(SearchSpace space, long seed, int limit) {
    this.space = space;
    this.random = new SplittableRandom(seed);
    this.limit = limit;
  }

  @Override
  public String name() {
    return "uniform";
  }

  @Override
  public List<Proposal> ask(int n) {
    List<Proposal> out = new ArrayList<>();
    for (int i = 0; i < n && next < limit; i++) {
      out.add(Proposal.of(next++, space.sample(random)));
    }
    return out;
  }

  @Override
  public void tell(int index, Outcome outcome) {
    if (index < 0 || index >= next || told.containsKey(index)) {
      throw new IllegalArgumentException("bad tell " + index);
    }
    told.put(index, outcome);
  }
}
