package dev.strata.experiments.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
