package dev.strata.experiments.objective;

import dev.strata.experiments.spec.ExperimentSpec;
import dev.strata.experiments.spec.PrescreenSpec;
import dev.strata.experiments.run.TrialEvaluator;
import dev.strata.search.prescreen.PrescreenStrategy;
import dev.strata.search.strategy.StrategyProvider;

/**
 * The strategies of a run as its experiment asks for them: search-core's registry, and with {@code
 * search.prescreen} each strategy wrapped in a {@link PrescreenStrategy} that scores candidates
 * with the run's {@link ProxyScorer} and the trial seeds of its study. Without {@code prescreen}
 * this is exactly {@link StrategyProvider#REGISTRY}: nothing changes. Stateless.
 */
public final class Prescreening {

  private Prescreening() {}

  /**
   * The provider for {@code experiment}'s studies.
   *
   * @param evaluator the run's evaluator ({@link Evaluators#create}): with pre-screening, a {@link
   *     PrescreenedEvaluator}
   */
  public static StrategyProvider strategies(ExperimentSpec experiment, TrialEvaluator evaluator) {
    PrescreenSpec p = experiment.search().prescreen();
    if (p == null) {
      return StrategyProvider.REGISTRY;
    }
    if (!(evaluator instanceof PrescreenedEvaluator screened)) {
      throw new IllegalStateException("pre-screening needs the evaluator of Evaluators.create, got " + evaluator);
    }
    ProxyScorer scorer = screened.scorer();
    return (name, space, direction, seed, options) -> new PrescreenStrategy(
        StrategyProvider.REGISTRY.create(name, space, direction, seed, options), scorer.forStudy(seed), p.sample(),
        p.shortlist(), p.proxy());
  }
}
