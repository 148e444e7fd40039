package dev.strata.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A multi-objective, constrained search end to end: a 4 × 4 × 4 table with an accuracy and a
 * parameter count, {@code objectives} [acc max, params min], {@code constraints} params ≤ 600,
 * strategies nsga2 and random; {@code status} and {@code compare} show the Pareto front and the
 * hypervolumes.
 */
class MultiObjectiveRunTest {

  @TempDir Path dir;

  /** acc grows with every layer's width, params too (width² summed); the front trades one for the other. */
  static String table() {
    StringBuilder b = new StringBuilder("a,b,c,acc,params\n");
    int[] widths = {4, 8, 12, 16};
    for (int a : widths) {
      for (int bb : widths) {
        for (int c : widths) {
          double acc = 1 - 1.0 / (1 + 0.05 * a + 0.03 * bb + 0.02 * c);
          int params = a * a + bb * bb + c * c;
          b.append(a).append(',').append(bb).append(',').append(c).append(',')
              .append(String.format(java.util.Locale.ROOT, "%.6f", acc)).append(',').append(params).append('\n');
        }
      }
    }
    return b.toString();
  }

  @Test
  void paretoFrontAndHypervolumeInStatusAndCompare() throws Exception {
    Files.writeString(dir.resolve("t.csv"), table());
    Path file = dir.resolve("mo.json");
    Files.writeString(file, """
        {"name": "mo", "objective": {"table": "t.csv"},
         "objectives": [{"metric": "acc", "direction": "maximize"}, {"metric": "params", "direction": "minimize"}],
         "constraints": [{"metric": "params", "max": 600}],
         "space": {"a": {"choice": [4, 8, 12, 16]}, "b": {"choice": [4, 8, 12, 16]}, "c": {"choice": [4, 8, 12, 16]}},
         "search": {"strategies": [{"name": "nsga2", "population": 8}, "random"], "budget": {"trials": 24},
                    "parallel": 2, "seeds": [1, 2]}}
        """);
    BadInputCorpusTest.Result validate = BadInputCorpusTest.execute("validate", file.toString());
    assertEquals(0, validate.code(), validate.err());
    Path runs = dir.resolve("runs");
    BadInputCorpusTest.Result run = BadInputCorpusTest.execute("run", file.toString(), "--runs-dir", runs.toString());
    assertEquals(0, run.code(), run.err());
    assertTrue(run.out().contains("Pareto front: ") && run.out().contains("hypervolume"), run.out());

    BadInputCorpusTest.Result status = BadInputCorpusTest.execute("status", runs.resolve("mo").toString(), "--json");
    assertEquals(0, status.code(), status.err());
    JsonNode pareto = new ObjectMapper().readTree(status.out()).get("pareto");
    assertEquals("acc", pareto.at("/objectives/0/metric").asText());
    assertEquals("minimize", pareto.at("/objectives/1/direction").asText());
    assertEquals(600.0, pareto.at("/constraints/0/max").asDouble());
    assertEquals(4, pareto.get("hypervolume").size());
    for (JsonNode h : pareto.get("hypervolume")) {
      double v = h.get("value").asDouble();
      assertTrue(v > 0 && v <= 1.1 * 1.1, h.toString());
    }
    assertTrue(pareto.get("front").size() >= 2, pareto.toString());
    double lastAcc = -1;
    double lastParams = -1;
    List<JsonNode> front = new java.util.ArrayList<>();
    pareto.get("front").forEach(front::add);
    front.sort(java.util.Comparator.comparingDouble(n -> n.at("/values/params").asDouble()));
    for (JsonNode t : front) {
      double acc = t.at("/values/acc").asDouble();
      double params = t.at("/values/params").asDouble();
      assertTrue(params <= 600, "an infeasible trial on the front: " + t);
      // the same configuration found by two studies appears twice; otherwise more params buy more acc
      assertTrue((acc == lastAcc && params == lastParams) || (acc > lastAcc && params > lastParams),
          "the front trades acc for params: " + front);
      lastAcc = acc;
      lastParams = params;
    }
    assertEquals(List.of("nsga2", "random"), pareto.get("strategies").findValuesAsText("strategy").stream().sorted().toList());

    BadInputCorpusTest.Result text = BadInputCorpusTest.execute("status", runs.resolve("mo").toString());
    assertTrue(text.out().contains("Pareto front: ") && text.out().contains("hypervolume"), text.out());
    BadInputCorpusTest.Result compare = BadInputCorpusTest.execute("compare", runs.resolve("mo").toString());
    assertEquals(0, compare.code(), compare.err());
    assertTrue(compare.out().contains("hypervolume") && compare.out().contains("nsga2"), compare.out());

    BadInputCorpusTest.Result report = BadInputCorpusTest.execute("report", runs.resolve("mo").toString());
    assertEquals(0, report.code(), report.err());
    String html = Files.readString(runs.resolve("mo/report/index.html"));
    assertTrue(html.contains("<h2>Pareto front</h2>") && html.contains("<h2>Parameter importance</h2>"), html);
  }

  /**
   * A params ceiling is checked on the planned network before training: wide candidates end
   * REJECTED with the reason and their parameter count, untrained (no training seconds), and
   * never appear on the leaderboard.
   */
  @Test
  void aParamsCeilingRejectsWideNetworksBeforeTraining() throws Exception {
    Path file = dir.resolve("ceiling.json");
    Files.writeString(file, """
        {"name": "ceiling", "dataset": {"source": "blobs", "samples": 120},
         "constraints": [{"metric": "params", "max": 200}],
         "space": {"width": {"choice": [4, 64]}, "depth": {"int": [1, 2]}, "epochs": 2},
         "search": {"strategies": ["random"], "budget": {"trials": 8}, "parallel": 2}}
        """);
    Path runs = dir.resolve("runs");
    BadInputCorpusTest.Result run = BadInputCorpusTest.execute("run", file.toString(), "--runs-dir", runs.toString());
    assertEquals(0, run.code(), run.out() + run.err());
    JsonNode status = new ObjectMapper().readTree(
        BadInputCorpusTest.execute("status", runs.resolve("ceiling").toString(), "--json").out());
    int rejected = status.at("/counts/REJECTED").asInt();
    int completed = status.at("/counts/COMPLETED").asInt();
    assertEquals(8, rejected + completed, status.toString());
    assertTrue(rejected >= 1 && completed >= 1, status.toString());
    JsonNode reason = status.get("reasons").get(0);
    assertTrue(reason.get("reason").asText().startsWith("infeasible before training: params "), reason.toString());
    assertTrue(reason.get("reason").asText().contains("params <= 200"), reason.toString());
  }

  /**
   * A measured inference latency as a second goal and as a ceiling checked after training: every
   * trained trial stores {@code latency_ms_b1} and {@code latency_ms_b64} (positive; their sizes
   * are measurements, not asserted), the front carries the latency as a minimised value, and an
   * impossible ceiling leaves every trial trained (not rejected before training) but none on the
   * front.
   */
  @Test
  void aMeasuredLatencyIsAGoalAndAConstraintAfterTraining() throws Exception {
    Path runs = dir.resolve("runs");
    for (String ceiling : List.of("1000", "1e-12")) {
      String name = "latency" + (ceiling.equals("1000") ? "" : "-impossible");
      Path file = dir.resolve(name + ".json");
      Files.writeString(file, """
          {"name": "%s", "dataset": {"source": "blobs", "samples": 120},
           "objectives": [{"metric": "val_accuracy"}, {"metric": "latency_ms_b1"}],
           "constraints": [{"metric": "latency_ms_b64", "max": %s}],
           "space": {"width": {"choice": [4, 64]}, "depth": {"int": [1, 2]}, "epochs": 2},
           "search": {"strategies": ["random"], "budget": {"trials": 4}, "parallel": 1}}
          """.formatted(name, ceiling));
      BadInputCorpusTest.Result run = BadInputCorpusTest.execute("run", file.toString(), "--runs-dir", runs.toString());
      assertEquals(0, run.code(), run.out() + run.err());
      try (dev.strata.runs.RunReader reader = dev.strata.experiments.store.RunStore.openReader(runs.resolve(name))) {
        var trials = reader.trials(new dev.strata.runs.TrialQuery(java.util.Optional.empty(), java.util.Optional.empty(),
            java.util.Optional.empty(), "id", true, 0, 100)).items();
        assertEquals(4, trials.size());
        for (var t : trials) {
          assertEquals(dev.strata.search.trial.TrialStatus.COMPLETED, t.status(), t.toString());
          assertTrue(t.metrics().get("latency_ms_b1") > 0 && t.metrics().get("latency_ms_b64") > 0, t.metrics().toString());
        }
      }
      JsonNode pareto = new ObjectMapper().readTree(
          BadInputCorpusTest.execute("status", runs.resolve(name).toString(), "--json").out()).get("pareto");
      assertEquals("minimize", pareto.at("/objectives/1/direction").asText(), "a latency is minimised");
      if (ceiling.equals("1000")) {
        assertTrue(pareto.get("front").size() >= 1, pareto.toString());
        pareto.get("front").forEach(t -> assertTrue(t.at("/values/latency_ms_b1").asDouble() > 0, t.toString()));
      } else {
        assertEquals(0, pareto.get("front").size(), "every trial breaks the ceiling: " + pareto);
      }
    }
  }
}
