package dev.strata.search.run;

import dev.strata.search.fidelity.PlainScheduler;
import dev.strata.search.objective.Objective;
import dev.strata.search.objective.TableObjective;
import dev.strata.search.objective.TestFunctions;
import dev.strata.search.space.SearchSpace;
import dev.strata.search.space.SpaceReader;
import dev.strata.search.strategy.Strategies;
import dev.strata.search.strategy.Strategy;
import dev.strata.search.study.InMemoryStudyStore;
import dev.strata.search.study.Study;
import dev.strata.search.study.StudyJob;
import dev.strata.search.trial.Configuration;
import dev.strata.search.trial.Direction;
import dev.strata.search.trial.Outcome;
import dev.strata.search.trial.TrialStatus;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * The sequential optimize loop behind {@code strata optimize}: a {@link Study} over an {@link
 * InMemoryStudyStore}, N times {@code ask}, evaluate, {@code tell}, the same loop a run drives
 * with its executor and SQLite store. Each ask is timed (wall clock, {@link System#nanoTime()});
 * evaluations are not.
 *
 * <p>An evaluation that throws is told FAILED with the exception's message; a non-finite value is
 * told DIVERGED. Neither counts for the best value; the run goes on. The strategy's own errors
 * (e.g. an unknown option) propagate.
 *
 * <p>Entry points for the CLI:
 *
 * <pre>{@code
 * Objective f = Optimization.function("hartmann6");                    // --function
 * Objective t = Optimization.table(csv, "mean_test_acc", MAXIMIZE, null);  // --table --metric [--space]
 * OptimizationResult r = Optimization.run("bayesian", f, 100, 3, Map.of());
 * System.out.println(json ? r.toJson() : r.toText());
 * }</pre>
 *
 * <p>Stateless; each run uses only its arguments, so runs may go on different threads.
 */
public final class Optimization {

  /** Called after each evaluation; for progress bars. */
  @FunctionalInterface
  public interface Listener {
    void evaluated(int index, Configuration configuration, Outcome outcome, double bestSoFar);
  }

  private Optimization() {}

  /** A built-in test function by name ({@link TestFunctions#byName}). */
  public static Objective function(String name) {
    return TestFunctions.byName(name);
  }

  /**
   * A tabular objective; {@code spaceJsonOrNull} is a space file read by {@link SpaceReader} (a
   * {@link dev.strata.search.space.SpaceException} describes its problems), or null to infer the
   * space from the table. See {@link TableObjective#load(Path, String, Direction, SearchSpace)}.
   */
  public static TableObjective table(Path csv, String metric, Direction direction,
      Path spaceJsonOrNull) {
    SearchSpace space = spaceJsonOrNull == null ? null : SpaceReader.read(spaceJsonOrNull);
    return TableObjective.load(csv, metric, direction, space);
  }

  /** Runs a registered strategy ({@link Strategies#create}) for {@code trials} evaluations. */
  public static OptimizationResult run(String strategy, Objective objective, int trials, long seed,
      Map<String, Object> options) {
    Strategy s = Strategies.create(strategy, objective.space(), objective.direction(), seed,
        options == null ? Map.of() : options);
    return run(s, objective, trials, seed, null);
  }

  /** Runs a strategy instance; {@code seed} is only recorded in the result. */
  public static OptimizationResult run(Strategy strategy, Objective objective, int trials,
      long seed) {
    return run(strategy, objective, trials, seed, null);
  }

  /** Like {@link #run(Strategy, Objective, int, long)}, calling {@code listener} (may be null). */
  public static OptimizationResult run(Strategy strategy, Objective objective, int trials, long seed,
      Listener listener) {
    Objects.requireNonNull(strategy, "strategy");
    Objects.requireNonNull(objective, "objective");
    if (trials < 1) {
      throw new IllegalArgumentException("trials must be >= 1, got " + trials);
    }
    Direction direction = objective.direction();
    OptionalDouble optimum = objective.optimum();
    List<Double> trajectory = new ArrayList<>(trials);
    List<Double> regret = new ArrayList<>(optimum.isPresent() ? trials : 0);
    double best = Double.NaN;
    Configuration bestConfiguration = null;
    long askNanos = 0;
    int failures = 0;
    int done = 0;
    List<OptimizationResult.Evaluation> evaluations = new ArrayList<>(trials);
    InMemoryStudyStore store = new InMemoryStudyStore();
    Study study = Study.builder(store, store.addStudy(strategy.name(), seed, trials, Map.of()),
        new PlainScheduler(strategy, 1)).build();
    while (done < trials) {
      long t0 = System.nanoTime();
      boolean asked = study.ask();
      askNanos += System.nanoTime() - t0;
      if (!asked) {
        break; // the space is exhausted
      }
      StudyJob job = study.poll().orElseThrow();
      Outcome outcome = evaluate(objective, job.configuration());
      study.tell(job, outcome, 0, Study.Trained.NOTHING);
      if (outcome.status() == TrialStatus.COMPLETED) {
        if (Double.isNaN(best) || direction.isBetter(outcome.value(), best)) {
          best = outcome.value();
          bestConfiguration = job.configuration();
        }
      } else {
        failures++;
      }
      trajectory.add(best);
      evaluations.add(new OptimizationResult.Evaluation(job.trialIndex(), job.configuration(), outcome.status(),
          outcome.status() == TrialStatus.COMPLETED ? outcome.value() : Double.NaN,
          outcome.status() == TrialStatus.COMPLETED ? null : outcome.reason(), best));
      if (optimum.isPresent()) {
        regret.add(Double.isNaN(best) ? Double.NaN
            : Math.max(0, direction.toLoss(best) - direction.toLoss(optimum.getAsDouble())));
      }
      done++;
      if (listener != null) {
        listener.evaluated(job.trialIndex(), job.configuration(), outcome, best);
      }
    }
    double meanAsk = askNanos / 1e6 / Math.max(1, done + (done < trials ? 1 : 0));
    return new OptimizationResult(strategy.name(), objective.name(), seed, done, direction, best,
        bestConfiguration, trajectory, optimum, regret, meanAsk, failures, evaluations);
  }

  private static Outcome evaluate(Objective objective, Configuration c) {
    double value;
    try {
      value = objective.evaluate(c);
    } catch (RuntimeException e) {
      String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      return Outcome.failed(TrialStatus.FAILED, message);
    }
    if (!Double.isFinite(value)) {
      return Outcome.failed(TrialStatus.DIVERGED, "the objective returned " + value);
    }
    return Outcome.completed(value);
  }
}
