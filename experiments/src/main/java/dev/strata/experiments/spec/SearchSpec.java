package dev.strata.experiments.spec;

import java.util.List;
import java.util.Objects;

/**
 * How the search runs: which strategies compete, each with every seed (one study per pair), the
 * budget per study, how many trials run at once. Immutable.
 *
 * @param parallel trials in flight at once over the whole run (&ge; 1)
 * @param seeds the study seeds; every strategy runs once per seed
 * @param reproducible when true (the default), results do not depend on timing: trials are told
 *     in index order, so a parallel run stores the same trials for the same seed; false trades that
 *     for throughput (a free worker never waits for a study's oldest trial)
 * @param scheduler the multi-fidelity scheduler, or null for none
 * @param prescreen pre-screening at initialisation, or null for none (the default)
 */
public record SearchSpec(
    List<StrategySpec> strategies, BudgetSpec budget, int parallel, List<Long> seeds, boolean reproducible,
    SchedulerSpec scheduler, PrescreenSpec prescreen) {

  /** A search without pre-screening. */
  public SearchSpec(List<StrategySpec> strategies, BudgetSpec budget, int parallel, List<Long> seeds,
      boolean reproducible, SchedulerSpec scheduler) {
    this(strategies, budget, parallel, seeds, reproducible, scheduler, null);
  }

  public SearchSpec {
    strategies = List.copyOf(strategies);
    seeds = List.copyOf(seeds);
    Objects.requireNonNull(budget, "budget");
    if (strategies.isEmpty() || seeds.isEmpty() || parallel < 1) {
      throw new IllegalArgumentException("a search needs strategies, seeds and parallel >= 1");
    }
  }

  public SearchSpec withParallel(int parallel) {
    return new SearchSpec(strategies, budget, parallel, seeds, reproducible, scheduler, prescreen);
  }
}
