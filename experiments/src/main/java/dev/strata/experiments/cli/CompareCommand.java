package dev.strata.experiments.cli;

import dev.strata.experiments.report.Comparison;
import dev.strata.experiments.report.RunData;
import dev.strata.experiments.store.RunStore;
import dev.strata.search.trial.RunReader;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code strata compare DIR}: strategies side by side over seeds. */
@Command(
    name = "compare",
    mixinStandardHelpOptions = true,
    description = {
      "Compares the strategies of a run over seeds.",
      "Compares the strategies of a run: per strategy, the median and inter-quartile range over seeds of the",
      "best-so-far objective after N trials per study (about 10%%, 25%%, 50%% and 100%% of the largest study),",
      "ranked by the median final best (ties: smaller IQR). Read-only."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:ok", "2:DIR is not a run directory"})
public final class CompareCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "DIR", description = "The run directory.")
  Path runDir;

  @picocli.CommandLine.Mixin DebugMixin debugOption;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    ResumeCommand.requireRun(runDir);
    try (RunReader reader = RunStore.openSnapshotReader(runDir)) {
      spec.commandLine().getOut().print(Comparison.of(RunData.load(reader)).table());
    }
    spec.commandLine().getOut().flush();
    return 0;
  }
}
