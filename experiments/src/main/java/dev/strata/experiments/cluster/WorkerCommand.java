package dev.strata.experiments.cluster;

import dev.strata.experiments.spec.BadInputException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code strata worker --cluster --join HOST:PORT}: lends this machine's cores to a coordinator.
 * Runs until Ctrl-C (then it leaves the cluster and its running trials are requeued).
 */
@Command(
    name = "worker",
    mixinStandardHelpOptions = true,
    description = {
      "Joins a Strata cluster and trains trials for its coordinator ('strata run FILE --cluster').",
      "Pulls a trial whenever a thread is free, streams its epochs back, returns its result.",
      "Datasets come from the coordinator once and are cached by content hash.",
      "Without a shared secret (--cluster-secret-file or STRATA_CLUSTER_SECRET) the cluster is"
          + " unauthenticated: use it on a trusted network only."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:stopped (Ctrl-C)",
      "2:bad options, or the coordinator refused this worker (version, secret, experiment)"
    })
public final class WorkerCommand implements Callable<Integer> {

  @Mixin ClusterOptions cluster = new ClusterOptions();

  @Option(names = "--threads", paramLabel = "N", description = "Trials to train at once (default: the cores, ${DEFAULT-VALUE}).")
  int threads = Runtime.getRuntime().availableProcessors();

  @Option(names = "--name", paramLabel = "NAME", description = "Name stored with each trial it runs (default: the host name).")
  String name;

  @Option(names = "--allow-command", paramLabel = "PROGRAM",
      description = "Allow experiments whose objective is this external program (repeatable). Without it,"
          + " a worker refuses command objectives.")
  List<String> allowCommands = new ArrayList<>();

  @Option(names = "--cache-dir", paramLabel = "DIR", description = "Dataset cache (default: ~/.strata/cache/datasets).")
  Path cacheDir;

  @Option(names = "--evaluator-factory", paramLabel = "CLASS", hidden = true,
      description = "An EvaluatorFactory class on the class path (tests and embedding).")
  String factoryClass;

  @Option(names = "--debug", description = "Print stack traces.")
  boolean debug;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    if (!cluster.enabled()) {
      throw new BadInputException("strata worker needs --cluster and --join COORDINATOR_HOST:PORT");
    }
    if (cluster.join.isEmpty() && !cluster.multicast) {
      throw new BadInputException("strata worker needs --join COORDINATOR_HOST:PORT (the coordinator's --cluster-port,"
          + " default " + ClusterConfig.DEFAULT_PORT + ")");
    }
    if (threads < 1) {
      throw new BadInputException("--threads must be >= 1, got " + threads);
    }
    ClusterConfig config;
    try {
      config = cluster.toConfig(false);
      ClusterNode.checkPorts(config);
    } catch (IllegalArgumentException e) {
      throw new BadInputException(e.getMessage());
    }
    EvaluatorFactory factory = factory();
    var err = spec.commandLine().getErr();
    ClusterWorker.Builder b = ClusterWorker.builder(config, factory).threads(threads).log(m -> {
      err.println("strata worker: " + m);
      err.flush();
    });
    if (name != null) {
      b.name(name);
    }
    if (cacheDir != null) {
      b.cache(new DatasetCache(cacheDir));
    }
    ClusterWorker worker = b.build();
    Thread hook = new Thread(worker::close, "strata-worker-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    err.println("strata worker: joining cluster '" + config.clusterName() + "' through " + config.join()
        + (config.secret() == null ? " (unauthenticated: no cluster secret)" : " (signed messages)")
        + (config.tls() == null ? "" : " over TLS"));
    err.flush();
    try {
      worker.run();
    } catch (ClusterWorker.WorkerRefusedException | IllegalArgumentException e) {
      throw new BadInputException(e.getMessage(), e);
    }
    return 0;
  }

  private EvaluatorFactory factory() {
    if (factoryClass == null) {
      return new SpecEvaluatorFactory(allowCommands, ClusterSetup::workerEvaluator);
    }
    try {
      return (EvaluatorFactory) Class.forName(factoryClass).getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException | ClassCastException e) {
      throw new BadInputException("--evaluator-factory " + factoryClass + ": not an EvaluatorFactory with a public"
          + " no-argument constructor (" + e + ")");
    }
  }
}
