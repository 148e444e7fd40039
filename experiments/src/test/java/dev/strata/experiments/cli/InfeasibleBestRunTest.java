package dev.strata.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.dashboard.RunCatalog;
import dev.strata.dashboard.RunService;
import dev.strata.experiments.store.RunStore;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import dev.strata.runs.RunReader;
import dev.strata.runs.StudyProgress;
import dev.strata.search.trial.TrialRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A single-objective run with a constraint on a trained metric, end to end: the trial with the
 * best accuracy breaks the latency limit, so status, compare, export's pick and the store's
 * best-so-far, and the dashboard's best, comparison and importance all use the feasible trials
 * only, while the infeasible ones stay stored with their value and reason.
 */
class InfeasibleBestRunTest {

  @TempDir Path dir;

  @Test
  void theBestValuedTrialIsInfeasibleSoEveryViewReportsTheFeasibleBest() throws Exception {
    // acc = (a + b) / 10 and latency = a * b / 100: the best acc (a = b = 4, 0.8) is too slow;
    // the best under latency <= 0.1 is a + b = 6 (a * b <= 10), acc 0.6.
    StringBuilder table = new StringBuilder("a,b,acc,latency_ms_b1\n");
    for (int a = 1; a <= 4; a++) {
      for (int b = 1; b <= 4; b++) {
        table.append(a).append(',').append(b).append(',').append((a + b) / 10.0).append(',').append(a * b / 100.0)
            .append('\n');
      }
    }
    Files.writeString(dir.resolve("t.csv"), table);
    Path file = dir.resolve("c.json");
    Files.writeString(file, """
        {"name": "c", "objective": {"table": "t.csv", "metric": "acc", "direction": "maximize"},
         "constraints": [{"metric": "latency_ms_b1", "max": 0.1}],
         "space": {"a": {"choice": [1, 2, 3, 4]}, "b": {"choice": [1, 2, 3, 4]}},
         "search": {"strategies": ["grid"], "budget": {"trials": 16}, "seeds": [1]}}
        """);
    Path runs = dir.resolve("runs");
    BadInputCorpusTest.Result run = BadInputCorpusTest.execute("run", file.toString(), "--runs-dir", runs.toString());
    assertEquals(0, run.code(), run.err());
    Path runDir = runs.resolve("c");

    try (RunReader reader = RunStore.openReader(runDir)) {
      List<TrialRecord> trials = reader.trialsAfter(0, 100);
      assertEquals(16, trials.size());
      TrialRecord fastest = trials.stream().filter(t -> t.value() == 0.8).findFirst().orElseThrow();
      assertFalse(fastest.isFeasible(), "a = b = 4 breaks the latency limit");
      assertTrue(fastest.reason().startsWith("infeasible: latency_ms_b1 0.16 breaks latency_ms_b1 <= 0.1"),
          fastest.reason());
      assertEquals(3, trials.stream().filter(t -> !t.isFeasible()).count(), "a * b > 10 for 3 of the 16 rows");
      StudyProgress p = reader.studyProgress().orElseThrow().getFirst();
      assertEquals(0.6, p.steps().getLast().value(), 1e-12, "the store's best-so-far");
    }

    BadInputCorpusTest.Result status = BadInputCorpusTest.execute("status", runDir.toString(), "--json");
    assertEquals(0, status.code(), status.err());
    JsonNode study = new ObjectMapper().readTree(status.out()).at("/studies/0");
    assertEquals(0.6, study.get("best_value").asDouble(), 1e-12, status.out());

    BadInputCorpusTest.Result compare = BadInputCorpusTest.execute("compare", runDir.toString(), "--json");
    assertEquals(0, compare.code(), compare.err());
    JsonNode last = new ObjectMapper().readTree(compare.out()).at("/strategies/0/final");
    assertEquals(0.6, last.get("median").asDouble(), 1e-12, compare.out());

    // The dashboard over the same run: the leaderboard's best, the comparison's curve, the front.
    try (RunCatalog catalog = DashboardCommand.catalog(runs)) {
      RunService service = new RunService(catalog);
      JsonObject best = service.run("c").getJsonArray("best").getJsonObject(0);
      assertEquals(0.6, best.getDouble("value"), 1e-12, best.encode());
      JsonArray curve = service.comparison("c").getJsonArray("studies").getJsonObject(0).getJsonArray("best");
      assertEquals(0.6, curve.getDouble(curve.size() - 1), 1e-12, curve.encode());
      JsonObject importance = service.importance("c", "ped-anova");
      assertTrue(importance.getBoolean("available"), importance.encode());
      assertEquals(13, importance.getInteger("trials"), "the 13 feasible trials");
      // the same code as strata importance: the same numbers
      BadInputCorpusTest.Result cli = BadInputCorpusTest.execute("importance", runDir.toString(), "--json");
      assertEquals(0, cli.code(), cli.err());
      JsonNode ranked = new ObjectMapper().readTree(cli.out()).get("importance");
      JsonArray parameters = importance.getJsonArray("parameters");
      assertEquals(ranked.size(), parameters.size());
      for (int i = 0; i < parameters.size(); i++) {
        JsonObject p = parameters.getJsonObject(i);
        assertEquals(ranked.get(p.getString("name")).asDouble(), p.getDouble("importance"), 1e-12, cli.out());
      }
    }
  }
}
