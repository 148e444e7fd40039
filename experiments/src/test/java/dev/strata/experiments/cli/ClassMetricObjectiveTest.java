package dev.strata.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A search can rank trials by balanced accuracy; every trial records the other class metrics too. */
class ClassMetricObjectiveTest {

  @TempDir Path dir;

  @Test
  void balancedAccuracyIsAnObjectiveAndTheOtherMetricsAreStored() throws Exception {
    Path file = Files.writeString(dir.resolve("ba.json"), """
        {"name": "ba", "dataset": {"source": "blobs", "samples": 90},
         "objective": {"metric": "val_balanced_accuracy"},
         "space": {"width": {"choice": [4, 8]}, "depth": 1, "epochs": 3},
         "search": {"strategies": ["random"], "budget": {"trials": 2}, "parallel": 1}}
        """);
    Path runs = dir.resolve("runs");
    Cli.Result run = Cli.execute("run", file.toString(), "--runs-dir", runs.toString());
    assertEquals(0, run.code(), run.out() + run.err());
    JsonNode status = new ObjectMapper().readTree(Cli.execute("status", runs.resolve("ba").toString(), "--json").out());
    assertEquals("val_balanced_accuracy", status.at("/objective/metric").asText());
    assertEquals("maximize", status.at("/objective/direction").asText());
    double best = status.at("/studies/0/best_value").asDouble(-1);
    assertTrue(best >= 0 && best <= 1, status.toString());
    assertEquals(0, Cli.execute("report", runs.resolve("ba").toString()).code());
    String header = Files.readAllLines(runs.resolve("ba/report/trials.csv")).getFirst();
    for (String m : new String[] {"val_f1_macro", "val_roc_auc", "val_log_loss", "test_balanced_accuracy"}) {
      assertTrue(header.contains(m), m + " in " + header);
    }
    String html = Files.readString(runs.resolve("ba/report/index.html"));
    assertTrue(html.contains("<th>test_balanced_accuracy (median of the best trials)</th>"), "the report shows the test metric");
    assertTrue(html.contains("<th>test_balanced_accuracy</th>"), "and the leaderboard too");
  }
}
