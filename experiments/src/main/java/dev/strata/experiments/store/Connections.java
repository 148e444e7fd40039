package dev.strata.experiments.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.sqlite.SQLiteConfig;

/** Opens SQLite connections with the store's settings. Stateless. */
final class Connections {

  /** How long a connection waits for a lock before failing, in milliseconds. */
  static final int BUSY_TIMEOUT_MS = 15_000;

  private Connections() {}

  /** The single writer: WAL, the given synchronous level, foreign keys, immediate transactions. */
  static Connection writer(Path file, RunStore.Durability durability) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(durability == RunStore.Durability.FULL
        ? SQLiteConfig.SynchronousMode.FULL : SQLiteConfig.SynchronousMode.NORMAL);
    config.setBusyTimeout(BUSY_TIMEOUT_MS);
    config.enforceForeignKeys(true);
    config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
    return config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
  }

  /** A reader; read-only at the SQLite level when {@code readOnly}. */
  static Connection reader(Path file, boolean readOnly) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setReadOnly(readOnly);
    config.setBusyTimeout(BUSY_TIMEOUT_MS);
    config.setTransactionMode(SQLiteConfig.TransactionMode.DEFERRED);
    return config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
  }

  /**
   * A read-only connection that creates no file: SQLite's {@code immutable} mode, which skips the
   * -wal and -shm files (a plain reader creates them). Only sound while no WAL holds data and
   * nothing writes, i.e. when the last writer closed cleanly and nobody has the run open.
   */
  static Connection immutableReader(Path file) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setReadOnly(true);
    config.setTransactionMode(SQLiteConfig.TransactionMode.DEFERRED);
    return config.createConnection("jdbc:sqlite:" + file.toAbsolutePath().toUri() + "?immutable=1");
  }

  static String integrityCheck(Connection connection) throws SQLException {
    StringBuilder out = new StringBuilder();
    try (Statement st = connection.createStatement();
        ResultSet rs = st.executeQuery("PRAGMA integrity_check")) {
      while (rs.next()) {
        if (!out.isEmpty()) {
          out.append('\n');
        }
        out.append(rs.getString(1));
      }
    }
    return out.toString();
  }
}
