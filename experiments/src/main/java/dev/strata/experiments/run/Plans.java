package dev.strata.experiments.run;

import dev.strata.experiments.spec.BudgetSpec;
import dev.strata.experiments.spec.ExperimentSpec;
import dev.strata.experiments.spec.SchedulerSpec;
import dev.strata.experiments.spec.SearchSpec;
import dev.strata.experiments.spec.StrategySpec;
import dev.strata.search.fidelity.AshaScheduler;
import dev.strata.search.fidelity.Fidelity;
import dev.strata.search.fidelity.HyperbandScheduler;
import dev.strata.search.fidelity.MedianStoppingScheduler;
import dev.strata.search.fidelity.SuccessiveHalvingScheduler;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a checked {@link ExperimentSpec} into the runner's {@link RunPlan}: one study per strategy
 * and seed (strategy-major), the budget, the per-trial limits and the scheduler. Stateless.
 */
public final class Plans {

  private Plans() {}

  public static RunPlan of(ExperimentSpec spec) {
    SearchSpec search = spec.search();
    List<StudyPlan> studies = new ArrayList<>();
    for (StrategySpec s : search.strategies()) {
      for (long seed : search.seeds()) {
        studies.add(new StudyPlan(s.name(), seed, s.options()));
      }
    }
    BudgetSpec b = search.budget();
    Budget budget = new Budget(b.trials(), b.trainSeconds(), b.time());
    return RunPlan.builder(spec.space(), spec.objective().direction(), spec.objective().metric())
        .studies(studies)
        .parallel(search.parallel())
        .reproducible(search.reproducible())
        .experimentSeed(spec.seed())
        .budget(budget)
        .maxEpochs(b.maxEpochs())
        .maxTrialSeconds(b.trialSeconds())
        .scheduler(scheduler(search.scheduler(), b.maxEpochs()))
        .objectives(spec.objective().objectives())
        .build();
  }

  /** The scheduler factory of a spec, or null for none. */
  static SchedulerFactory scheduler(SchedulerSpec s, int maxEpochs) {
    if (s == null) {
      return null;
    }
    Fidelity fidelity = Fidelity.of(s.minResource(), maxEpochs, s.eta());
    return switch (s.type()) {
      case "asha" -> (strategy, direction) -> new AshaScheduler(strategy, direction, fidelity);
      case "hyperband" -> (strategy, direction) -> new HyperbandScheduler(strategy, direction, fidelity, s.iterations());
      case "median-stop" -> (strategy, direction) -> new MedianStoppingScheduler(strategy, direction,
          Fidelity.of(s.minResource(), maxEpochs, Math.max(s.eta(), 1.0001)), s.minTrials());
      case "successive-halving" -> (strategy, direction) -> new SuccessiveHalvingScheduler(strategy, direction,
          fidelity, (int) Math.round(Math.pow(fidelity.eta(), fidelity.maxRung())), s.iterations());
      default -> throw new IllegalArgumentException("unknown scheduler " + s.type());
    };
  }
}
