package dev.strata.experiments.store;

import dev.strata.search.study.StrategyCall;
import dev.strata.search.study.TrialFinish;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.runs.RunEvent;
import dev.strata.runs.WorkerRecord;
import dev.strata.search.trial.Outcome;
import dev.strata.search.trial.TrialStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaTest {

  @TempDir Path tmp;

  @Test
  void migratesAVersionOneRunAndSynthesisesItsCallLog() throws Exception {
    Path dir = tmp.resolve("v1");
    Files.createDirectories(dir);
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + RunStore.databaseFile(dir))) {
      assertEquals(0, Schema.migrate(c, 1));
      assertEquals(1, Schema.version(c));
      try (Statement st = c.createStatement()) {
        st.executeUpdate("INSERT INTO experiment VALUES (1, 'old', 'loss', 'MINIMIZE', 'running', '{}', 1, 1)");
        st.executeUpdate("INSERT INTO studies VALUES (1, 'random', 1, 3, '{}')");
        st.executeUpdate("INSERT INTO trials (id, study_id, idx, seed, config_json, status, value, finished_ms)"
            + " VALUES (1, 1, 0, 9, '{\"x\":1.0}', 'COMPLETED', 0.5, 20),"
            + " (2, 1, 1, 9, '{\"x\":2.0}', 'RUNNING', NULL, NULL),"
            + " (3, 1, 2, 9, '{\"x\":3.0}', 'FAILED', NULL, 10)");
      }
    }
    try (RunStore store = RunStore.open(dir)) {
      assertEquals(Schema.CURRENT_VERSION, Integer.parseInt(store.meta("schema_version").orElseThrow()));
      List<StrategyCall> log = store.callLog(1);
      assertEquals(List.of("NEXT 0", "NEXT 1", "NEXT 2", "COMPLETE 2", "COMPLETE 0"),
          log.stream().map(c -> c.kind() + " " + c.index()).toList(), "tells in finish order");
      assertEquals(java.util.Optional.empty(), log.get(3).outcome(), "the outcome comes from the trial row");
      assertEquals(List.of(2L), store.interruptRunning("crash"));
      store.recordComplete(1, 1, 1, Outcome.failed(TrialStatus.FAILED, "x"));
      assertEquals("ok", store.integrityCheck());
    }
  }

  @Test
  void migratesAVersionTwoRunToTheWorkersTableAndRoundTripsWorkers() throws Exception {
    Path dir = tmp.resolve("v2");
    Files.createDirectories(dir);
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + RunStore.databaseFile(dir))) {
      assertEquals(0, Schema.migrate(c, 2));
      assertEquals(2, Schema.version(c));
      try (Statement st = c.createStatement()) {
        st.executeUpdate("INSERT INTO experiment VALUES (1, 'old', 'loss', 'MINIMIZE', 'running', '{}', 1, 1)");
        st.executeUpdate("INSERT INTO studies VALUES (1, 'random', 1, 3, '{}')");
        st.executeUpdate("INSERT INTO trials (id, study_id, idx, seed, config_json, status, worker)"
            + " VALUES (1, 1, 0, 9, '{\"x\":1.0}', 'RUNNING', 'local-1')");
      }
    }
    // A read-only reader does not migrate: a version-2 run simply has no workers.
    try (var reader = RunStore.openReader(dir)) {
      assertEquals(List.of(), reader.workers());
    }
    try (RunStore store = RunStore.open(dir)) {
      assertEquals(Schema.CURRENT_VERSION, Integer.parseInt(store.meta("schema_version").orElseThrow()));
      assertEquals(List.of(), store.workers());
      WorkerRecord local = new WorkerRecord("local-1", "coord", 1, 2, List.of(), 1_000, "active", true);
      WorkerRecord remote = new WorkerRecord("gpu-box", "10.0.0.6", 8, 5, List.of(1L, 4L), 2_000, "active", false);
      store.recordWorkers(List.of(remote, local));
      assertEquals(List.of(local, remote), store.workers(), "local slots first, then by name");
      store.setTrialWorker(1, "gpu-box");
      assertEquals("gpu-box", store.trial(1).orElseThrow().worker());
      try (var reader = store.reader()) {
        assertEquals(List.of(local, remote), reader.workers());
        assertEquals("gpu-box", reader.trial(1).orElseThrow().worker());
        assertEquals("trial-placed", reader.eventsAfter(0, 10).getLast().type());
      }
      // A new coordinator session (resume): the old session's workers are lost, their counts carry over.
      store.beginWorkerSession();
      assertEquals(List.of(new WorkerRecord("local-1", "coord", 1, 2, List.of(), 1_000, "lost", true),
          new WorkerRecord("gpu-box", "10.0.0.6", 8, 5, List.of(), 2_000, "lost", false)), store.workers());
      store.recordWorkers(List.of(new WorkerRecord("gpu-box", "10.0.0.6", 8, 1, List.of(7L), 3_000, "active", false)));
      assertEquals(new WorkerRecord("gpu-box", "10.0.0.6", 8, 6, List.of(7L), 3_000, "active", false),
          store.workers().get(1));
      store.finishTrial(1, TrialFinish.failed(TrialStatus.FAILED, "x"));
      store.setTrialWorker(1, "someone-else");
      assertEquals("gpu-box", store.trial(1).orElseThrow().worker(), "a finished trial keeps its worker");
      store.recordClusterEvent("late-result", 5_000, "gpu-box", 1, "ignored");
      assertEquals("ok", store.integrityCheck());
    }
    try (var reader = RunStore.openReader(dir)) {
      RunEvent last = reader.eventsAfter(0, 100).getLast();
      assertEquals("cluster", last.type());
      assertTrue(last.json().contains("\"type\":\"late-result\"") && last.json().contains("\"worker\":\"gpu-box\""),
          last.json());
    }
  }

  @Test
  void refusesANewerSchema() throws Exception {
    Path dir = tmp.resolve("new");
    Files.createDirectories(dir);
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + RunStore.databaseFile(dir))) {
      Schema.migrate(c, Schema.CURRENT_VERSION);
      try (Statement st = c.createStatement()) {
        st.executeUpdate("UPDATE meta SET value = '99' WHERE key = 'schema_version'");
      }
    }
    StoreException e = assertThrows(StoreException.class, () -> RunStore.open(dir));
    assertEquals(true, e.getMessage().contains("newer Strata"), e.getMessage());
  }

  @Test
  void versionsAreContiguous() {
    for (int i = 0; i < Schema.MIGRATIONS.size(); i++) {
      assertEquals(i + 1, Schema.MIGRATIONS.get(i).version());
    }
  }
}
