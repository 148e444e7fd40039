package dev.strata.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code compare --json}, the test metric beside the objective in compare and status, ties said. */
class CompareJsonTest {

  @TempDir Path dir;

  @Test
  void compareJsonCarriesTheTestMetricAndNamesTies() throws Exception {
    Path file = Files.writeString(dir.resolve("c.json"), """
        {"name": "c", "dataset": {"source": "blobs", "samples": 60},
         "space": {"width": {"choice": [4, 8]}, "depth": 1, "epochs": 2},
         "search": {"strategies": ["random", "sobol"], "budget": {"trials": 2}, "seeds": [1, 2], "parallel": 2}}
        """);
    Path runs = dir.resolve("runs");
    assertEquals(0, Cli.execute("run", file.toString(), "--runs-dir", runs.toString()).code());
    Path run = runs.resolve("c");
    Cli.Result r = Cli.execute("compare", run.toString(), "--json");
    assertEquals(0, r.code(), r.err());
    JsonNode json = new ObjectMapper().readTree(r.out());
    assertEquals("val_accuracy", json.get("metric").asText());
    assertEquals("test_accuracy", json.get("test_metric").asText());
    assertTrue(json.get("ranking").asText().contains("then by strategy name"));
    assertEquals(2, json.get("strategies").size());
    for (JsonNode s : json.get("strategies")) {
      assertTrue(s.get("test_median").isNumber(), s.toString());
      assertTrue(s.at("/final/median").isNumber(), s.toString());
    }
    JsonNode a = json.at("/strategies/0/final");
    JsonNode b = json.at("/strategies/1/final");
    boolean tie = a.get("median").asDouble() == b.get("median").asDouble()
        && a.get("q3").asDouble() - a.get("q1").asDouble() == b.get("q3").asDouble() - b.get("q1").asDouble();
    assertEquals(tie, json.get("ties").asBoolean(), r.out());
    assertEquals(tie ? 1 : 0, json.at("/strategies/0/tied_with").size());

    String text = Cli.execute("compare", run.toString()).out();
    assertTrue(text.contains("test_accuracy of each study's best trial (chosen by val_accuracy)"), text);
    assertEquals(tie, text.contains("tie: "), text);
    JsonNode status = new ObjectMapper().readTree(Cli.execute("status", run.toString(), "--json").out());
    assertTrue(status.at("/studies/0/best_test").isNumber(), status.toString());
    assertTrue(Cli.execute("status", run.toString()).out().contains("test_accuracy"));
  }
}
