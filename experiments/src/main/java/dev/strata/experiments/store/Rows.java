package dev.strata.experiments.store;

import dev.strata.runs.ExperimentRecord;
import dev.strata.runs.RunEvent;
import dev.strata.runs.RunState;
import dev.strata.runs.WorkerRecord;
import dev.strata.search.study.StoredTrial;
import dev.strata.search.trial.Configuration;
import dev.strata.search.trial.Direction;
import dev.strata.search.trial.EpochRecord;
import dev.strata.search.trial.StudyRecord;
import dev.strata.search.trial.TrialRecord;
import dev.strata.search.trial.TrialStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/** Row mappers shared by the writer and the readers. Stateless. */
final class Rows {

  static final String TRIAL_COLUMNS =
      "t.id, t.study_id, t.idx, t.config_json, t.status, t.value, t.metrics_json, t.parameters, t.flops,"
          + " t.train_seconds, t.started_ms, t.finished_ms, t.worker, t.reason, t.tags_json, t.seed, t.resource";

  private Rows() {}

  static ExperimentRecord experiment(ResultSet rs) throws SQLException {
    return new ExperimentRecord(
        rs.getString("name"),
        RunState.of(rs.getString("state")),
        rs.getString("metric"),
        Direction.valueOf(rs.getString("direction")),
        Instant.ofEpochMilli(rs.getLong("created_ms")),
        Instant.ofEpochMilli(rs.getLong("updated_ms")),
        rs.getString("spec_json"));
  }

  static StudyRecord study(ResultSet rs) throws SQLException {
    return new StudyRecord(
        rs.getLong("id"),
        rs.getString("strategy"),
        rs.getLong("seed"),
        rs.getInt("budget_trials"),
        Json.objects(rs.getString("options_json")));
  }

  /** A trial from a row selected with {@link #TRIAL_COLUMNS}. */
  static TrialRecord trial(ResultSet rs) throws SQLException {
    double value = rs.getDouble(6);
    if (rs.wasNull()) {
      value = Double.NaN;
    }
    long started = rs.getLong(11);
    Instant startedAt = rs.wasNull() ? null : Instant.ofEpochMilli(started);
    long finished = rs.getLong(12);
    Instant finishedAt = rs.wasNull() ? null : Instant.ofEpochMilli(finished);
    return new TrialRecord(
        rs.getLong(1),
        rs.getLong(2),
        rs.getInt(3),
        Configuration.fromJson(rs.getString(4)),
        TrialStatus.valueOf(rs.getString(5)),
        value,
        Json.doubles(rs.getString(7)),
        rs.getLong(8),
        rs.getDouble(9),
        rs.getDouble(10),
        startedAt,
        finishedAt,
        rs.getString(13),
        rs.getString(14),
        Json.strings(rs.getString(15)));
  }

  static StoredTrial stored(ResultSet rs) throws SQLException {
    return new StoredTrial(trial(rs), rs.getLong(16), rs.getDouble(17));
  }

  static EpochRecord epoch(ResultSet rs) throws SQLException {
    return new EpochRecord(
        rs.getLong("trial_id"),
        rs.getInt("epoch"),
        doubleOrNaN(rs, "train_loss"),
        doubleOrNaN(rs, "val_loss"),
        doubleOrNaN(rs, "val_metric"),
        rs.getDouble("seconds"));
  }

  static RunEvent event(ResultSet rs) throws SQLException {
    return new RunEvent(
        rs.getLong("id"), rs.getString("type"), Instant.ofEpochMilli(rs.getLong("time_ms")), rs.getString("json"));
  }

  static WorkerRecord worker(ResultSet rs) throws SQLException {
    return new WorkerRecord(
        rs.getString("name"),
        rs.getString("host"),
        rs.getInt("threads"),
        rs.getLong("trials_done"),
        Json.longs(rs.getString("current_json")),
        rs.getLong("last_heartbeat_ms"),
        rs.getString("state"),
        rs.getInt("local") != 0);
  }

  private static double doubleOrNaN(ResultSet rs, String column) throws SQLException {
    double v = rs.getDouble(column);
    return rs.wasNull() ? Double.NaN : v;
  }

  /** NaN and infinities become SQL NULL (SQLite would store NaN as NULL anyway). */
  static Double finiteOrNull(double v) {
    return Double.isFinite(v) ? v : null;
  }
}
