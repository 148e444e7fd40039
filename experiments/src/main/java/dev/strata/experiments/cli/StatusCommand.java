package dev.strata.experiments.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.experiments.report.Comparison;
import dev.strata.experiments.report.FailureReasons;
import dev.strata.experiments.report.ParetoSummary;
import dev.strata.experiments.report.RunData;
import dev.strata.experiments.report.TestMetric;
import dev.strata.experiments.store.RunStore;
import dev.strata.runs.RunReader;
import dev.strata.search.trial.StudyRecord;
import dev.strata.search.trial.TrialRecord;
import dev.strata.search.trial.TrialStatus;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code strata status DIR [--json]}: where a run stands. Read-only; safe while it runs. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {
      "Shows a run's state, trial counts and per-study progress.",
      "Shows a run's state, trial counts by status, and per study (strategy x seed) its budget, finished",
      "trials and best value. Read-only: safe while the run is going.",
      "Trials that did not complete are counted by status and reason, with the first example of each.",
      "--json prints one object: name, state, objective {metric, direction}, counts {STATUS: n},",
      "reasons [{status, reason, count, first_trial}] (most frequent first),",
      "studies [{strategy, seed, budget, completed (finished trials), best_value, best_sd (k-fold runs: the sd",
      "over folds, also shown as 'best ± sd'), best_trial, best_test}];",
      "best_test (and the text's last column) is the test metric of the study's best trial, for a val_ objective.",
      "A multi-objective run (\"objectives\" in the experiment) also shows each strategy's hypervolume and the",
      "Pareto front; --json adds pareto {objectives, constraints, hypervolume [{strategy, seed, value}],",
      "strategies [{strategy, seeds, median, q1, q3}], front [{trial, study, values {METRIC: v}}]}."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:ok", "2:DIR is not a run directory"})
public final class StatusCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "DIR", description = "The run directory.")
  Path runDir;

  @Option(names = "--json", description = "Print one JSON object instead of text.")
  boolean json;

  @picocli.CommandLine.Mixin DebugMixin debugOption;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    ResumeCommand.requireRun(runDir);
    RunData run;
    try (RunReader reader = RunStore.openSnapshotReader(runDir)) {
      run = RunData.load(reader);
    }
    var out = spec.commandLine().getOut();
    if (json) {
      out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(toJson(run)));
    } else {
      out.print(text(run));
    }
    out.flush();
    return 0;
  }

  /** The {@code --json} object. */
  static ObjectNode toJson(RunData run) {
    ObjectMapper m = new ObjectMapper();
    ObjectNode root = m.createObjectNode();
    root.put("name", run.experiment().name());
    root.put("state", run.experiment().state().label());
    ObjectNode objective = root.putObject("objective");
    objective.put("metric", run.experiment().metric());
    objective.put("direction", run.experiment().direction().name().toLowerCase(Locale.ROOT));
    ObjectNode counts = root.putObject("counts");
    for (TrialStatus s : TrialStatus.values()) {
      counts.put(s.name(), run.counts().getOrDefault(s, 0));
    }
    ArrayNode reasons = root.putArray("reasons");
    for (FailureReasons.Group g : FailureReasons.of(run.trials()).groups()) {
      ObjectNode o = reasons.addObject();
      o.put("status", g.status().name());
      o.put("reason", g.reason());
      o.put("count", g.count());
      o.put("first_trial", g.firstTrial());
    }
    ArrayNode studies = root.putArray("studies");
    for (StudyRecord s : run.studies()) {
      ObjectNode o = studies.addObject();
      o.put("strategy", s.strategy());
      o.put("seed", s.seed());
      o.put("budget", s.budgetTrials());
      List<TrialRecord> trials = run.trialsByStudy().getOrDefault(s.id(), List.of());
      o.put("completed", trials.stream().filter(t -> t.status().isFinished()).count());
      Optional<TrialRecord> best = run.best(s.id());
      if (best.isPresent()) {
        o.put("best_value", best.get().value());
        Double sd = best.get().metrics().get(run.experiment().metric() + "_sd");
        if (sd != null) {
          o.put("best_sd", sd);
        }
        o.put("best_trial", best.get().id());
      } else {
        o.putNull("best_value");
        o.putNull("best_trial");
      }
      double test = TestMetric.ofStudy(run, s.id());
      if (Double.isNaN(test)) {
        o.putNull("best_test");
      } else {
        o.put("best_test", test);
      }
    }
    ParetoSummary.of(run).ifPresent(p -> root.set("pareto", p.toJson(run)));
    return root;
  }

  static String text(RunData run) {
    StringBuilder b = new StringBuilder();
    var e = run.experiment();
    b.append(e.name()).append(": ").append(e.state()).append(", ")
        .append(e.direction().name().toLowerCase(Locale.ROOT)).append(' ').append(e.metric()).append('\n');
    StringBuilder counts = new StringBuilder();
    for (Map.Entry<TrialStatus, Integer> c : run.counts().entrySet()) {
      counts.append(counts.isEmpty() ? "" : ", ").append(c.getValue()).append(' ')
          .append(c.getKey().name().toLowerCase(Locale.ROOT));
    }
    b.append("trials: ").append(counts.isEmpty() ? "none yet" : counts).append('\n');
    for (String line : FailureReasons.of(run.trials()).lines(8, 160)) {
      b.append("  ").append(line).append('\n');
    }
    String testName = TestMetric.of(e.metric()).orElse("");
    b.append(String.format(Locale.ROOT, "%-28s %8s %8s %17s %8s%s%n", "study", "finished", "budget", "best", "trial",
        testName.isEmpty() ? "" : String.format(Locale.ROOT, " %14s", testName)));
    for (StudyRecord s : run.studies()) {
      List<TrialRecord> trials = run.trialsByStudy().getOrDefault(s.id(), List.of());
      long finished = trials.stream().filter(t -> t.status().isFinished()).count();
      Optional<TrialRecord> best = run.best(s.id());
      b.append(String.format(Locale.ROOT, "%-28s %8d %8s %17s %8s%s%n", s.label(), finished,
          s.budgetTrials() == 0 ? "-" : Integer.toString(s.budgetTrials()),
          best.map(t -> best(t, e.metric())).orElse("-"), best.map(t -> Long.toString(t.id())).orElse("-"),
          testName.isEmpty() ? "" : String.format(Locale.ROOT, " %14s", Comparison.num(TestMetric.ofStudy(run, s.id())))));
    }
    ParetoSummary.of(run).ifPresent(p -> b.append(p.text(run, 10)));
    return b.toString();
  }

  /** A best value, with {@code ± sd} over folds for a cross-validated trial. */
  private static String best(TrialRecord t, String metric) {
    Double sd = t.metrics().get(metric + "_sd");
    return Comparison.num(t.value()) + (sd == null ? "" : " ± " + Comparison.num(sd));
  }
}
