package dev.strata.experiments.report;

import dev.strata.runs.BestSoFar;
import dev.strata.search.trial.Direction;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Strategies compared over seeds: for each strategy, the median and inter-quartile range of the
 * best-so-far at several budgets (numbers of results per study), and a ranking by the median
 * final best-so-far (ties broken by the smaller IQR, then the name). The curves and the summary
 * over seeds are search-core's {@link BestSoFar}, the one definition the dashboard also draws. Immutable.
 *
 * @param budgets the budgets (results per study) shown, increasing; the last is the largest study
 */
public record Comparison(String metric, Direction direction, List<Integer> budgets, List<Row> rows) {

  /**
   * One strategy.
   *
   * @param atBudget one point per budget (NaN median until every seed has a value)
   * @param rank 1 for the best; strategies without any value rank last
   */
  public record Row(String strategy, int seeds, List<BestSoFar.Point> atBudget, int rank) {
    public BestSoFar.Point last() {
      return atBudget.getLast();
    }
  }

  public Comparison {
    budgets = List.copyOf(budgets);
    rows = List.copyOf(rows);
  }

  /** Compares the strategies of a run at about 10 %, 25 %, 50 % and 100 % of the largest study. */
  public static Comparison of(RunData run) {
    List<BestSoFar.StudyCurve> curves = run.curves();
    int max = curves.stream().mapToInt(BestSoFar.StudyCurve::trials).max().orElse(0);
    TreeSet<Integer> chosen = new TreeSet<>();
    for (double f : new double[] {0.1, 0.25, 0.5, 1.0}) {
      int k = (int) Math.round(max * f);
      if (k >= 1) {
        chosen.add(k);
      }
    }
    List<Integer> budgets = List.copyOf(chosen);
    Map<String, BestSoFar.Band> bands = new LinkedHashMap<>();
    BestSoFar.byTrials(curves, budgets.stream().mapToDouble(Integer::doubleValue).toArray())
        .forEach(b -> bands.put(b.strategy(), b));
    Direction direction = run.direction();
    List<Row> unranked = new ArrayList<>();
    for (String strategy : run.strategies()) {
      BestSoFar.Band b = bands.get(strategy);
      List<BestSoFar.Point> at = new ArrayList<>();
      for (int i = 0; i < budgets.size(); i++) {
        at.add(b == null ? new BestSoFar.Point(budgets.get(i), Double.NaN, Double.NaN, Double.NaN, 0) : b.point(i));
      }
      int seeds = (int) run.studies().stream().filter(s -> s.strategy().equals(strategy)).count();
      unranked.add(new Row(strategy, seeds, at, 0));
    }
    Comparator<Row> order = Comparator
        .comparingDouble((Row r) -> budgets.isEmpty() || Double.isNaN(r.last().median()) ? Double.POSITIVE_INFINITY
            : direction.toLoss(r.last().median()))
        .thenComparingDouble(r -> budgets.isEmpty() || Double.isNaN(r.last().iqr()) ? Double.POSITIVE_INFINITY : r.last().iqr())
        .thenComparing(Row::strategy);
    List<Row> sorted = new ArrayList<>(unranked);
    if (!budgets.isEmpty()) {
      sorted.sort(order);
    }
    List<Row> ranked = new ArrayList<>();
    for (int i = 0; i < sorted.size(); i++) {
      Row r = sorted.get(i);
      ranked.add(new Row(r.strategy(), r.seeds(), r.atBudget(), i + 1));
    }
    return new Comparison(run.experiment().metric(), direction, budgets, ranked);
  }

  /** A plain-text table, ranked best first. */
  public String table() {
    StringBuilder out = new StringBuilder();
    out.append("Best-so-far ").append(metric).append(" (").append(direction.name().toLowerCase(Locale.ROOT))
        .append("), median [IQR] over seeds, after N trials per study\n");
    List<String> header = new ArrayList<>(List.of("rank", "strategy", "seeds"));
    budgets.forEach(k -> header.add("N=" + k));
    List<List<String>> cells = new ArrayList<>();
    cells.add(header);
    for (Row r : rows) {
      List<String> line = new ArrayList<>(List.of(Integer.toString(r.rank()), r.strategy(), Integer.toString(r.seeds())));
      for (BestSoFar.Point b : r.atBudget()) {
        line.add(Double.isNaN(b.median()) ? "-" : num(b.median()) + " [" + num(b.iqr()) + "]");
      }
      cells.add(line);
    }
    int[] widths = new int[header.size()];
    for (List<String> line : cells) {
      for (int i = 0; i < line.size(); i++) {
        widths[i] = Math.max(widths[i], line.get(i).length());
      }
    }
    for (List<String> line : cells) {
      StringBuilder l = new StringBuilder();
      for (int i = 0; i < line.size(); i++) {
        String cell = line.get(i);
        l.append(i == 1 ? pad(cell, widths[i]) : padLeft(cell, widths[i]));
        if (i < line.size() - 1) {
          l.append("  ");
        }
      }
      out.append(l.toString().stripTrailing()).append('\n');
    }
    return out.toString();
  }

  /** A number with 4 decimals, or scientific notation when very small or large; "-" for NaN. */
  public static String num(double v) {
    if (Double.isNaN(v)) {
      return "-";
    }
    double a = Math.abs(v);
    if (a != 0 && (a < 1e-3 || a >= 1e6)) {
      return String.format(Locale.ROOT, "%.3e", v);
    }
    return String.format(Locale.ROOT, "%.4f", v);
  }

  private static String pad(String s, int w) {
    return s + " ".repeat(Math.max(0, w - s.length()));
  }

  private static String padLeft(String s, int w) {
    return " ".repeat(Math.max(0, w - s.length())) + s;
  }
}
