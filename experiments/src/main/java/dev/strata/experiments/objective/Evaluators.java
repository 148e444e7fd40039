package dev.strata.experiments.objective;

import dev.strata.experiments.run.TrialEvaluator;
import dev.strata.experiments.spec.ExperimentSpec;
import dev.strata.experiments.spec.ObjectiveSource;
import dev.strata.search.objective.TestFunctions;

/**
 * Builds the evaluator an experiment asks for. Loading happens here, once per run (the dataset of
 * a training objective, a table), so bad data fails before a run directory is created. Stateless.
 */
public final class Evaluators {

  private Evaluators() {}

  /**
   * The evaluator of an experiment.
   *
   * @throws dev.strata.trainer.data.DataFormatException when the dataset cannot be loaded
   */
  public static TrialEvaluator create(ExperimentSpec spec) {
    String metric = spec.objective().metric();
    return switch (spec.objective().source()) {
      case ObjectiveSource.Function f -> new FunctionEvaluator(TestFunctions.byName(f.name()), metric);
      case ObjectiveSource.Command c -> new CommandEvaluator(c, metric, spec.space());
      case ObjectiveSource.Table t -> TableEvaluator.of(t, spec.space(), spec.objective().direction());
      case ObjectiveSource.Training t -> prescreened(spec, new TrainingEvaluator(PreparedData.load(t.data()),
          spec.space(), spec.search().budget().maxEpochs(), spec.objective().objectives()));
    };
  }

  /**
   * The training evaluator as the experiment runs it: with {@code search.prescreen}, wrapped so that
   * untrainable trials end without training ({@link PrescreenedEvaluator}); otherwise itself.
   */
  public static TrialEvaluator prescreened(ExperimentSpec spec, TrainingEvaluator training) {
    var prescreen = spec.search().prescreen();
    return prescreen == null ? training
        : new PrescreenedEvaluator(training, new ProxyScorer(training, prescreen.proxy(), prescreen.verdict(),
            prescreen.allScores()));
  }

  /** The training evaluator inside {@code evaluator} (itself, or the one a pre-screened search wraps), or null. */
  public static TrainingEvaluator training(TrialEvaluator evaluator) {
    return switch (evaluator) {
      case TrainingEvaluator t -> t;
      case PrescreenedEvaluator p -> p.training();
      default -> null;
    };
  }
}
