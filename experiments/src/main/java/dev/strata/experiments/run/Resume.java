package dev.strata.experiments.run;

import dev.strata.experiments.store.RunStore;
import dev.strata.runs.ExperimentRecord;
import dev.strata.runs.RunState;
import dev.strata.search.study.StoredTrial;
import dev.strata.search.trial.StudyRecord;
import dev.strata.search.trial.TrialStatus;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Continues a run after a stop or a crash ({@code strata resume runs/NAME}).
 *
 * <p>{@link #open} opens the run's store and notes the trials a crash left RUNNING ({@link
 * #interrupted()}); the {@link Runner}'s setup marks them INTERRUPTED (no zombies) and runs them
 * again. The caller rebuilds the {@link RunPlan} from {@link #specJson()} (the
 * experiment file as stored) and runs {@link #runner}: the {@link Runner} matches the plan's
 * studies with the stored ones by strategy and seed, rebuilds each strategy and scheduler by
 * replaying the study's call log (every {@code next}, {@code report} and {@code complete} in the
 * order they were made), hands over results that were committed but not yet told, runs the
 * interrupted and never-started trials again with their configurations, indices and seeds, and
 * goes on until each study's budget is reached exactly. It keeps the run's mode (reproducible or
 * not, as stored when the run started) and, in reproducible mode, the window the run started with,
 * so the resumed run proposes what an uninterrupted one would have.
 *
 * <pre>{@code
 * try (Resume resume = Resume.open(runDir)) {
 *   RunPlan plan = parse(resume.specJson());
 *   RunSummary summary = resume.runner(plan, evaluator).progress(bar::update).build().run();
 * }
 * }</pre>
 *
 * <p>Not thread-safe; closing it closes the store.
 */
public final class Resume implements AutoCloseable {

  private final RunStore store;
  private final ExperimentRecord experiment;
  private final List<Long> interrupted;

  private Resume(RunStore store, ExperimentRecord experiment, List<Long> interrupted) {
    this.store = store;
    this.experiment = experiment;
    this.interrupted = interrupted;
  }

  /** Opens a run directory for resuming. */
  public static Resume open(Path runDir) {
    return open(runDir, RunStore.Durability.NORMAL);
  }

  public static Resume open(Path runDir, RunStore.Durability durability) {
    RunStore store = RunStore.open(runDir, durability);
    try {
      ExperimentRecord before = store.experiment();
      // Only reported here: the Runner's setup is the one place that marks them INTERRUPTED.
      List<Long> zombies = new ArrayList<>();
      for (StudyRecord s : store.studies()) {
        for (StoredTrial t : store.studyTrials(s.id())) {
          if (t.record().status() == TrialStatus.RUNNING) {
            zombies.add(t.record().id());
          }
        }
      }
      try (RunLog log = RunLog.open(runDir)) {
        log.info("resuming " + before.name() + " (was " + before.state() + ")"
            + (zombies.isEmpty() ? "" : "; trials left RUNNING, to run again: " + zombies));
      }
      if (before.state().isActive()) {
        store.setState(RunState.CRASHED);
      }
      return new Resume(store, store.experiment(), zombies);
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
  }

  /** The store, open for writing. */
  public RunStore store() {
    return store;
  }

  /** The experiment as stored when the resume opened it. */
  public ExperimentRecord experiment() {
    return experiment;
  }

  /** The experiment file as stored, to rebuild the plan from. */
  public String specJson() {
    return experiment.specJson();
  }

  /** Ids of the trials a crash had left RUNNING. */
  public List<Long> interrupted() {
    return interrupted;
  }

  /**
   * A runner builder for the rebuilt plan. Throws {@link IllegalArgumentException} when the plan's
   * experiment seed differs from the run's (the trials would get other seeds).
   */
  public Runner.Builder runner(RunPlan plan, TrialEvaluator evaluator) {
    RunPlan kept = keepMode(plan);
    return configure(kept, Runner.builder(kept, evaluator, store));
  }

  /** Like {@link #runner(RunPlan, TrialEvaluator)}, running the trials on {@code executor}. */
  public Runner.Builder runner(RunPlan plan, TrialExecutor executor) {
    RunPlan kept = keepMode(plan);
    return configure(kept, Runner.builder(kept, executor, store));
  }

  /**
   * The plan in the mode the run started with: a run started without {@code reproducible} by a
   * build whose default was false resumes as it ran, not in the later default.
   */
  private RunPlan keepMode(RunPlan plan) {
    return store.meta("reproducible").map(Boolean::parseBoolean).filter(r -> r != plan.reproducible())
        .map(plan::withReproducible).orElse(plan);
  }

  private Runner.Builder configure(RunPlan plan, Runner.Builder builder) {
    store.meta("experiment_seed").ifPresent(seed -> {
      if (Long.parseLong(seed) != plan.experimentSeed()) {
        throw new IllegalArgumentException("the run was started with experiment seed " + seed
            + " but the plan has " + plan.experimentSeed() + ": resume with the run's own experiment file");
      }
    });
    if (plan.reproducible()) {
      store.meta("window").ifPresent(w -> builder.window(Integer.parseInt(w)));
    }
    return builder;
  }

  @Override
  public void close() {
    store.close();
  }
}
