package dev.strata.experiments.cli;

import dev.strata.experiments.spec.BadInputException;
import dev.strata.experiments.cluster.ClusterCoordinator;
import dev.strata.experiments.cluster.ClusterOptions;
import dev.strata.experiments.cluster.ClusterRecorder;
import dev.strata.experiments.cluster.ClusterSetup;
import dev.strata.experiments.objective.Evaluators;
import dev.strata.experiments.objective.Prescreening;
import dev.strata.experiments.run.TrialEvaluator;
import dev.strata.experiments.run.Resume;
import dev.strata.experiments.run.RunPlan;
import dev.strata.experiments.spec.ExperimentReader;
import dev.strata.experiments.spec.ExperimentSpec;
import dev.strata.experiments.run.Plans;
import dev.strata.experiments.store.RunStore;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code strata resume DIR}: continues a stopped or crashed run. */
@Command(
    name = "resume",
    mixinStandardHelpOptions = true,
    description = {
      "Continues a stopped, killed or crashed run.",
      "Continues a run that was stopped (Ctrl-C), killed or crashed: nothing that finished is lost;",
      "interrupted trials run again with the same configuration and seed, and each study goes on to its budget.",
      "The experiment is rebuilt from the copy stored in the run (paths in it are absolute).",
      "With --cluster this machine coordinates again: workers that ran the first session register",
      "again by themselves (they keep retrying their --join list), and new workers may join."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:the search finished",
      "1:the run failed",
      "2:bad input: DIR is not a run, or its stored experiment no longer loads (e.g. a data file moved)",
      "130:interrupted by Ctrl-C again; resume once more to continue"
    })
public final class ResumeCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "DIR", description = "The run directory, e.g. runs/digits-blocks.")
  Path runDir;

  @Mixin DashboardOptionsMixin dashboard;

  @picocli.CommandLine.Mixin DebugMixin debugOption;

  @Mixin ClusterOptions cluster;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    dashboard.check();
    requireRun(runDir);
    if (cluster.enabled()) {
      ClusterSetup.coordinatorConfig(cluster); // bad cluster options leave the run untouched
    }
    // Everything that can fail on bad input or a cluster node that does not start happens before
    // Resume.open, which writes (RUNNING trials become INTERRUPTED, the state, the log): until the
    // node is up the run is only read.
    ExperimentSpec experiment = ExperimentReader.parseStored(RunStore.readExperiment(runDir).specJson(),
        runDir.resolve("experiment.json").toString(), runDir.toAbsolutePath());
    TrialEvaluator evaluator = Evaluators.create(experiment);
    ClusterRecorder recorder = null;
    ClusterCoordinator coordinator = null;
    if (cluster.enabled()) {
      recorder = new ClusterRecorder();
      coordinator = ClusterSetup.coordinator(experiment, evaluator, cluster, spec.commandLine().getErr(), recorder);
    }
    Resume opened;
    try {
      opened = Resume.open(runDir);
    } catch (RuntimeException e) {
      if (coordinator != null) {
        coordinator.close(); // e.g. another process holds the run: leave the cluster again
      }
      throw e;
    }
    try (Resume resume = opened) {
      var out = spec.commandLine().getOut();
      if (!resume.interrupted().isEmpty()) {
        out.println("trials left running by the last session, to run again: " + resume.interrupted());
      }
      out.println("resuming " + experiment.name() + " (was " + resume.experiment().state() + ")");
      out.flush();
      try (ClusterRecorder recording = recorder == null ? null : recorder.attach(resume.store())) {
        RunPlan plan = Plans.of(experiment);
        var runner = coordinator == null ? resume.runner(plan, evaluator) : resume.runner(plan, coordinator);
        return RunSession.run(runner.strategies(Prescreening.strategies(experiment, evaluator)), plan, resume.store(), runDir, dashboard, out, spec.commandLine().getErr());
      }
    }
  }

  /** Bad input unless {@code dir} holds a run. */
  static void requireRun(Path dir) {
    if (!RunStore.exists(dir)) {
      throw new BadInputException(dir + " is not a run directory (no " + RunStore.DB_FILE + " in it); give the"
          + " directory 'strata run' created, e.g. runs/NAME");
    }
  }
}
