package dev.strata.experiments.store;

import dev.strata.search.trial.EpochRecord;
import dev.strata.search.trial.ExperimentRecord;
import dev.strata.search.trial.Page;
import dev.strata.search.trial.RunEvent;
import dev.strata.search.trial.RunReader;
import dev.strata.search.trial.StudyRecord;
import dev.strata.search.trial.TrialQuery;
import dev.strata.search.trial.TrialRecord;
import dev.strata.search.trial.WorkerRecord;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link RunReader} over a run's SQLite file, through its own connection.
 *
 * <p>Thread-safe: calls are serialised on the connection. Each call runs in one read transaction,
 * so a page and its total come from the same snapshot; in WAL mode the writer never waits for it.
 * Opened read-only it works on a database another process is writing ({@code strata dashboard DIR}).
 */
final class SqliteRunReader implements RunReader {

  private final Path file;
  private final Connection connection;
  private boolean closed;

  SqliteRunReader(Path file, boolean readOnly) {
    this(file, readOnly, false);
  }

  /** @param immutable see {@link Connections#immutableReader} */
  SqliteRunReader(Path file, boolean readOnly, boolean immutable) {
    this.file = file;
    try {
      this.connection = immutable ? Connections.immutableReader(file) : Connections.reader(file, readOnly);
      connection.setAutoCommit(false);
    } catch (SQLException e) {
      throw new StoreException("cannot open " + file + " for reading: " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized ExperimentRecord experiment() {
    return read(() -> {
      try (PreparedStatement ps = connection.prepareStatement("SELECT * FROM experiment WHERE id = 1");
          ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new StoreException(file + " holds no experiment");
        }
        return Rows.experiment(rs);
      }
    });
  }

  @Override
  public synchronized List<StudyRecord> studies() {
    return read(() -> {
      List<StudyRecord> out = new ArrayList<>();
      try (PreparedStatement ps = connection.prepareStatement("SELECT * FROM studies ORDER BY id");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(Rows.study(rs));
        }
      }
      return out;
    });
  }

  @Override
  public synchronized Page<TrialRecord> trials(TrialQuery query) {
    StringBuilder where = new StringBuilder(" FROM trials t JOIN studies s ON s.id = t.study_id WHERE 1 = 1");
    List<Object> args = new ArrayList<>();
    query.strategy().ifPresent(v -> {
      where.append(" AND s.strategy = ?");
      args.add(v);
    });
    query.seed().ifPresent(v -> {
      where.append(" AND s.seed = ?");
      args.add(v);
    });
    query.status().ifPresent(v -> {
      where.append(" AND t.status = ?");
      args.add(v.name());
    });
    String column = switch (query.sort()) {
      case "value" -> "t.value";
      case "parameters" -> "t.parameters";
      case "trainSeconds" -> "t.train_seconds";
      case "finished" -> "t.finished_ms";
      default -> "t.id";
    };
    String order = " ORDER BY (" + column + " IS NULL), " + column + (query.ascending() ? " ASC" : " DESC")
        + ", t.id ASC LIMIT ? OFFSET ?";
    return read(() -> {
      long total;
      try (PreparedStatement ps = connection.prepareStatement("SELECT COUNT(*)" + where)) {
        bind(ps, args);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          total = rs.getLong(1);
        }
      }
      List<TrialRecord> items = new ArrayList<>();
      try (PreparedStatement ps = connection.prepareStatement("SELECT " + Rows.TRIAL_COLUMNS + where + order)) {
        bind(ps, args);
        ps.setInt(args.size() + 1, query.limit());
        ps.setInt(args.size() + 2, query.offset());
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            items.add(Rows.trial(rs));
          }
        }
      }
      return new Page<>(items, total, query.offset(), query.limit());
    });
  }

  @Override
  public synchronized Optional<TrialRecord> trial(long id) {
    return read(() -> {
      try (PreparedStatement ps =
          connection.prepareStatement("SELECT " + Rows.TRIAL_COLUMNS + " FROM trials t WHERE t.id = ?")) {
        ps.setLong(1, id);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(Rows.trial(rs)) : Optional.<TrialRecord>empty();
        }
      }
    });
  }

  @Override
  public synchronized List<EpochRecord> curve(long trialId) {
    return read(() -> {
      List<EpochRecord> out = new ArrayList<>();
      try (PreparedStatement ps =
          connection.prepareStatement("SELECT * FROM epochs WHERE trial_id = ? ORDER BY epoch")) {
        ps.setLong(1, trialId);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(Rows.epoch(rs));
          }
        }
      }
      return out;
    });
  }

  @Override
  public synchronized Optional<String> networkSpecJson(long trialId) {
    return read(() -> {
      try (PreparedStatement ps = connection.prepareStatement("SELECT network_json FROM trials WHERE id = ?")) {
        ps.setLong(1, trialId);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.<String>empty();
        }
      }
    });
  }

  @Override
  public synchronized List<RunEvent> eventsAfter(long afterId, int limit) {
    int bounded = Math.max(1, Math.min(limit, 10_000));
    return read(() -> {
      List<RunEvent> out = new ArrayList<>();
      try (PreparedStatement ps =
          connection.prepareStatement("SELECT * FROM events WHERE id > ? ORDER BY id LIMIT ?")) {
        ps.setLong(1, afterId);
        ps.setInt(2, bounded);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(Rows.event(rs));
          }
        }
      }
      return out;
    });
  }

  @Override
  public synchronized long lastEventId() {
    return read(() -> {
      try (PreparedStatement ps = connection.prepareStatement("SELECT COALESCE(MAX(id), 0) FROM events");
          ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    });
  }

  /** Empty for a run written before schema version 3 (a read-only reader does not migrate). */
  @Override
  public synchronized List<WorkerRecord> workers() {
    return read(() -> {
      List<WorkerRecord> out = new ArrayList<>();
      try (PreparedStatement probe = connection.prepareStatement(
              "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'workers'");
          ResultSet has = probe.executeQuery()) {
        if (!has.next()) {
          return out;
        }
      }
      try (PreparedStatement ps = connection.prepareStatement("SELECT * FROM workers ORDER BY local DESC, name");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(Rows.worker(rs));
        }
      }
      return out;
    });
  }

  /** {@code PRAGMA integrity_check}: {@code "ok"} when sound. */
  public synchronized String integrityCheck() {
    return read(() -> Connections.integrityCheck(connection));
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      connection.rollback();
      connection.close();
    } catch (SQLException e) {
      throw new StoreException("closing reader of " + file + " failed: " + e.getMessage(), e);
    }
  }

  @FunctionalInterface
  private interface Query<T> {
    T run() throws SQLException;
  }

  private <T> T read(Query<T> query) {
    if (closed) {
      throw new IllegalStateException("the reader of " + file + " is closed");
    }
    try {
      T result = query.run();
      connection.commit();
      return result;
    } catch (SQLException e) {
      try {
        connection.rollback();
      } catch (SQLException ignored) {
        // the original failure is what matters
      }
      throw new StoreException("reading " + file + " failed: " + e.getMessage(), e);
    }
  }

  private static void bind(PreparedStatement ps, List<Object> args) throws SQLException {
    for (int i = 0; i < args.size(); i++) {
      Object a = args.get(i);
      if (a instanceof Long l) {
        ps.setLong(i + 1, l);
      } else {
        ps.setString(i + 1, (String) a);
      }
    }
  }
}
