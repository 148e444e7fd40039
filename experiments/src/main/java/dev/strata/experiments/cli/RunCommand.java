package dev.strata.experiments.cli;

import dev.strata.experiments.spec.BadInputException;
import dev.strata.experiments.cluster.ClusterCoordinator;
import dev.strata.experiments.cluster.ClusterOptions;
import dev.strata.experiments.cluster.ClusterRecorder;
import dev.strata.experiments.cluster.ClusterSetup;
import dev.strata.experiments.objective.Preflight;
import dev.strata.experiments.objective.Prescreening;
import dev.strata.experiments.run.RunPlan;
import dev.strata.experiments.run.Runner;
import dev.strata.experiments.run.TrialEvaluator;
import dev.strata.experiments.spec.ExperimentReader;
import dev.strata.experiments.spec.ExperimentSpec;
import dev.strata.experiments.run.Plans;
import dev.strata.experiments.store.RunStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code strata run FILE}: runs a search into {@code runs/NAME/}. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Runs a search into RUNS-DIR/NAME/.",
      "Runs the search an experiment file describes into RUNS-DIR/NAME/ (strata.db, strata.log, experiment.json).",
      "Refuses to touch an existing run directory: continue one with 'strata resume DIR'.",
      "Ctrl-C stops cleanly (running trials are re-run on resume); Ctrl-C twice quits at once."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:the search finished",
      "1:the run failed (no trial completed, or an internal error)",
      "2:bad input: the experiment file, an option, or the data (nothing was created)",
      "130:interrupted by Ctrl-C; 'strata resume DIR' continues"
    })
public final class RunCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "FILE", description = "The experiment file (see docs/experiments.md).")
  Path file;

  @Option(names = "--name", paramLabel = "N", description = "Run name (default: the file's \"name\").")
  String name;

  @Option(names = "--parallel", paramLabel = "N", description = "Trials in flight at once (default: the file's).")
  Integer parallel;

  @Option(names = "--runs-dir", paramLabel = "DIR", defaultValue = "runs",
      description = "Where run directories go (default: ${DEFAULT-VALUE}).")
  Path runsDir;

  @Mixin DashboardOptionsMixin dashboard;

  @picocli.CommandLine.Mixin DebugMixin debugOption;

  @Mixin ClusterOptions cluster;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    dashboard.check();
    ExperimentSpec experiment = ExperimentReader.read(file);
    if (name != null) {
      if (!ExperimentReader.NAME.matcher(name).matches()) {
        throw new BadInputException("--name '" + name + "' is not usable as a directory name; use letters, digits,"
            + " '.', '_' and '-', starting with a letter or digit");
      }
      experiment = experiment.withName(name);
    }
    if (parallel != null) {
      if (parallel < 1) {
        throw new BadInputException("--parallel must be >= 1, got " + parallel);
      }
      experiment = experiment.withParallel(parallel);
    }
    Path runDir = runsDir.resolve(experiment.name());
    checkFresh(runDir);
    TrialEvaluator evaluator = Preflight.check(experiment); // data opened, space mapped: before any file is made
    ClusterRecorder recorder = null;
    ClusterCoordinator coordinator = null;
    if (cluster.enabled()) {
      recorder = new ClusterRecorder();
      coordinator = ClusterSetup.coordinator(experiment, evaluator, cluster, spec.commandLine().getErr(), recorder);
    }
    RunPlan plan = Plans.of(experiment);
    return start(experiment, plan, evaluator, coordinator, runDir, dashboard, spec, recorder);
  }

  /**
   * Refuses an existing run directory (or any non-empty directory) with a hint. A directory that a
   * run stopped during its start-up left half-created (a database without an experiment, nobody
   * holding it) is replaced: its files are removed, with a note on stderr.
   */
  static void checkFresh(Path runDir) {
    if (RunStore.discardHalfCreated(runDir)) {
      System.err.println("strata run: " + runDir + " was left half-created by a run stopped during its start-up; replacing it");
    }
    if (RunStore.exists(runDir)) {
      throw new BadInputException("run directory " + runDir + " already holds a run; continue it with 'strata resume "
          + runDir + "', or choose another name with --name");
    }
    if (Files.isDirectory(runDir)) {
      try (var entries = Files.list(runDir)) {
        if (entries.findAny().isPresent()) {
          throw new BadInputException("run directory " + runDir + " exists and is not empty; choose another name with"
              + " --name or another --runs-dir");
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    } else if (Files.exists(runDir)) {
      throw new BadInputException(runDir + " exists and is not a directory; choose another name with --name");
    }
  }

  /** Creates the store and runs. */
  static int start(ExperimentSpec experiment, RunPlan plan, TrialEvaluator evaluator, Path runDir,
      DashboardOptionsMixin dashboard, CommandSpec spec) {
    return start(experiment, plan, evaluator, null, runDir, dashboard, spec, null);
  }

  /**
   * Creates the store and runs.
   *
   * @param coordinator runs the trials on a cluster (run --cluster), or null to run them here
   * @param recorder records the cluster into the store (run --cluster), or null
   */
  static int start(ExperimentSpec experiment, RunPlan plan, TrialEvaluator evaluator, ClusterCoordinator coordinator,
      Path runDir, DashboardOptionsMixin dashboard, CommandSpec spec, ClusterRecorder recorder) {
    var out = spec.commandLine().getOut();
    var err = spec.commandLine().getErr();
    try (RunStore store = RunStore.create(runDir, experiment.name(), experiment.objective().metric(),
        experiment.objective().direction(), experiment.json());
        ClusterRecorder recording = recorder == null ? null : recorder.attach(store)) {
      if (experiment.file() != null) {
        store.putMeta("experiment_file", experiment.file().toAbsolutePath().toString());
      }
      writeCopy(runDir, experiment);
      out.println("run " + experiment.name() + ": " + ValidateCommand.describe(experiment));
      out.println("run directory: " + runDir + " (log: " + runDir.resolve("strata.log") + ")");
      out.flush();
      Runner.Builder runner = (coordinator == null ? Runner.builder(plan, evaluator, store)
          : Runner.builder(plan, coordinator, store)).strategies(Prescreening.strategies(experiment, evaluator));
      return RunSession.run(runner, plan, store, runDir, dashboard, out, err);
    }
  }

  private static void writeCopy(Path runDir, ExperimentSpec experiment) {
    try {
      Files.writeString(runDir.resolve("experiment.json"), experiment.json() + "\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + runDir.resolve("experiment.json"), e);
    }
  }
}
