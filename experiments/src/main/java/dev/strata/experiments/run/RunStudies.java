package dev.strata.experiments.run;

import dev.strata.experiments.store.RunStore;
import dev.strata.search.fidelity.PlainScheduler;
import dev.strata.search.fidelity.Scheduler;
import dev.strata.search.strategy.BudgetedStrategy;
import dev.strata.search.strategy.Strategy;
import dev.strata.search.strategy.StrategyProvider;
import dev.strata.search.study.Study;
import dev.strata.search.trial.StudyRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The studies of a run, as the plan asks for them: each a strategy within the trial budget, in the
 * plan's scheduler, with the run's seeds. A study already in the store (matched by strategy and
 * seed) is resumed from its call log; a new one is added. Stateless.
 */
final class RunStudies {

  private RunStudies() {}

  static List<Study> open(RunPlan plan, RunStore store, StrategyProvider strategies, int window,
      ProgressTracker progress, RunLog log) {
    Map<String, StudyRecord> stored = new HashMap<>();
    for (StudyRecord r : store.studies()) {
      stored.put(r.label(), r);
    }
    for (StudyRecord r : stored.values()) {
      if (plan.studies().stream().noneMatch(sp -> sp.label().equals(r.label()))) {
        log.warn("study " + r.label() + " is in the run but not in the plan: it is left as it is");
      }
    }
    List<Study> studies = new ArrayList<>();
    for (StudyPlan sp : plan.studies()) {
      StudyRecord record = stored.get(sp.label());
      boolean resumed = record != null;
      if (record == null) {
        record = store.addStudy(sp.strategy(), sp.seed(), plan.budget().trialsPerStudy(), sp.options());
      } else if (record.budgetTrials() != plan.budget().trialsPerStudy()) {
        store.setStudyBudget(record.id(), plan.budget().trialsPerStudy());
      }
      Study s = study(plan, sp, record, store, strategies, window, progress);
      if (resumed) {
        Study.Resumed r = s.resume();
        progress.finished(r.finished());
        log.info("study " + s.label() + " resumed: " + r.calls() + " calls replayed, " + r.toRunAgain()
            + " trials to run again, " + r.toHandOver() + " results to hand over");
      }
      studies.add(s);
    }
    return studies;
  }

  private static Study study(RunPlan plan, StudyPlan sp, StudyRecord record, RunStore store,
      StrategyProvider strategies, int window, ProgressTracker progress) {
    long seed = Seeds.study(plan.experimentSeed(), sp.strategy(), sp.seed());
    Strategy strategy = new BudgetedStrategy(
        strategies.create(sp.strategy(), plan.space(), plan.objectives(), seed, sp.options()),
        plan.budget().trialsPerStudy());
    Scheduler scheduler = plan.scheduler() == null
        ? new PlainScheduler(strategy, Math.max(1, plan.maxEpochs()))
        : Objects.requireNonNull(plan.scheduler().wrap(strategy, plan.direction()), "scheduler");
    Study.Builder b = Study.builder(store, record, scheduler)
        .trialSeeds(index -> Seeds.trial(plan.experimentSeed(), sp.strategy(), sp.seed(), index))
        .trainSecondsBudget(plan.budget().trainSecondsPerStudy())
        .onCompleted(value -> progress.completed(sp.strategy(), value));
    if (plan.objectives() != null) {
      b.objectives(plan.objectives()); // the store keeps each trial's constraint violation
    }
    if (plan.reproducible()) {
      b.ordered(window);
    }
    return b.build();
  }
}
