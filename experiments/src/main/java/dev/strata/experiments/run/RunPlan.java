package dev.strata.experiments.run;

import dev.strata.search.space.SearchSpace;
import dev.strata.search.trial.Direction;
import dev.strata.search.trial.Objectives;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What to run: the space, the objective, the studies (strategy × seed), the parallelism, the
 * budget and the per-trial limits. Immutable (the scheduler factory is a function, not state).
 * Built by the experiment-file parser; see {@link Builder} for the defaults.
 *
 * @param metric the objective metric the evaluator reports, e.g. {@code val_accuracy}
 * @param studies one or more, unique by (strategy, seed), interleaved round-robin
 * @param parallel trials in flight at once, one per worker thread (&ge; 1)
 * @param reproducible when true (the builder's default), every strategy hears its results in
 *     trial-index order and is asked at fixed points, so the same plan (same {@code parallel}) gives
 *     the same trials, configurations and metrics with a deterministic evaluator; false lets a free
 *     worker take the next trial at once, for throughput; see {@link Runner}
 * @param experimentSeed the root of every study and trial seed ({@link Seeds})
 * @param maxEpochs epochs per trial passed to the evaluator as {@link TrialContext#resource()}; 0
 *     lets the evaluator use the experiment's own number
 * @param maxTrialSeconds wall-clock seconds after which a trial is asked to stop and ends FAILED
 *     (timed out) unless it still completes; 0 for none
 * @param scheduler a multi-fidelity scheduler around each study's strategy, or null for none
 * @param objectives every goal (the primary one is {@code metric}, {@code direction}) and the
 *     feasibility constraints, handed to each study's strategy
 */
public record RunPlan(
    SearchSpace space,
    Direction direction,
    String metric,
    List<StudyPlan> studies,
    int parallel,
    boolean reproducible,
    long experimentSeed,
    Budget budget,
    int maxEpochs,
    double maxTrialSeconds,
    SchedulerFactory scheduler,
    Objectives objectives) {

  public RunPlan {
    objectives = objectives == null && metric != null && direction != null ? Objectives.of(metric, direction) : objectives;
    Objects.requireNonNull(space, "space");
    Objects.requireNonNull(direction, "direction");
    Objects.requireNonNull(metric, "metric");
    Objects.requireNonNull(budget, "budget");
    studies = List.copyOf(studies);
    if (studies.isEmpty()) {
      throw new IllegalArgumentException("a run needs at least one study (strategy and seed)");
    }
    Set<String> seen = new HashSet<>();
    for (StudyPlan s : studies) {
      if (!seen.add(s.label())) {
        throw new IllegalArgumentException("study " + s.label() + " appears twice: give each strategy distinct seeds");
      }
    }
    if (parallel < 1) {
      throw new IllegalArgumentException("parallel must be >= 1, got " + parallel);
    }
    if (maxEpochs < 0) {
      throw new IllegalArgumentException("max epochs must be >= 0, got " + maxEpochs);
    }
    if (!(maxTrialSeconds >= 0)) {
      throw new IllegalArgumentException("max trial seconds must be >= 0, got " + maxTrialSeconds);
    }
  }

  /** A builder with the defaults listed on {@link Builder}. */
  public static Builder builder(SearchSpace space, Direction direction, String metric) {
    return new Builder(space, direction, metric);
  }

  /** Trials each study keeps in flight at most: ⌈parallel / studies⌉, so every study gets an equal share. */
  public int window() {
    return Math.max(1, (parallel + studies.size() - 1) / studies.size());
  }

  public RunPlan withParallel(int n) {
    return new RunPlan(space, direction, metric, studies, n, reproducible, experimentSeed, budget, maxEpochs,
        maxTrialSeconds, scheduler, objectives);
  }

  public RunPlan withReproducible(boolean value) {
    return new RunPlan(space, direction, metric, studies, parallel, value, experimentSeed, budget, maxEpochs,
        maxTrialSeconds, scheduler, objectives);
  }

  public RunPlan withBudget(Budget b) {
    return new RunPlan(space, direction, metric, studies, parallel, reproducible, experimentSeed, b, maxEpochs,
        maxTrialSeconds, scheduler, objectives);
  }

  /**
   * Builds a {@link RunPlan}. Defaults: one study {@code random} seed 1, {@code parallel} = the
   * number of available processors, reproducible, experiment seed 0, 100 trials per study, no
   * epoch or per-trial time limit, no scheduler.
   */
  public static final class Builder {
    private final SearchSpace space;
    private final Direction direction;
    private final String metric;
    private List<StudyPlan> studies = List.of(StudyPlan.of("random", 1));
    private int parallel = Runtime.getRuntime().availableProcessors();
    private boolean reproducible = true;
    private long experimentSeed;
    private Budget budget = Budget.trials(100);
    private int maxEpochs;
    private double maxTrialSeconds;
    private SchedulerFactory scheduler;
    private Objectives objectives;

    private Builder(SearchSpace space, Direction direction, String metric) {
      this.space = space;
      this.direction = direction;
      this.metric = metric;
    }

    public Builder studies(List<StudyPlan> value) {
      this.studies = value;
      return this;
    }

    /** Every strategy with every seed, strategy-major. */
    public Builder studies(List<String> strategies, List<Long> seeds) {
      List<StudyPlan> out = new java.util.ArrayList<>();
      for (String s : strategies) {
        for (long seed : seeds) {
          out.add(StudyPlan.of(s, seed));
        }
      }
      this.studies = out;
      return this;
    }

    public Builder parallel(int value) {
      this.parallel = value;
      return this;
    }

    public Builder reproducible(boolean value) {
      this.reproducible = value;
      return this;
    }

    public Builder experimentSeed(long value) {
      this.experimentSeed = value;
      return this;
    }

    public Builder budget(Budget value) {
      this.budget = value;
      return this;
    }

    public Builder maxEpochs(int value) {
      this.maxEpochs = value;
      return this;
    }

    public Builder maxTrialSeconds(double value) {
      this.maxTrialSeconds = value;
      return this;
    }

    public Builder scheduler(SchedulerFactory value) {
      this.scheduler = value;
      return this;
    }

    /** Several goals or constraints; default: the one goal {@code metric}, {@code direction}. */
    public Builder objectives(Objectives value) {
      this.objectives = value;
      return this;
    }

    public RunPlan build() {
      return new RunPlan(space, direction, metric, studies, parallel, reproducible, experimentSeed, budget,
          maxEpochs, maxTrialSeconds, scheduler, objectives);
    }
  }
}
