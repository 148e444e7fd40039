package dev.strata.experiments.cli;

import dev.strata.experiments.objective.Evaluators;
import dev.strata.experiments.report.HtmlReport;
import dev.strata.experiments.run.Plans;
import dev.strata.experiments.spec.ExperimentReader;
import dev.strata.experiments.spec.ExperimentSpec;
import dev.strata.experiments.store.RunStore;
import dev.strata.runs.RunReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code strata demo}: a short real search on the bundled digits data. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the bundled demo search on the digits data (about 5 minutes on 2 cores).",
      "Runs the bundled demo: evolution, random and bayesian search, 2 seeds each, over networks of plain,",
      "residual and inception blocks on the bundled 8x8 digits (about 5 minutes on 2 cores), then prints the",
      "strategy comparison and writes the HTML report. --print-experiment shows the bundled experiment file",
      "(a class-path resource, dev/strata/experiments/demo/demo.json); save it to start your own."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:ok", "1:the run failed", "2:bad option", "130:interrupted; 'strata resume DIR' continues"})
public final class DemoCommand implements Callable<Integer> {

  /** The bundled experiment. */
  public static final String RESOURCE = "/dev/strata/experiments/demo/demo.json";

  @Option(names = "--runs-dir", paramLabel = "DIR", defaultValue = "runs",
      description = "Where the run directory goes (default: ${DEFAULT-VALUE}).")
  Path runsDir;

  @Option(names = "--print-experiment", description = "Print the demo's experiment file and exit.")
  boolean print;

  @Mixin DashboardOptionsMixin dashboard;

  @picocli.CommandLine.Mixin DebugMixin debugOption;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    dashboard.check();
    if (print) {
      try (var in = DemoCommand.class.getResourceAsStream(RESOURCE)) {
        spec.commandLine().getOut().print(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
      }
      spec.commandLine().getOut().flush();
      return 0;
    }
    ExperimentSpec experiment = ExperimentReader.resource(RESOURCE);
    String name = experiment.name();
    for (int i = 2; RunStore.exists(runsDir.resolve(name)) || nonEmpty(runsDir.resolve(name)); i++) {
      name = experiment.name() + "-" + i;
    }
    experiment = experiment.withName(name);
    Path runDir = runsDir.resolve(name);
    int code = RunCommand.start(experiment, Plans.of(experiment), Evaluators.create(experiment), runDir, dashboard, spec);
    if (code == 0 || code == ErrorHandler.EXIT_INTERRUPTED) {
      try (RunReader reader = RunStore.openReader(runDir)) {
        Path index = HtmlReport.write(reader, runDir.resolve("report"));
        spec.commandLine().getOut().println("report: " + index);
        spec.commandLine().getOut().flush();
      }
    }
    return code;
  }

  private static boolean nonEmpty(Path dir) throws java.io.IOException {
    if (!Files.exists(dir)) {
      return false;
    }
    if (!Files.isDirectory(dir)) {
      return true;
    }
    try (var s = Files.list(dir)) {
      return s.findAny().isPresent();
    }
  }
}
