package dev.strata.experiments.report;

import dev.strata.experiments.mapping.NetworkMapper;
import dev.strata.runs.BestSoFar;
import dev.strata.runs.RunReader;
import dev.strata.search.trial.EpochRecord;
import dev.strata.search.trial.StudyRecord;
import dev.strata.search.trial.TrialRecord;
import dev.strata.search.trial.TrialStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Writes a run's report into a directory: {@code index.html} (self-contained, offline: inline CSS
 * and SVG; for network runs the best architectures, drawn by the dashboard's inlined diagram script,
 * see {@link ArchitectureFigures}), {@code trials.csv} (one row per trial, one column per metric) and {@code
 * curves.csv} (one row per epoch of every trial). The plots: best-so-far against trials and
 * against cumulative training time per strategy (median line, inter-quartile band over seeds),
 * and the learning curves of the top trials. Stateless.
 */
public final class HtmlReport {

  /** Learning curves drawn for this many of the best trials. */
  static final int TOP_CURVES = 5;

  /** Leaderboard rows. */
  static final int LEADERBOARD = 20;

  private HtmlReport() {}

  /** Writes the report without the importance section; returns the path of {@code index.html}. */
  public static Path write(RunReader reader, Path outDir) {
    return write(reader, outDir, null);
  }

  /**
   * Writes the report; returns the path of {@code index.html}.
   *
   * @param importance the run's parameter importance ({@code cli.RunImportance}), for the importance
   *     section; null leaves it out
   */
  public static Path write(RunReader reader, Path outDir, dev.strata.runs.ParameterImportance importance) {
    RunData run = RunData.load(reader);
    try {
      Files.createDirectories(outDir);
      writeTrialsCsv(run, outDir.resolve("trials.csv"));
      writeCurvesCsv(run, reader, outDir.resolve("curves.csv"));
      Path index = outDir.resolve("index.html");
      Files.writeString(index, html(run, reader, importance), StandardCharsets.UTF_8);
      return index;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the report into " + outDir + ": " + e.getMessage(), e);
    }
  }

  static String html(RunData run, RunReader reader, dev.strata.runs.ParameterImportance importance) {
    var e = run.experiment();
    Comparison comparison = Comparison.of(run);
    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>Strata report: ")
        .append(SvgChart.escape(e.name())).append("</title>\n<style>\n")
        .append("body{font-family:sans-serif;max-width:1000px;margin:2em auto;color:#222;padding:0 1em}")
        .append("table{border-collapse:collapse;margin:1em 0;font-size:13px}")
        .append("th,td{border-bottom:1px solid #ddd;padding:4px 8px;text-align:right}")
        .append("th{background:#f4f4f4}td.l,th.l{text-align:left}code{font-size:12px}")
        .append(".charts{display:flex;flex-wrap:wrap;gap:1em}.muted{color:#777}\n</style></head><body>\n");
    h.append("<h1>").append(SvgChart.escape(e.name())).append("</h1>\n<p>Objective: <b>")
        .append(e.direction().name().toLowerCase(Locale.ROOT)).append(' ').append(SvgChart.escape(e.metric()))
        .append("</b>. State: ").append(SvgChart.escape(e.state().label())).append(". Created ")
        .append(e.created()).append(", updated ").append(e.updated()).append(". Report written ")
        .append(Instant.now()).append(".</p>\n");
    h.append("<p>Trials: ");
    List<String> parts = new ArrayList<>();
    run.counts().forEach((status, n) -> parts.add(n + " " + status.name().toLowerCase(Locale.ROOT)));
    h.append(parts.isEmpty() ? "none yet" : String.join(", ", parts)).append(".</p>\n");

    h.append("<h2>Strategies</h2>\n<table><tr><th>rank</th><th class=\"l\">strategy</th><th>seeds</th>");
    for (int k : comparison.budgets()) {
      h.append("<th>median [IQR] at ").append(k).append(" trials</th>");
    }
    java.util.Optional<String> test = TestMetric.of(e.metric());
    test.ifPresent(m -> h.append("<th>").append(SvgChart.escape(m)).append(" (median of the best trials)</th>"));
    h.append("</tr>\n");
    for (Comparison.Row r : comparison.rows()) {
      h.append("<tr><td>").append(r.rank()).append("</td><td class=\"l\">").append(SvgChart.escape(r.strategy()))
          .append("</td><td>").append(r.seeds()).append("</td>");
      for (BestSoFar.Point b : r.atBudget()) {
        h.append("<td>").append(Double.isNaN(b.median()) ? "-" : Comparison.num(b.median()) + " ["
            + Comparison.num(b.iqr()) + "]").append("</td>");
      }
      if (test.isPresent()) {
        double v = TestMetric.medianOf(run, r.strategy());
        h.append("<td>").append(Double.isNaN(v) ? "-" : Comparison.num(v)).append("</td>");
      }
      h.append("</tr>\n");
    }
    h.append("</table>\n");
    test.ifPresent(m -> h.append("<p class=\"muted\">").append(SvgChart.escape(m)).append(" is read from each study's best"
        + " trial by ").append(SvgChart.escape(e.metric())).append(", never chosen by the test value, so it stays an"
        + " honest estimate.</p>\n"));

    h.append("<div class=\"charts\">\n");
    h.append(bandChart("Best-so-far vs trials", "trials per study", e.metric(), BestSoFar.byTrials(run.curves())));
    h.append(bandChart("Best-so-far vs training time", "cumulative training seconds per study", e.metric(),
        BestSoFar.bySeconds(run.curves(), 60)));
    h.append(curveChart(run, reader));
    h.append("</div>\n");
    h.append("<p class=\"muted\">Lines: median over seeds; shaded: inter-quartile range. A study that ran fewer"
        + " trials keeps its final best.</p>\n");

    h.append("<h2>Leaderboard</h2>\n<table><tr><th>#</th><th>trial</th><th class=\"l\">study</th><th>")
        .append(SvgChart.escape(e.metric())).append("</th>")
        .append(test.map(m -> "<th>" + SvgChart.escape(m) + "</th>").orElse(""))
        .append("<th>parameters</th><th>train s</th>")
        .append("<th class=\"l\">configuration</th></tr>\n");
    int i = 1;
    for (TrialRecord t : run.leaderboard(LEADERBOARD)) {
      h.append("<tr><td>").append(i++).append("</td><td>").append(t.id()).append("</td><td class=\"l\">")
          .append(SvgChart.escape(run.study(t.studyId()).label())).append("</td><td>").append(Comparison.num(t.value()))
          .append(test.map(m -> "</td><td>" + (t.metrics().containsKey(m) ? Comparison.num(t.metrics().get(m)) : "-")).orElse(""))
          .append("</td><td>").append(t.parameters() == 0 ? "-" : Long.toString(t.parameters())).append("</td><td>")
          .append(String.format(Locale.ROOT, "%.1f", t.trainSeconds())).append("</td><td class=\"l\"><code>")
          .append(SvgChart.escape(clip(t.configuration().canonicalJson(), 220))).append("</code></td></tr>\n");
    }
    h.append("</table>\n");
    h.append(ArchitectureFigures.html(run, reader));
    ParetoSummary.of(run).ifPresent(p -> h.append(paretoSection(run, p)));
    if (importance != null) {
      h.append(importanceSection(run, importance));
    }
    h.append("<p>Data: <a href=\"trials.csv\">trials.csv</a>, <a href=\"curves.csv\">curves.csv</a>.</p>\n");
    h.append("</body></html>\n");
    return h.toString();
  }

  /** The hypervolume per strategy and the run's Pareto front (at most 30 trials), for a multi-objective run. */
  static String paretoSection(RunData run, ParetoSummary p) {
    StringBuilder h = new StringBuilder("<h2>Pareto front</h2>\n<p>Objectives: ");
    h.append(SvgChart.escape(p.objectives().goals().toString()));
    if (!p.objectives().constraints().isEmpty()) {
      h.append(", subject to ").append(SvgChart.escape(p.objectives().constraints().toString()));
    }
    h.append(". Hypervolume per study: its feasible completed trials, every axis normalised to the run's best"
        + " and worst value, reference point 1.1 per axis.</p>\n<table><tr><th class=\"l\">strategy</th><th>seeds</th>"
        + "<th>hypervolume median</th><th>q1</th><th>q3</th></tr>\n");
    for (ParetoSummary.StrategyVolume v : p.ranking()) {
      h.append("<tr><td class=\"l\">").append(SvgChart.escape(v.strategy())).append("</td><td>").append(v.seeds())
          .append("</td><td>").append(Comparison.num(v.median())).append("</td><td>").append(Comparison.num(v.q1()))
          .append("</td><td>").append(Comparison.num(v.q3())).append("</td></tr>\n");
    }
    h.append("</table>\n<table><tr><th>trial</th><th class=\"l\">study</th>");
    p.objectives().goals().forEach(g -> h.append("<th>").append(SvgChart.escape(g.metric())).append("</th>"));
    h.append("</tr>\n");
    for (TrialRecord t : p.front().subList(0, Math.min(30, p.front().size()))) {
      h.append("<tr><td>").append(t.id()).append("</td><td class=\"l\">")
          .append(SvgChart.escape(run.study(t.studyId()).label())).append("</td>");
      for (double v : p.values(t)) {
        h.append("<td>").append(Comparison.num(v)).append("</td>");
      }
      h.append("</tr>\n");
    }
    h.append("</table>\n<p class=\"muted\">").append(p.front().size()).append(" trials on the front")
        .append(p.front().size() > 30 ? ", the first 30 by id shown (strata status --json lists all)" : "")
        .append(".</p>\n");
    return h.toString();
  }

  /**
   * PED-ANOVA importances of the run's feasible COMPLETED trials ({@code strata importance}'s
   * code), or nothing when fewer than 2 count or the space cannot be read.
   */
  static String importanceSection(RunData run, dev.strata.runs.ParameterImportance importance) {
    dev.strata.runs.ParameterImportance.Result result;
    try {
      result = importance.of(run.trials(), dev.strata.runs.ParameterImportance.Method.PED_ANOVA,
          dev.strata.search.importance.PedAnova.DEFAULT_QUANTILE);
    } catch (RuntimeException tooFewOrUnreadable) {
      return "";
    }
    StringBuilder h = new StringBuilder("<h2>Parameter importance</h2>\n<p>PED-ANOVA over ")
        .append(result.trials()).append(" completed feasible trials: how differently the best 10% are distributed"
            + " from all, per parameter; importances sum to 1 (<code>strata importance</code>, also"
            + " <code>--method fanova</code>).</p>\n<table><tr><th class=\"l\">parameter</th><th>importance</th>"
            + "<th class=\"l\"></th></tr>\n");
    result.importance().forEach((name, v) -> h.append("<tr><td class=\"l\">").append(SvgChart.escape(name)).append("</td><td>")
        .append(String.format(Locale.ROOT, "%.3f", v)).append("</td><td class=\"l\">")
        .append("#".repeat((int) Math.round(40 * v))).append("</td></tr>\n"));
    h.append("</table>\n");
    return h.toString();
  }

  private static String bandChart(String title, String xLabel, String metric, List<BestSoFar.Band> bands) {
    SvgChart chart = SvgChart.of(title, xLabel, metric);
    for (BestSoFar.Band band : bands) {
      List<BestSoFar.Point> b = band.defined();
      if (b.isEmpty()) {
        continue;
      }
      double[] x = b.stream().mapToDouble(BestSoFar.Point::x).toArray();
      chart.band(band.strategy(), x, b.stream().mapToDouble(BestSoFar.Point::median).toArray(),
          b.stream().mapToDouble(BestSoFar.Point::q1).toArray(), b.stream().mapToDouble(BestSoFar.Point::q3).toArray());
    }
    return chart.render();
  }

  private static String curveChart(RunData run, RunReader reader) {
    SvgChart chart = SvgChart.of("Learning curves of the top " + TOP_CURVES + " trials", "epoch",
        "validation " + run.experiment().metric());
    for (TrialRecord t : run.leaderboard(TOP_CURVES)) {
      List<EpochRecord> curve = reader.curve(t.id());
      if (curve.isEmpty()) {
        continue;
      }
      chart.line("#" + t.id() + " " + run.study(t.studyId()).strategy(),
          curve.stream().mapToDouble(EpochRecord::epoch).toArray(),
          curve.stream().mapToDouble(EpochRecord::valMetric).toArray());
    }
    return chart.render();
  }

  static void writeTrialsCsv(RunData run, Path file) throws IOException {
    TreeSet<String> metrics = new TreeSet<>();
    run.trials().forEach(t -> metrics.addAll(t.metrics().keySet()));
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      List<String> header = new ArrayList<>(List.of("id", "strategy", "seed", "index", "status", "value", "parameters",
          "flops", "train_seconds", "started", "finished", "worker", "reason"));
      metrics.forEach(m -> header.add("metric." + m));
      boolean cells = run.trials().stream().anyMatch(t -> NetworkMapper.nasBench201(t.configuration()).isPresent());
      if (cells) {
        header.add("nas_bench_201");
      }
      header.add("configuration");
      w.write(Csv.line(header));
      for (TrialRecord t : run.trials()) {
        StudyRecord s = run.study(t.studyId());
        List<String> row = new ArrayList<>(List.of(Long.toString(t.id()), s.strategy(), Long.toString(s.seed()),
            Integer.toString(t.index()), t.status().name(), Csv.cell(t.value()), Long.toString(t.parameters()),
            Csv.cell(t.flops()), Csv.cell(t.trainSeconds()), t.started() == null ? "" : t.started().toString(),
            t.finished() == null ? "" : t.finished().toString(), t.worker(), t.reason()));
        for (String m : metrics) {
          Double v = t.metrics().get(m);
          row.add(v == null ? "" : Csv.cell(v));
        }
        if (cells) {
          row.add(NetworkMapper.nasBench201(t.configuration()).orElse(""));
        }
        row.add(t.configuration().canonicalJson());
        w.write(Csv.line(row));
      }
    }
  }

  static void writeCurvesCsv(RunData run, RunReader reader, Path file) throws IOException {
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write(Csv.line(List.of("trial", "strategy", "seed", "epoch", "train_loss", "val_loss", "val_metric", "seconds")));
      for (TrialRecord t : run.trials()) {
        if (t.status() == TrialStatus.PENDING) {
          continue;
        }
        StudyRecord s = run.study(t.studyId());
        for (EpochRecord e : reader.curve(t.id())) {
          w.write(Csv.line(List.of(Long.toString(t.id()), s.strategy(), Long.toString(s.seed()),
              Integer.toString(e.epoch()), Csv.cell(e.trainLoss()), Csv.cell(e.valLoss()), Csv.cell(e.valMetric()),
              Csv.cell(e.seconds()))));
        }
      }
    }
  }

  private static String clip(String s, int n) {
    return s.length() <= n ? s : s.substring(0, n) + "...";
  }
}
