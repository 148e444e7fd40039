package dev.strata.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trials that do not complete are counted by reason on the console and in {@code status}; a run in
 * which every trial was rejected for one reason exits 2 with that reason.
 */
class FailureReasonsEndToEndTest {

  @TempDir Path dir;

  @Test
  void everyTrialRejectedForOneReasonExitsTwoWithTheReason() throws Exception {
    Path file = Files.writeString(dir.resolve("typo.json"), """
        {"name": "typo", "dataset": {"source": "blobs", "samples": 60},
         "space": {"width": {"choice": [200000]}, "depth": 3, "epochs": 2},
         "search": {"strategies": ["random"], "budget": {"trials": 4}, "parallel": 1}}
        """);
    Path runs = dir.resolve("runs");
    Cli.Result run = Cli.execute("run", file.toString(), "--runs-dir", runs.toString());
    assertEquals(2, run.code(), run.out() + run.err());
    assertTrue(run.out().contains("4 rejected: "), run.out());
    assertTrue(run.out().contains("(first: trial 1)"), run.out());
    String last = run.err().lines().filter(l -> !l.isBlank()).reduce((a, b) -> b).orElseThrow();
    assertTrue(last.startsWith("every trial was rejected: ") && last.contains("memory"), run.err());

    Cli.Result status = Cli.execute("status", runs.resolve("typo").toString());
    assertTrue(status.out().contains("4 rejected: "), status.out());
    JsonNode json = new ObjectMapper().readTree(Cli.execute("status", runs.resolve("typo").toString(), "--json").out());
    assertEquals(1, json.get("reasons").size());
    assertEquals("REJECTED", json.at("/reasons/0/status").asText());
    assertEquals(4, json.at("/reasons/0/count").asInt());
    assertEquals(1, json.at("/reasons/0/first_trial").asInt());
  }
}
