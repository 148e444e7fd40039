package dev.strata.experiments.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.experiments.report.Comparison;
import dev.strata.experiments.report.ParetoSummary;
import dev.strata.experiments.report.RunData;
import dev.strata.experiments.report.TestMetric;
import dev.strata.experiments.store.RunStore;
import dev.strata.runs.BestSoFar;
import dev.strata.runs.RunReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code strata compare DIR}: strategies side by side over seeds. */
@Command(
    name = "compare",
    mixinStandardHelpOptions = true,
    description = {
      "Compares the strategies of a run over seeds.",
      "Compares the strategies of a run: per strategy, the median and inter-quartile range over seeds of the",
      "best-so-far objective after N trials per study (about 10%%, 25%%, 50%% and 100%% of the largest study),",
      "ranked by the median final best (ties: smaller IQR, then the strategy name; a tie is said so). For a",
      "val_ objective, the test metric of each study's best trial (median over seeds) is shown beside it.",
      "--json prints one object: metric, direction, test_metric, ranking, budgets, strategies [{rank, strategy,",
      "seeds, final {median, q1, q3, n}, at [{n, median, q1, q3}], test_median, tied_with}], ties. Read-only.",
      "A multi-objective run also ranks the strategies by their median hypervolume over seeds and shows the",
      "Pareto front (--json: pareto, as in strata status --json)."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:ok", "2:DIR is not a run directory"})
public final class CompareCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "DIR", description = "The run directory.")
  Path runDir;

  @picocli.CommandLine.Option(names = "--json", description = "Print one JSON object instead of the table.")
  boolean json;

  @picocli.CommandLine.Mixin DebugMixin debugOption;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    ResumeCommand.requireRun(runDir);
    try (RunReader reader = RunStore.openSnapshotReader(runDir)) {
      RunData run = RunData.load(reader);
      Comparison c = Comparison.of(run);
      var out = spec.commandLine().getOut();
      if (json) {
        out.println(toJson(run, c).toPrettyString());
      } else {
        out.print(c.table());
        out.print(notes(run, c));
        ParetoSummary.of(run).ifPresent(p -> out.print(p.text(run, 10)));
      }
    }
    spec.commandLine().getOut().flush();
    return 0;
  }

  static final String RANKING = "by the median over seeds of the final best-so-far; ties by the smaller IQR, then by"
      + " strategy name";

  /** Strategies whose final median and IQR equal {@code r}'s (a tie the name order broke). */
  static List<String> tiedWith(Comparison c, Comparison.Row r) {
    List<String> out = new ArrayList<>();
    for (Comparison.Row o : c.rows()) {
      if (o != r && !c.budgets().isEmpty() && !Double.isNaN(r.last().median())
          && Double.compare(o.last().median(), r.last().median()) == 0
          && Double.compare(o.last().iqr(), r.last().iqr()) == 0) {
        out.add(o.strategy());
      }
    }
    return out;
  }

  /** The test metric per strategy and the ranking rule, with each tie named. */
  static String notes(RunData run, Comparison c) {
    StringBuilder b = new StringBuilder();
    Optional<String> test = TestMetric.of(c.metric());
    if (test.isPresent()) {
      b.append(test.get()).append(" of each study's best trial (chosen by ").append(c.metric())
          .append("), median over seeds:\n");
      for (Comparison.Row r : c.rows()) {
        b.append(String.format(Locale.ROOT, "  %-12s %s%n", r.strategy(), Comparison.num(TestMetric.medianOf(run, r.strategy()))));
      }
    }
    b.append("ranking: ").append(RANKING).append('\n');
    List<String> seen = new ArrayList<>();
    for (Comparison.Row r : c.rows()) {
      List<String> tied = tiedWith(c, r);
      if (!tied.isEmpty() && !seen.contains(r.strategy())) {
        List<String> group = new ArrayList<>(List.of(r.strategy()));
        group.addAll(tied);
        seen.addAll(group);
        b.append("tie: ").append(String.join(", ", group)).append(" have the same median ")
            .append(Comparison.num(r.last().median())).append(" and IQR ").append(Comparison.num(r.last().iqr()))
            .append("; their order is by name only\n");
      }
    }
    return b.toString();
  }

  static ObjectNode toJson(RunData run, Comparison c) {
    ObjectMapper m = new ObjectMapper();
    ObjectNode root = m.createObjectNode();
    root.put("metric", c.metric());
    root.put("direction", c.direction().name().toLowerCase(Locale.ROOT));
    Optional<String> test = TestMetric.of(c.metric());
    if (test.isPresent()) {
      root.put("test_metric", test.get());
    } else {
      root.putNull("test_metric");
    }
    root.put("ranking", RANKING);
    c.budgets().forEach(root.putArray("budgets")::add);
    ArrayNode rows = root.putArray("strategies");
    int ties = 0;
    for (Comparison.Row r : c.rows()) {
      ObjectNode o = rows.addObject();
      o.put("rank", r.rank());
      o.put("strategy", r.strategy());
      o.put("seeds", r.seeds());
      ArrayNode at = o.putArray("at");
      for (BestSoFar.Point band : r.atBudget()) {
        ObjectNode a = at.addObject();
        a.put("n", (int) band.x());
        number(a, "median", band.median());
        number(a, "q1", band.q1());
        number(a, "q3", band.q3());
      }
      if (!r.atBudget().isEmpty()) {
        o.set("final", at.get(at.size() - 1).deepCopy());
      }
      number(o, "test_median", TestMetric.medianOf(run, r.strategy()));
      List<String> tied = tiedWith(c, r);
      tied.forEach(o.putArray("tied_with")::add);
      ties += tied.isEmpty() ? 0 : 1;
    }
    root.put("ties", ties > 0);
    ParetoSummary.of(run).ifPresent(p -> root.set("pareto", p.toJson(run)));
    return root;
  }

  private static void number(ObjectNode o, String key, double v) {
    if (Double.isNaN(v)) {
      o.putNull(key);
    } else {
      o.put(key, v);
    }
  }
}
