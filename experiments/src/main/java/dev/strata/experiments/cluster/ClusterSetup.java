package dev.strata.experiments.cluster;

import dev.strata.experiments.spec.BadInputException;
import dev.strata.experiments.objective.Evaluators;
import dev.strata.experiments.objective.PreparedData;
import dev.strata.experiments.objective.TrainingEvaluator;
import dev.strata.experiments.run.TrialEvaluator;
import dev.strata.experiments.spec.ExperimentSpec;
import dev.strata.experiments.spec.ObjectiveSource;
import dev.strata.trainer.data.Dataset;
import dev.strata.trainer.data.Datasets;
import java.io.PrintWriter;

/**
 * Wires the cluster into the CLI: the coordinator for {@code strata run --cluster} and {@code
 * strata resume --cluster}, and the evaluators a worker builds. Stateless.
 */
public final class ClusterSetup {

  private ClusterSetup() {}

  /**
   * Starts the coordinator for a run and returns it as the run's executor; it leaves the cluster
   * when the JVM exits. Trials run on the workers and on {@code --local-workers} slots of {@code
   * local} (default: this machine's cores, at most the experiment's {@code parallel}).
   *
   * @param log where cluster events are printed (one line each)
   * @param recorder receives the events and worker snapshots; attach it to the run's
   *     store once that is open
   * @throws BadInputException for bad cluster options, and when the cluster node cannot start
   *     (one line: what, which option, what to do)
   */
  public static ClusterCoordinator coordinator(ExperimentSpec experiment, TrialEvaluator local, ClusterOptions options,
      PrintWriter log, ClusterRecorder recorder) {
    ClusterConfig config = coordinatorConfig(options);
    Dataset raw = experiment.objective().source() instanceof ObjectiveSource.Training t
        ? Datasets.load(t.data().source(), t.data().options()) : null;
    ClusterCoordinator.Builder builder = ClusterCoordinator.builder(config, experiment.json())
        .dataset(raw)
        .local(local, options.localWorkers(Math.min(Runtime.getRuntime().availableProcessors(),
            experiment.search().parallel())))
        .events(e -> {
          synchronized (log) {
            log.println("strata cluster: " + e);
            log.flush();
          }
          recorder.accept(e);
        });
    ClusterCoordinator c;
    try {
      c = builder.start();
    } catch (IllegalArgumentException | IllegalStateException e) {
      // Checked options that still fail here (a port taken meanwhile, a node that does not start
      // in time) are the machine's configuration, not a bug: one line, exit 2.
      throw new BadInputException(e.getMessage(), e);
    }
    recorder.snapshots(c::snapshot);
    Runtime.getRuntime().addShutdownHook(new Thread(c::close, "strata-cluster-shutdown"));
    log.println("strata cluster: " + c.describe() + "; workers join with --join " + config.host() + ":" + config.port());
    if (config.secret() == null) {
      log.println("strata cluster: WARNING: no cluster secret: anyone who reaches these ports can join (see docs/cluster.md)");
    }
    log.flush();
    return c;
  }

  /**
   * The coordinator's configuration from the command line, checked (TLS files opened, the host an
   * address of this machine, the ports free): call it
   * before touching a run, so that a bad option leaves the run as it was.
   *
   * @throws BadInputException with a one-line message for a bad option
   */
  public static ClusterConfig coordinatorConfig(ClusterOptions options) {
    try {
      ClusterConfig config = options.toConfig(true);
      ClusterNode.checkPorts(config);
      return config;
    } catch (IllegalArgumentException e) {
      throw new BadInputException(e.getMessage(), e);
    }
  }

  /**
   * A worker's evaluator for every objective but external commands ({@link SpecEvaluatorFactory}
   * handles those): a network trains on the dataset the coordinator shipped, split and
   * preprocessed exactly as on the coordinator; test functions and tables as on one machine.
   */
  public static TrialEvaluator workerEvaluator(ExperimentSpec spec, EvaluatorFactory.DatasetResolver datasets) {
    if (spec.objective().source() instanceof ObjectiveSource.Training t) {
      return Evaluators.prescreened(spec, new TrainingEvaluator(PreparedData.of(t.data(), datasets.resolve(t.data())),
          spec.space(), spec.search().budget().maxEpochs(), spec.objective().objectives()));
    }
    return Evaluators.create(spec);
  }
}
