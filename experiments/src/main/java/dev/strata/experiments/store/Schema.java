package dev.strata.experiments.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Objects;

/**
 * The versioned schema of {@code strata.db}: an ordered list of migrations, each applied once in
 * its own transaction, the version kept in {@code meta.schema_version}.
 *
 * <p>Version 1 holds the experiment, studies, trials, epochs and the event log. Version 2 adds the
 * call log (each study's scheduler calls {@code next}, {@code report}, {@code complete} in order,
 * what resume replays), the largest resource a trial finished (multi-fidelity) and indexes; for a
 * run written by version 1 it synthesises a call log from the trials (one {@code next(1)} per
 * trial in index order, then one {@code complete} per finished trial in finish order, its outcome
 * read from the trial row), which a seedable strategy replays into a valid state. Version 3 adds
 * the {@code workers} table: each trial worker (local slot or cluster worker) as its coordinator
 * last saw it, keyed by name, for the dashboard's worker panel; {@code done_before} holds the
 * trials it finished in earlier coordinator sessions, so {@code trials_done} survives a resume.
 * Version 4 adds the aggregates the dashboard reads at any run size, kept up to date by triggers
 * in the transaction that changes a trial ({@link Aggregates}), and an index per leaderboard sort.
 * Version 5 keeps infeasible trials (a positive {@code constraint_violation} metric) out of the
 * best-so-far change points and the Pareto front: new triggers, both tables refilled.
 *
 * <p>A new version appends a {@link Migration}; existing ones never change. Stateless.
 */
public final class Schema {

  /** One step of the schema. Immutable. */
  public record Migration(int version, String description, List<String> statements) {
    public Migration {
      Objects.requireNonNull(description, "description");
      statements = List.copyOf(statements);
      if (version < 1) {
        throw new IllegalArgumentException("migration versions start at 1, got " + version);
      }
    }
  }

  static final String FINISHED_SQL = "('COMPLETED','FAILED','DIVERGED','REJECTED','UNTRAINABLE','PRUNED')";

  /** Every migration, in order: version {@code i + 1} at index {@code i}. */
  public static final List<Migration> MIGRATIONS = List.of(
      new Migration(1, "experiment, studies, trials, epochs, events", List.of(
          "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
          """
          CREATE TABLE experiment (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            name TEXT NOT NULL, metric TEXT NOT NULL, direction TEXT NOT NULL, state TEXT NOT NULL,
            spec_json TEXT NOT NULL, created_ms INTEGER NOT NULL, updated_ms INTEGER NOT NULL)""",
          """
          CREATE TABLE studies (
            id INTEGER PRIMARY KEY, strategy TEXT NOT NULL, seed INTEGER NOT NULL,
            budget_trials INTEGER NOT NULL, options_json TEXT NOT NULL, UNIQUE (strategy, seed))""",
          """
          CREATE TABLE trials (
            id INTEGER PRIMARY KEY, study_id INTEGER NOT NULL REFERENCES studies (id),
            idx INTEGER NOT NULL, seed INTEGER NOT NULL, config_json TEXT NOT NULL,
            status TEXT NOT NULL, value REAL, metrics_json TEXT NOT NULL DEFAULT '{}',
            parameters INTEGER NOT NULL DEFAULT 0, flops REAL NOT NULL DEFAULT 0,
            train_seconds REAL NOT NULL DEFAULT 0, started_ms INTEGER, finished_ms INTEGER,
            worker TEXT NOT NULL DEFAULT '', reason TEXT NOT NULL DEFAULT '',
            tags_json TEXT NOT NULL DEFAULT '{}', network_json TEXT, UNIQUE (study_id, idx))""",
          """
          CREATE TABLE epochs (
            trial_id INTEGER NOT NULL REFERENCES trials (id), epoch INTEGER NOT NULL,
            train_loss REAL, val_loss REAL, val_metric REAL, seconds REAL NOT NULL,
            PRIMARY KEY (trial_id, epoch)) WITHOUT ROWID""",
          """
          CREATE TABLE events (
            id INTEGER PRIMARY KEY AUTOINCREMENT, type TEXT NOT NULL, time_ms INTEGER NOT NULL,
            json TEXT NOT NULL)""")),
      new Migration(2, "scheduler call log, trial resource, indexes", List.of(
          """
          CREATE TABLE strategy_calls (
            study_id INTEGER NOT NULL REFERENCES studies (id), seq INTEGER NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('next', 'report', 'complete')),
            trial_index INTEGER NOT NULL, requested INTEGER NOT NULL DEFAULT 1,
            resource REAL, value REAL, detail_json TEXT,
            PRIMARY KEY (study_id, seq)) WITHOUT ROWID""",
          "ALTER TABLE trials ADD COLUMN resource REAL NOT NULL DEFAULT 0",
          "CREATE INDEX trials_by_status ON trials (status)",
          "CREATE INDEX trials_by_value ON trials (value)",
          """
          INSERT INTO strategy_calls (study_id, seq, kind, trial_index, requested, detail_json)
          SELECT study_id, ROW_NUMBER() OVER (PARTITION BY study_id ORDER BY idx) - 1, 'next', idx, 1,
                 '[{"index":' || idx || '}]'
          FROM trials""",
          """
          INSERT INTO strategy_calls (study_id, seq, kind, trial_index, requested)
          SELECT t.study_id,
                 (SELECT COUNT(*) FROM trials a WHERE a.study_id = t.study_id)
                   + ROW_NUMBER() OVER (PARTITION BY t.study_id ORDER BY t.finished_ms, t.id) - 1,
                 'complete', t.idx, 1
          FROM trials t WHERE t.status IN """ + FINISHED_SQL)),
      new Migration(3, "trial workers", List.of(
          """
          CREATE TABLE workers (
            name TEXT PRIMARY KEY, host TEXT NOT NULL, threads INTEGER NOT NULL,
            trials_done INTEGER NOT NULL DEFAULT 0, done_before INTEGER NOT NULL DEFAULT 0,
            current_json TEXT NOT NULL DEFAULT '[]', last_heartbeat_ms INTEGER NOT NULL,
            state TEXT NOT NULL CHECK (state IN ('active', 'lost', 'left')),
            local INTEGER NOT NULL CHECK (local IN (0, 1))) WITHOUT ROWID""")),
      new Migration(4, "aggregates kept by triggers, indexes for every leaderboard order", Aggregates.MIGRATION),
      new Migration(5, "infeasible trials out of the best-so-far and the Pareto front", Aggregates.FEASIBLE_ONLY));

  /** The version a fresh database gets and an older one is migrated to. */
  public static final int CURRENT_VERSION = MIGRATIONS.size();

  private Schema() {}

  /** The schema version of an open database: 0 when it is empty. */
  public static int version(Connection connection) throws SQLException {
    try (Statement st = connection.createStatement();
        ResultSet rs = st.executeQuery(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'")) {
      if (!rs.next()) {
        return 0;
      }
    }
    try (Statement st = connection.createStatement();
        ResultSet rs = st.executeQuery("SELECT value FROM meta WHERE key = 'schema_version'")) {
      return rs.next() ? Integer.parseInt(rs.getString(1)) : 0;
    }
  }

  /**
   * Applies every migration above the database's version up to {@code target}, each in its own
   * transaction. The connection must be in auto-commit mode; it is left so.
   *
   * @return the version before migrating
   * @throws StoreException when the database is newer than this build knows
   */
  public static int migrate(Connection connection, int target) throws SQLException {
    int from = version(connection);
    if (from > CURRENT_VERSION) {
      throw new StoreException("the run was written by a newer Strata (schema version " + from
          + ", this build knows up to " + CURRENT_VERSION + "): upgrade Strata to open it");
    }
    for (Migration m : MIGRATIONS) {
      if (m.version() <= from || m.version() > target) {
        continue;
      }
      connection.setAutoCommit(false);
      try (Statement st = connection.createStatement()) {
        for (String sql : m.statements()) {
          st.executeUpdate(sql);
        }
        st.executeUpdate("INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', '"
            + m.version() + "')");
        connection.commit();
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw new StoreException("migration to schema version " + m.version() + " ("
            + m.description() + ") failed: " + e.getMessage(), e);
      } finally {
        connection.setAutoCommit(true);
      }
    }
    return from;
  }
}
