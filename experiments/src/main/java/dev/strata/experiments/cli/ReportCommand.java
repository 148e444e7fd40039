package dev.strata.experiments.cli;

import dev.strata.experiments.report.HtmlReport;
import dev.strata.experiments.store.RunStore;
import dev.strata.runs.RunReader;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code strata report DIR}: the HTML report and CSV exports. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = {
      "Writes the HTML report and CSV exports of a run.",
      "Writes a self-contained HTML report (inline SVG plots, no scripts) and CSV exports into DIR/report/:",
      "index.html (best-so-far vs trials and vs training time per strategy with IQR bands over seeds,",
      "the leaderboard, learning curves of the top trials), trials.csv and curves.csv."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:ok", "2:DIR is not a run directory"})
public final class ReportCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "DIR", description = "The run directory.")
  Path runDir;

  @Option(names = "--out", paramLabel = "DIR", description = "Where to write (default: DIR/report).")
  Path out;

  @picocli.CommandLine.Mixin DebugMixin debugOption;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    ResumeCommand.requireRun(runDir);
    Path target = out != null ? out : runDir.resolve("report");
    Path index;
    try (RunReader reader = RunStore.openSnapshotReader(runDir)) {
      index = HtmlReport.write(reader, target, new RunImportance(runDir, reader::experiment));
    }
    spec.commandLine().getOut().println("report: " + index);
    spec.commandLine().getOut().println("data:   " + target.resolve("trials.csv") + ", " + target.resolve("curves.csv"));
    spec.commandLine().getOut().flush();
    return 0;
  }
}
