package dev.strata.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.experiments.store.Schema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** run, status, compare, report, export and resume on a quick test-function and a tiny network run. */
class CommandsEndToEndTest {

  @TempDir Path dir;

  private BadInputCorpusTest.Result strata(String... args) {
    return BadInputCorpusTest.execute(args);
  }

  @Test
  void aFunctionRunFromStartToReport() throws Exception {
    Path file = dir.resolve("branin.json");
    Files.writeString(file, """
        {"name": "branin-e2e", "objective": {"function": "branin"},
         "search": {"strategies": ["random", "sobol"], "budget": {"trials": 12}, "parallel": 2, "seeds": [1, 2]}}
        """);
    Path runs = dir.resolve("runs");
    var run = strata("run", file.toString(), "--runs-dir", runs.toString());
    assertEquals(0, run.code(), run.err());
    assertTrue(run.out().contains("finished"), run.out());
    assertTrue(run.out().contains("rank  strategy"), run.out());
    Path runDir = runs.resolve("branin-e2e");
    assertTrue(Files.isRegularFile(runDir.resolve("strata.db")));
    assertTrue(Files.isRegularFile(runDir.resolve("strata.log")));
    assertTrue(Files.isRegularFile(runDir.resolve("experiment.json")));

    var status = strata("status", runDir.toString(), "--json");
    assertEquals(0, status.code(), status.err());
    JsonNode json = new ObjectMapper().readTree(status.out());
    assertEquals("branin-e2e", json.get("name").asText());
    assertEquals("finished", json.get("state").asText());
    assertEquals("value", json.at("/objective/metric").asText());
    assertEquals("minimize", json.at("/objective/direction").asText());
    assertEquals(48, json.at("/counts/COMPLETED").asInt());
    assertEquals(4, json.get("studies").size());
    for (JsonNode s : json.get("studies")) {
      assertEquals(12, s.get("budget").asInt());
      assertEquals(12, s.get("completed").asInt());
      assertTrue(s.get("best_value").isNumber() && s.get("best_trial").isNumber(), s.toString());
    }

    var compare = strata("compare", runDir.toString());
    assertEquals(0, compare.code());
    assertTrue(compare.out().lines().anyMatch(l -> l.contains("random")) && compare.out().contains("N=12"),
        compare.out());

    var importance = strata("importance", runDir.toString(), "--json");
    assertEquals(0, importance.code(), importance.err());
    JsonNode ranked = new ObjectMapper().readTree(importance.out());
    assertEquals(48, ranked.get("trials").asInt());
    assertEquals(2, ranked.get("importance").size(), importance.out());
    double sum = 0;
    for (JsonNode v : ranked.get("importance")) {
      sum += v.asDouble();
    }
    assertEquals(1.0, sum, 1e-9, importance.out());
    assertEquals(2, strata("importance", runDir.toString(), "--quantile", "0").code());
    var fanova = strata("importance", runDir.toString(), "--method", "fanova", "--json");
    assertEquals(0, fanova.code(), fanova.err());
    JsonNode forest = new ObjectMapper().readTree(fanova.out());
    assertEquals("fanova", forest.get("method").asText());
    assertEquals(2, forest.get("importance").size(), fanova.out());
    var badMethod = strata("importance", runDir.toString(), "--method", "fanvoa");
    assertEquals(2, badMethod.code());
    assertTrue(badMethod.err().contains("did you mean 'fanova'"), badMethod.err());

    var report = strata("report", runDir.toString());
    assertEquals(0, report.code(), report.err());
    String html = Files.readString(runDir.resolve("report/index.html"));
    assertTrue(html.contains("<svg") && !html.contains("<script"), "self-contained SVG report");
    List<String> trials = Files.readAllLines(runDir.resolve("report/trials.csv"));
    assertEquals(49, trials.size());
    assertTrue(Files.isRegularFile(runDir.resolve("report/curves.csv")));

    var export = strata("export", runDir.toString(), "--best");
    assertEquals(0, export.code(), export.err());
    Path exported = Files.list(runDir.resolve("export")).findFirst().orElseThrow();
    assertTrue(Files.readString(exported.resolve("provenance.json")).contains("\"trialSeed\""));

    var again = strata("run", file.toString(), "--runs-dir", runs.toString());
    assertEquals(2, again.code());
    assertTrue(again.err().contains("strata resume"), again.err());

    var resume = strata("resume", runDir.toString());
    assertEquals(0, resume.code(), resume.err());

    // The same run as an older Strata (schema version 2, before the workers table) left it:
    // resume reads its experiment, migrates it and keeps every trial.
    String trialsBefore;
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + runDir.resolve("strata.db"));
        Statement st = c.createStatement()) {
      st.executeUpdate("DROP TABLE workers");
      for (String trigger : List.of("trials_counted", "trials_recounted", "trials_uncounted", "trials_inserted_finished", "trials_finished")) {
        st.executeUpdate("DROP TRIGGER " + trigger); // and the aggregates of version 4
      }
      for (String table : List.of("trial_counts", "study_progress", "best_changes", "pareto_front")) {
        st.executeUpdate("DROP TABLE " + table);
      }
      for (String index : List.of("trials_by_parameters", "trials_by_train_seconds", "trials_by_finished")) {
        st.executeUpdate("DROP INDEX " + index);
      }
      st.executeUpdate("UPDATE meta SET value = '2' WHERE key = 'schema_version'");
      trialsBefore = trialRows(st);
    }
    var resumeOld = strata("resume", runDir.toString());
    assertEquals(0, resumeOld.code(), resumeOld.err());
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + runDir.resolve("strata.db"));
        Statement st = c.createStatement()) {
      assertEquals(trialsBefore, trialRows(st));
      try (ResultSet rs = st.executeQuery("SELECT value FROM meta WHERE key = 'schema_version'")) {
        assertEquals(String.valueOf(Schema.CURRENT_VERSION), rs.next() ? rs.getString(1) : null);
      }
      try (ResultSet rs = st.executeQuery(
          "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'workers'")) {
        assertEquals(1, rs.next() ? rs.getInt(1) : 0, "the workers table is back");
      }
    }
  }

  private static String trialRows(Statement st) throws SQLException {
    StringBuilder rows = new StringBuilder();
    try (ResultSet rs = st.executeQuery("SELECT id, status, value, config_json FROM trials ORDER BY id")) {
      while (rs.next()) {
        rows.append(rs.getLong(1)).append(' ').append(rs.getString(2)).append(' ').append(rs.getString(3))
            .append(' ').append(rs.getString(4)).append('\n');
      }
    }
    assertTrue(rows.length() > 0);
    return rows.toString();
  }

  @Test
  void aTinyNetworkSearchTrainsAndExports() throws Exception {
    Path file = dir.resolve("xor.json");
    Files.writeString(file, """
        {"name": "tiny", "dataset": {"source": "blobs", "samples": 120},
         "space": {"width": {"choice": [4, 8]}, "depth": {"int": [1, 2]}, "epochs": 3,
                   "optimizer": {"choice": ["adam", "momentum"]}, "activation": {"choice": ["relu", "tanh"]}},
         "search": {"strategies": ["random"], "budget": {"trials": 6}, "parallel": 2}}
        """);
    Path runs = dir.resolve("runs");
    var run = strata("run", file.toString(), "--runs-dir", runs.toString());
    assertEquals(0, run.code(), run.out() + run.err());
    var status = strata("status", runs.resolve("tiny").toString(), "--json");
    JsonNode json = new ObjectMapper().readTree(status.out());
    int completed = json.at("/counts/COMPLETED").asInt();
    int rejected = json.at("/counts/REJECTED").asInt();
    assertEquals(6, completed + rejected, status.out());
    assertTrue(completed > 0);
    var export = strata("export", runs.resolve("tiny").toString(), "--best", "--out", dir.resolve("best").toString());
    assertEquals(0, export.code(), export.err());
    assertTrue(export.out().contains("strata train --dataset blobs --samples 120 --validation 0.2 --test 0.2"
        + " --split-seed 1 --preprocess standardize --spec"), export.out());
    assertTrue(Files.size(dir.resolve("best/model.strata")) > 0);
    assertTrue(Files.readString(dir.resolve("best/network.json")).contains("\"blocks\""));
  }

  @Test
  void helpAndBadOptions() {
    for (String cmd : List.of("validate", "run", "resume", "status", "compare", "importance", "report", "export", "demo")) {
      var help = strata(cmd, "--help");
      assertEquals(0, help.code(), cmd);
      assertTrue(help.out().contains("Exit codes"), cmd + ": " + help.out());
    }
    var bad = strata("status", dir.toString(), "--jsn");
    assertEquals(2, bad.code());
    assertEquals(1, bad.err().lines().count(), bad.err());
    var notARun = strata("status", dir.toString());
    assertEquals(2, notARun.code());
    assertTrue(notARun.err().contains("is not a run directory"), notARun.err());
  }
}
