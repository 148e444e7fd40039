package dev.strata.experiments.cli;

import dev.strata.trainer.data.Datasets;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code strata datasets}: lists the built-in datasets and the file sources. */
@Command(
    name = "datasets",
    mixinStandardHelpOptions = true,
    description = "Lists the built-in datasets and the file sources --dataset accepts.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:success"})
public final class DatasetsCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    out.printf("%-12s %-15s %-28s %s%n", "NAME", "TASK", "SHAPE", "DESCRIPTION");
    for (Datasets.Info info : Datasets.list()) {
      out.printf("%-12s %-15s %-28s %s%n", info.name(), info.task(), info.shape(), info.description());
    }
    out.println();
    out.println("Files: csv:PATH (header row; --label COLUMN, default the last), arff:PATH (numeric and nominal");
    out.println("attributes), idx:DIR (MNIST-style; its t10k files are the test part), cifar:DIR (CIFAR-10 binary;");
    out.println("test_batch.bin is the test part), images:DIR (one subfolder of PNG/JPEG files per class).");
    out.println("Missing values: --missing impute; an official test file: --test-data SRC (docs/datasets.md).");
    out.flush();
    return 0;
  }
}
