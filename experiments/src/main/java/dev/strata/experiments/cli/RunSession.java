package dev.strata.experiments.cli;

import dev.strata.dashboard.Dashboard;
import dev.strata.dashboard.RunCatalog;
import dev.strata.dashboard.RunHandle;
import dev.strata.experiments.report.Comparison;
import dev.strata.experiments.report.FailureReasons;
import dev.strata.experiments.report.ParetoSummary;
import dev.strata.experiments.report.RunData;
import dev.strata.experiments.run.RunSummary;
import dev.strata.experiments.run.Runner;
import dev.strata.experiments.run.StopSignals;
import dev.strata.experiments.store.RunStore;
import dev.strata.runs.RunReader;
import dev.strata.search.trial.TrialRecord;
import dev.strata.search.trial.TrialStatus;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Runs a prepared {@link Runner} for the CLI: progress display, Ctrl-C handling, the optional
 * dashboard, and the closing summary with the strategy comparison. Shared by {@code run}, {@code
 * resume} and {@code demo}.
 */
final class RunSession {

  private RunSession() {}

  /**
   * Runs to the end and returns the exit code: 0 finished with at least one COMPLETED trial, 2
   * finished without any because every trial was REJECTED for one reason (printed), 1 finished
   * without any otherwise or crashed, 130 stopped by Ctrl-C (resume continues). The summary counts
   * the trials that did not complete by status and reason ({@link FailureReasons}).
   */
  static int run(Runner.Builder builder, RunStore store, Path runDir, DashboardOptionsMixin dashboard,
      PrintWriter out, PrintWriter err) {
    return run(builder, null, store, runDir, dashboard, out, err);
  }

  /**
   * {@link #run(Runner.Builder, RunStore, Path, DashboardOptionsMixin, PrintWriter, PrintWriter)}
   * for a run with this plan: a wall-clock cap in its budget is shown at the start, bounds the
   * ETA, and is announced at the end when it stopped the run short of its trials.
   */
  static int run(Runner.Builder builder, dev.strata.experiments.run.RunPlan plan, RunStore store, Path runDir,
      DashboardOptionsMixin dashboard, PrintWriter out, PrintWriter err) {
    String name = store.experiment().name();
    Dashboard server = null;
    RunReader dashboardReader = null;
    Runner runner;
    java.time.Duration cap = plan == null ? java.time.Duration.ZERO : plan.budget().wallClock();
    int total = plan == null ? 0 : plan.budget().trialsPerStudy() * plan.studies().size();
    if (!cap.isZero()) {
      out.println("wall-clock cap: " + Durations.format(cap) + " (the budget's time, counted across resumes): no trial"
          + " starts after it" + (total > 0 ? ", even if fewer than the " + total + " trials have run" : "")
          + "; the ETA counts it");
      out.flush();
    }
    try (ProgressDisplay display = ProgressDisplay.open(name, err, ProgressDisplay.isTerminal()).withCap(cap)) {
      runner = builder.progress(display).build();
      if (dashboard != null && dashboard.enabled) {
        dashboardReader = store.reader();
        Runner r = runner;
        RunReader reader = dashboardReader;
        server = Dashboard.start(dashboard.options(), RunCatalog.single(name, RunHandle.live(reader, store, r::requestStop)
            .withDirectory(runDir.toString()).withImportance(new RunImportance(runDir, reader::experiment))),
            Optional.of(new TrialNetworkInspector())).await();
        err.println("dashboard: " + server.url());
        err.flush();
      }
      RunSummary summary;
      try (AutoCloseable signals = StopSignals.install(runner, line -> {
        err.println(line);
        err.flush();
      })) {
        summary = runner.run();
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      display.close();
      if (!cap.isZero() && summary.state() == dev.strata.runs.RunState.FINISHED
          && summary.elapsed().compareTo(cap) >= 0) {
        int ran = summary.byStatus().values().stream().mapToInt(Integer::intValue).sum();
        if (total == 0 || ran < total) {
          out.println("wall-clock cap of " + Durations.format(cap) + " reached: " + ran + (total > 0 ? " of " + total : "")
              + " trials ran; raise the budget's time to run the rest (a busy machine runs fewer trials in it)");
        }
      }
      return finish(summary, store, runDir, out, err);
    } finally {
      if (server != null) {
        server.close().await();
      }
      if (dashboardReader != null) {
        dashboardReader.close();
      }
    }
  }

  private static int finish(RunSummary summary, RunStore store, Path runDir, PrintWriter out, PrintWriter err) {
    List<String> counts = new ArrayList<>();
    for (Map.Entry<TrialStatus, Integer> e : new java.util.TreeMap<>(summary.byStatus()).entrySet()) {
      counts.add(e.getValue() + " " + e.getKey().name().toLowerCase(Locale.ROOT));
    }
    out.println("run " + store.experiment().name() + " " + summary.state() + " after "
        + Durations.format(summary.elapsed()) + ": " + (counts.isEmpty() ? "no trials" : String.join(", ", counts)));
    FailureReasons failures;
    try (RunReader reader = store.reader()) {
      RunData data = RunData.load(reader);
      failures = FailureReasons.of(data.trials());
      for (String line : failures.lines(5, 200)) {
        out.println("  " + line);
      }
      data.best().ifPresent(t -> out.println("best " + data.experiment().metric() + " " + Comparison.num(t.value())
          + (t.metrics().containsKey(data.experiment().metric() + "_sd") ? " ± " + Comparison.num(
              t.metrics().get(data.experiment().metric() + "_sd")) + " (sd over " + Math.round(t.metrics().getOrDefault("folds", 0.0))
              + " folds)" : "")
          + ": trial " + t.id() + " (" + data.study(t.studyId()).label() + ") " + clip(t)));
      out.println();
      out.print(Comparison.of(data).table());
      ParetoSummary.of(data).ifPresent(p -> out.print(p.text(data, 5)));
    }
    out.println();
    out.println("run directory: " + runDir);
    out.println("next: strata report " + runDir + "   |   strata export " + runDir + " --best");
    out.flush();
    return switch (summary.state()) {
      case STOPPED -> {
        err.println("stopped; continue with: strata resume " + runDir);
        err.flush();
        yield ErrorHandler.EXIT_INTERRUPTED;
      }
      case FINISHED -> {
        if (summary.count(TrialStatus.COMPLETED) == 0 && failures.groups().size() == 1
            && failures.groups().getFirst().status() == TrialStatus.REJECTED) {
          // every trial was turned down for one reason: that is bad input, not bad luck
          err.println("every trial was rejected: " + failures.groups().getFirst().reason()
              + "; fix the experiment (check it with 'strata validate') and run again");
          err.flush();
          yield StrataCommand.EXIT_BAD_INPUT;
        }
        if (summary.count(TrialStatus.COMPLETED) == 0) {
          err.println("no trial completed; see " + runDir.resolve("strata.log") + " and 'strata status " + runDir + "'");
          err.flush();
          yield ErrorHandler.EXIT_FAILED;
        }
        yield 0;
      }
      default -> ErrorHandler.EXIT_FAILED;
    };
  }

  private static String clip(TrialRecord t) {
    String json = t.configuration().canonicalJson();
    return json.length() <= 160 ? json : json.substring(0, 157) + "...";
  }
}
