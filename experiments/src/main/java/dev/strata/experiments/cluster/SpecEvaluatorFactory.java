package dev.strata.experiments.cluster;

import dev.strata.experiments.objective.CommandEvaluator;
import dev.strata.experiments.run.TrialEvaluator;
import dev.strata.experiments.spec.ExperimentReader;
import dev.strata.experiments.spec.ExperimentSpec;
import dev.strata.experiments.spec.ObjectiveSource;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;

/**
 * The worker's default {@link EvaluatorFactory}: reads the experiment the coordinator sent and
 * builds the evaluator its objective names. An external command runs only when the worker's
 * operator allowed that program ({@code strata worker --allow-command PROGRAM}): a coordinator can
 * never make a worker run a program its owner did not name. Every other objective goes to the
 * delegate (the single-machine evaluator factory, given the shipped dataset).
 *
 * <p>Immutable and thread-safe.
 */
public final class SpecEvaluatorFactory implements EvaluatorFactory {

  private final List<String> allowedCommands;
  private final BiFunction<ExperimentSpec, DatasetResolver, TrialEvaluator> others;

  /**
   * @param allowedCommands programs (as written in the experiment's {@code command[0]}, or their
   *     file name) the worker may run
   * @param others builds evaluators for the other objectives
   */
  public SpecEvaluatorFactory(List<String> allowedCommands,
      BiFunction<ExperimentSpec, DatasetResolver, TrialEvaluator> others) {
    this.allowedCommands = List.copyOf(allowedCommands);
    this.others = Objects.requireNonNull(others, "others");
  }

  @Override
  public TrialEvaluator create(String experimentJson, DatasetResolver datasets) {
    // Dataset files live on the coordinator: the worker trains on the copy it ships.
    ExperimentSpec spec = ExperimentReader.parseShipped(experimentJson, "experiment from the coordinator");
    if (spec.objective().source() instanceof ObjectiveSource.Command c) {
      String program = c.argv().getFirst();
      String file = Path.of(program).getFileName().toString();
      if (!allowedCommands.contains(program) && !allowedCommands.contains(file)) {
        throw new IllegalArgumentException("the experiment runs the external command '" + program
            + "', which this worker was not allowed to run; start it with --allow-command " + file);
      }
      return new CommandEvaluator(c, spec.objective().metric(), spec.space());
    }
    return others.apply(spec, datasets);
  }
}
