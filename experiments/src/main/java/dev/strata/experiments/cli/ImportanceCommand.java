package dev.strata.experiments.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.experiments.report.RunData;
import dev.strata.runs.ParameterImportance;
import dev.strata.experiments.spec.BadInputException;
import dev.strata.experiments.store.RunStore;
import dev.strata.runs.RunReader;
import dev.strata.search.importance.PedAnova;
import java.io.PrintWriter;
import java.nio.file.Path;
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
      "Ranks the search space's parameters (per-block ones included) over the run's COMPLETED feasible trials",
      "of all studies (a trial that broke a constraint is left out). --method ped-anova (default, as Optuna 5): how differently the best --quantile of trials",
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
    boolean fanova = method.equals("fanova");
    ParameterImportance.Result result;
    try {
      result = new RunImportance(runDir, run::experiment).of(run.trials(),
          fanova ? ParameterImportance.Method.FANOVA : ParameterImportance.Method.PED_ANOVA, quantile);
    } catch (IllegalArgumentException tooFew) {
      throw new BadInputException("run " + runDir + ": " + tooFew.getMessage() + " (check 'strata status " + runDir + "')");
    }
    Map<String, Double> importance = result.importance();
    int counted = result.trials();
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
      root.put("trials", counted);
      ObjectNode values = root.putObject("importance");
      importance.forEach(values::put);
      out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root));
    } else {
      if (fanova) {
        out.printf(Locale.ROOT, "Parameter importance (fANOVA on a random forest, first-order variance shares of %d"
            + " COMPLETED feasible trials)%n", counted);
      } else {
        out.printf(Locale.ROOT, "Parameter importance (PED-ANOVA, best %.0f%% of %d COMPLETED feasible trials vs all)%n",
            100 * quantile, counted);
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
