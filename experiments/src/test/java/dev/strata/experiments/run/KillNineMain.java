package dev.strata.experiments.run;

import dev.strata.experiments.store.RunStore;
import dev.strata.runs.RunState;
import java.nio.file.Path;
import java.util.List;

/**
 * A separate JVM for the kill -9 tests: runs (or resumes) a small reproducible experiment in the
 * given run directory with a synthetic evaluator (Branin, three epochs, a seed-dependent sleep).
 *
 * <p>Usage: {@code KillNineMain RUN_DIR TRIALS_PER_STUDY PARALLEL MAX_SLEEP_MS}. Exit code 0 when
 * the run finished, 3 when it stopped.
 */
public final class KillNineMain {

  private KillNineMain() {}

  static RunPlan plan(int trials, int parallel) {
    return Fixtures.plan()
        .studies(List.of(StudyPlan.of("greedy", 1), StudyPlan.of("random", 1), StudyPlan.of("greedy", 2)))
        .parallel(parallel)
        .reproducible(true)
        .experimentSeed(99)
        .budget(Budget.trials(trials))
        .build();
  }

  public static void main(String[] args) {
    Path dir = Path.of(args[0]);
    RunPlan plan = plan(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
    TrialEvaluator evaluator = Fixtures.branin(3, Integer.parseInt(args[3]));
    RunSummary summary;
    if (RunStore.exists(dir)) {
      try (Resume resume = Resume.open(dir)) {
        summary = resume.runner(plan, evaluator).strategies(Fixtures.STRATEGIES).build().run();
      }
    } else {
      try (RunStore store = RunStore.create(dir, "kill9", "loss", plan.direction(), "{}")) {
        summary = Runner.builder(plan, evaluator, store).strategies(Fixtures.STRATEGIES).build().run();
      }
    }
    System.exit(summary.state() == RunState.FINISHED ? 0 : 3);
  }
}
