package dev.strata.experiments.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.experiments.report.RunData;
import dev.strata.experiments.spec.BadInputException;
import dev.strata.experiments.spec.ExperimentReader;
import dev.strata.experiments.spec.ExperimentSpec;
import dev.strata.experiments.store.RunStore;
import dev.strata.runs.RunReader;
import dev.strata.search.importance.Fanova;
import dev.strata.search.importance.PedAnova;
import dev.strata.search.trial.Configuration;
import dev.strata.search.trial.TrialRecord;
import dev.strata.search.trial.TrialStatus;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code strata importance DIR [--method ped-anova|fanova] [--quantile Q] [--json]}: which
 * parameters mattered.
 */
@Command(
    name = "importance",
    mixinStandardHelpOptions = true,
    description = {
      "Ranks the parameters of a run by importance (PED-ANOVA or fANOVA).",
      "Ranks the search space's parameters (per-block ones included) over the run's COMPLETED trials of all",
      "studies. --method ped-anova (default, as Optuna 5): how differently the best --quantile of trials",
      "(default 0.1) is distributed from all of them, per parameter. --method fanova: the share of the",
      "variance of a random forest's fitted objective that each parameter explains alone (first-order",
      "fANOVA, 32 trees, seeded). Importances sum to 1. Read-only; safe while the run goes on.",
      "--json prints {\"method\", \"quantile\", \"trials\", \"importance\": {parameter: value}}, largest first."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:ok", "2:DIR is not a run directory, a bad --quantile, or fewer than 2 COMPLETED trials"})
public final class ImportanceCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "DIR", description = "The run directory.")
  Path runDir;

  @Option(names = "--quantile", paramLabel = "Q", description = "Share of trials that counts as best (0, 1]; default 0.1.")
  double quantile = PedAnova.DEFAULT_QUANTILE;

  @Option(names = "--method", paramLabel = "M", description = "ped-anova (default) or fanova.")
  String method = "ped-anova";

  @Option(names = "--json", description = "Print one JSON object instead of text.")
  boolean json;

  @picocli.CommandLine.Mixin DebugMixin debugOption;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    ResumeCommand.requireRun(runDir);
    if (!method.equals("ped-anova") && !method.equals("fanova")) {
      throw new BadInputException("--method must be ped-anova or fanova, got '" + method + "'"
          + dev.strata.search.strategy.Options.didYouMean(method, List.of("ped-anova", "fanova")));
    }
    if (!(quantile > 0 && quantile <= 1)) {
      throw new BadInputException("--quantile must be in (0, 1], got " + quantile);
    }
    RunData run;
    try (RunReader reader = RunStore.openReader(runDir)) {
      run = RunData.load(reader);
    }
    ExperimentSpec experiment = ExperimentReader.parse(run.experiment().specJson(),
        runDir.resolve("experiment.json").toString(), runDir.toAbsolutePath());
    List<Configuration> configurations = new ArrayList<>();
    List<Double> losses = new ArrayList<>();
    for (TrialRecord t : run.trials()) {
      if (t.status() == TrialStatus.COMPLETED && Double.isFinite(t.value())) {
        configurations.add(t.configuration());
        losses.add(run.direction().toLoss(t.value()));
      }
    }
    if (configurations.size() < 2) {
      throw new BadInputException("run " + runDir + " has " + configurations.size()
          + " COMPLETED trials; importance needs at least 2 (check 'strata status " + runDir + "')");
    }
    double[] lossArray = losses.stream().mapToDouble(Double::doubleValue).toArray();
    boolean fanova = method.equals("fanova");
    Map<String, Double> importance = fanova
        ? Fanova.importances(experiment.space(), configurations, lossArray, experiment.seed())
        : PedAnova.importances(experiment.space(), configurations, lossArray, quantile);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      ObjectMapper mapper = new ObjectMapper();
      ObjectNode root = mapper.createObjectNode();
      root.put("method", method);
      if (fanova) {
        root.putNull("quantile");
      } else {
        root.put("quantile", quantile);
      }
      root.put("trials", configurations.size());
      ObjectNode values = root.putObject("importance");
      importance.forEach(values::put);
      out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root));
    } else {
      if (fanova) {
        out.printf(Locale.ROOT, "Parameter importance (fANOVA on a random forest, first-order variance shares of %d"
            + " COMPLETED trials)%n", configurations.size());
      } else {
        out.printf(Locale.ROOT, "Parameter importance (PED-ANOVA, best %.0f%% of %d COMPLETED trials vs all)%n",
            100 * quantile, configurations.size());
      }
      int width = importance.keySet().stream().mapToInt(String::length).max().orElse(9);
      for (var e : importance.entrySet()) {
        int bar = (int) Math.round(40 * e.getValue());
        out.printf(Locale.ROOT, "  %-" + width + "s  %.3f  %s%n", e.getKey(), e.getValue(), "#".repeat(bar));
      }
    }
    out.flush();
    return 0;
  }
}
