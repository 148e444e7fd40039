package dev.strata.experiments.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.runs.ExperimentRecord;
import dev.strata.runs.RunEvent;
import dev.strata.runs.RunEventSource;
import dev.strata.runs.RunReader;
import dev.strata.runs.RunState;
import dev.strata.runs.WorkerRecord;
import dev.strata.search.study.NewTrial;
import dev.strata.search.study.StoredTrial;
import dev.strata.search.study.StrategyCall;
import dev.strata.search.study.StudyStore;
import dev.strata.search.study.TrialFinish;
import dev.strata.search.trial.Direction;
import dev.strata.search.trial.EpochRecord;
import dev.strata.search.trial.Outcome;
import dev.strata.search.trial.StudyRecord;
import dev.strata.search.trial.TrialRecord;
import dev.strata.search.trial.TrialStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The durable store of one run: {@code runs/NAME/strata.db}, an SQLite database in WAL mode.
 *
 * <p><b>Single writer.</b> A {@code RunStore} owns the run's only writing connection and every
 * state change goes through it: studies, trials (PENDING → RUNNING → a finished status, or
 * INTERRUPTED and back to RUNNING on resume), learning curves, the strategy call log and the event
 * log. Each change is one transaction, and the events describing it are inserted in that same
 * transaction, so event ids are assigned in commit order and have no gaps. A finished trial can
 * never change again: {@link #finishTrial}, {@link #markInterrupted}, {@link #recordEpoch} and
 * {@link #startTrial} throw {@link IllegalStateException} for it.
 *
 * <p>One process writes a run: the store holds an OS lock on {@code strata.lock} while open, and a
 * second {@link #open} (another {@code strata run} or {@code resume}) fails with a clear message.
 *
 * <p><b>Durability.</b> {@link Durability#NORMAL} (the default) is WAL with {@code
 * synchronous=NORMAL}: a committed transaction is in the WAL file before {@code commit} returns, so
 * it survives a killed process (kill -9); only an OS crash or power loss may lose the last
 * transactions (never corrupt the file). {@link Durability#FULL} also fsyncs the WAL on every
 * commit, surviving power loss at the price of one fsync per change.
 *
 * <p><b>Events.</b> After a transaction commits, its events are handed to every {@link
 * #subscribe subscriber}, in id order, on the committing thread.
 *
 * <p><b>Threads.</b> Thread-safe: methods are serialised by one lock, so worker threads may record
 * epochs while the coordinator records asks. Reading for dashboards and reports goes through a
 * {@link #reader()} with its own connection, which never waits for the writer.
 *
 * <p>Call order: {@link #create} or {@link #open}, {@link #addStudy}, then per trial {@link
 * #recordNext} (PENDING) → {@link #startTrial} → {@link #recordEpoch} or {@link #recordReport}...
 * → {@link #finishTrial}, {@link #pauseTrial} (multi-fidelity, back to PENDING until promoted or
 * {@link #finalizePaused}) or {@link #markInterrupted}; {@link #recordComplete} when the
 * scheduler hears of it; {@link #close}.
 *
 * <p><b>The call log</b> ({@link #callLog}) holds each study's scheduler calls in order: what
 * resume replays to rebuild the strategy exactly.
 */
public final class RunStore implements RunEventSource, StudyStore, AutoCloseable {

  /** The database file inside a run directory. */
  public static final String DB_FILE = "strata.db";

  /** How hard a commit tries to reach the disk. */
  public enum Durability {
    /** WAL + synchronous=NORMAL: survives process crashes (kill -9), not power loss. */
    NORMAL,
    /** WAL + synchronous=FULL: also survives power loss; one fsync per commit. */
    FULL
  }

  /** The lock file that keeps a second writer (another {@code strata run/resume}) out. */
  public static final String LOCK_FILE = "strata.lock";

  private final Path runDir;
  private final Path file;
  private final Connection connection;
  private final FileChannel lockChannel;
  private final ReentrantLock lock = new ReentrantLock();
  private final List<Consumer<RunEvent>> listeners = new CopyOnWriteArrayList<>();
  private final Map<String, PreparedStatement> statements = new HashMap<>();
  private boolean closed;

  private RunStore(Path runDir, Connection connection, FileChannel lockChannel) {
    this.runDir = runDir;
    this.file = databaseFile(runDir);
    this.connection = connection;
    this.lockChannel = lockChannel;
  }

  /** The database file of a run directory. */
  public static Path databaseFile(Path runDir) {
    return runDir.resolve(DB_FILE);
  }

  /** Whether the directory holds a run. */
  public static boolean exists(Path runDir) {
    return Files.isRegularFile(databaseFile(runDir));
  }

  /** Creates a new run; the directory may exist but must not hold a run yet. */
  public static RunStore create(Path runDir, String name, String metric, Direction direction, String specJson) {
    return create(runDir, name, metric, direction, specJson, Durability.NORMAL);
  }

  public static RunStore create(
      Path runDir, String name, String metric, Direction direction, String specJson, Durability durability) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(metric, "metric");
    Objects.requireNonNull(direction, "direction");
    if (exists(runDir)) {
      throw new StoreException("a run already exists in " + runDir
          + ": resume it with 'strata resume " + runDir + "' or choose another name");
    }
    for (Path p = runDir.toAbsolutePath().getParent(); p != null; p = p.getParent()) {
      if (Files.exists(p) && !Files.isDirectory(p)) {
        throw new StoreException("cannot create the run directory " + runDir + ": " + p
            + " is a file, not a folder; choose another --runs-dir");
      }
    }
    try {
      Files.createDirectories(runDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the run directory " + runDir, e);
    }
    RunStore store = connect(runDir, durability);
    store.write(events -> {
      long now = System.currentTimeMillis();
      PreparedStatement ps = store.statement(
          "INSERT INTO experiment (id, name, metric, direction, state, spec_json, created_ms, updated_ms)"
              + " VALUES (1, ?, ?, ?, '" + RunState.CREATED.label() + "', ?, ?, ?)");
      ps.setString(1, name);
      ps.setString(2, metric);
      ps.setString(3, direction.name());
      ps.setString(4, specJson == null ? "{}" : specJson);
      ps.setLong(5, now);
      ps.setLong(6, now);
      ps.executeUpdate();
      return null;
    });
    return store;
  }

  /** Opens an existing run for writing, migrating an older schema first. */
  public static RunStore open(Path runDir) {
    return open(runDir, Durability.NORMAL);
  }

  public static RunStore open(Path runDir, Durability durability) {
    if (!exists(runDir)) {
      throw new StoreException("no run in " + runDir + " (no " + DB_FILE + "): check the path");
    }
    checkSound(runDir); // before the lock, the migration or any write
    RunStore store = connect(runDir, durability);
    if (store.experimentOrNull() == null) {
      store.close();
      throw new StoreException(databaseFile(runDir) + " holds no experiment: it is not a Strata run");
    }
    return store;
  }

  private static RunStore connect(Path runDir, Durability durability) {
    FileChannel lock = lock(runDir);
    try {
      Connection c = Connections.writer(databaseFile(runDir), durability);
      try {
        Schema.migrate(c, Schema.CURRENT_VERSION);
        c.setAutoCommit(false);
        return new RunStore(runDir, c, lock);
      } catch (SQLException | RuntimeException e) {
        c.close();
        throw e;
      }
    } catch (SQLException e) {
      closeQuietly(lock);
      throw new StoreException("cannot open " + databaseFile(runDir) + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      closeQuietly(lock);
      throw e;
    }
  }

  /**
   * Takes the run's writer lock (an OS file lock on {@code strata.lock}, released by the OS when
   * the process dies, so a kill -9 never leaves it stale).
   */
  private static FileChannel lock(Path runDir) {
    FileChannel channel = null;
    try {
      channel = FileChannel.open(runDir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      if (channel.tryLock() == null) {
        throw new OverlappingFileLockException();
      }
      return channel;
    } catch (OverlappingFileLockException e) {
      closeQuietly(channel);
      throw new StoreException("the run in " + runDir + " is open in another strata process (or twice in this"
          + " one): only one process may write a run; wait for it or stop it first");
    } catch (IOException e) {
      closeQuietly(channel);
      throw new UncheckedIOException("cannot lock " + runDir.resolve(LOCK_FILE), e);
    }
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // nothing to do
      }
    }
  }

  /** Opens a read-only reader on a run, which another process may be writing. */
  public static RunReader openReader(Path runDir) {
    if (!exists(runDir)) {
      throw new StoreException("no run in " + runDir + " (no " + DB_FILE + "): check the path");
    }
    return new SqliteRunReader(databaseFile(runDir), true);
  }

  /**
   * A reader for a one-shot command ({@code status}, {@code compare}, {@code report}, {@code
   * export}) that creates nothing in the run directory: when no writer holds the run and no WAL
   * was left behind, SQLite's immutable mode (no -wal, no -shm, works in a read-only directory);
   * otherwise the ordinary read-only reader, which follows the writer. A damaged or half-created
   * database is refused in one line first.
   */
  public static RunReader openSnapshotReader(Path runDir) {
    if (!exists(runDir)) {
      throw new StoreException("no run in " + runDir + " (no " + DB_FILE + "): check the path");
    }
    boolean quiet = !Files.exists(runDir.resolve(DB_FILE + "-wal")) && !writerHolds(runDir);
    SqliteRunReader reader = new SqliteRunReader(databaseFile(runDir), true, quiet);
    try {
      String experimentTable = reader.integrityProbe();
      if (experimentTable != null) {
        throw new StoreException(experimentTable);
      }
      return reader;
    } catch (RuntimeException e) {
      reader.close();
      throw e;
    }
  }

  /** Whether a live process holds the run's writer lock (a lock file nobody holds is left from a stopped run). */
  static boolean writerHolds(Path runDir) {
    Path lockFile = runDir.resolve(LOCK_FILE);
    if (!Files.exists(lockFile)) {
      return false;
    }
    try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.READ)) {
      java.nio.channels.FileLock l = ch.tryLock(0, Long.MAX_VALUE, true);
      if (l == null) {
        return true;
      }
      l.release();
      return false;
    } catch (OverlappingFileLockException e) {
      return true; // held in this JVM
    } catch (IOException e) {
      return false; // unreadable lock file: the reader's own errors will tell
    }
  }

  /**
   * Refuses a damaged or half-created database before anything is written, in one line with what
   * to do. Reads with {@code PRAGMA quick_check} through a connection that creates no file.
   */
  static void checkSound(Path runDir) {
    boolean quiet = !Files.exists(runDir.resolve(DB_FILE + "-wal")) && !writerHolds(runDir);
    String problem;
    try (SqliteRunReader reader = new SqliteRunReader(databaseFile(runDir), true, quiet)) {
      int version = reader.schemaVersion();
      if (version > Schema.CURRENT_VERSION) {
        throw new StoreException("the run was written by a newer Strata (schema version " + version
            + ", this build knows up to " + Schema.CURRENT_VERSION + "): upgrade Strata to open it");
      }
      problem = reader.integrityProbe();
      if (problem == null) {
        String check = reader.quickCheck();
        if (!check.equals("ok")) {
          problem = damaged(runDir, "quick_check: " + printable(check.lines().findFirst().orElse(check)));
        }
      }
    } catch (StoreException e) {
      throw e;
    }
    if (problem != null) {
      throw new StoreException(problem);
    }
  }

  /** What a start-up writes before the experiment is stored: what a half-created run may hold. */
  private static final List<String> START_UP_FILES = List.of(DB_FILE, DB_FILE + "-wal", DB_FILE + "-shm", DB_FILE + "-journal",
      LOCK_FILE, "experiment.json", "strata.log");

  /**
   * Whether a run stopped during start-up left the directory half-created: a database without an
   * experiment, or no database but the lock (and other start-up files) it took first; and no
   * process holds it.
   */
  public static boolean isHalfCreated(Path runDir) {
    if (!Files.isDirectory(runDir) || writerHolds(runDir)) {
      return false;
    }
    if (!exists(runDir)) {
      try (var entries = Files.list(runDir)) {
        List<String> names = entries.map(p -> p.getFileName().toString()).toList();
        return !names.isEmpty() && START_UP_FILES.containsAll(names);
      } catch (IOException e) {
        return false;
      }
    }
    try {
      if (Files.size(databaseFile(runDir)) == 0) {
        return true;
      }
    } catch (IOException e) {
      return false;
    }
    boolean quiet = !Files.exists(runDir.resolve(DB_FILE + "-wal"));
    try (SqliteRunReader reader = new SqliteRunReader(databaseFile(runDir), true, quiet)) {
      return reader.holdsNoExperiment();
    } catch (StoreException e) {
      return false; // damaged, not half-created: leave it for the user
    }
  }

  /**
   * Removes a half-created run (see {@link #isHalfCreated}): its database files and lock, and the
   * experiment copy and log a start-up may have written. Returns whether it did.
   */
  public static boolean discardHalfCreated(Path runDir) {
    if (!isHalfCreated(runDir)) {
      return false;
    }
    try {
      for (String f : START_UP_FILES) {
        Files.deleteIfExists(runDir.resolve(f));
      }
      return true;
    } catch (IOException e) {
      throw new StoreException("cannot remove the half-created run in " + runDir + " (" + e.getMessage()
          + "): delete the directory yourself and run again", e);
    }
  }

  /** The one line for a damaged database. */
  static String damaged(Path runDir, String detail) {
    return databaseFile(runDir) + " is damaged (" + detail + "); nothing was changed: restore it from a backup copy,"
        + " or save what is still readable with 'strata export " + runDir + "'";
  }

  /** Text safe for a terminal: control characters and undecodable bytes become '?'. */
  static String printable(String s) {
    StringBuilder out = new StringBuilder(Math.min(s.length(), 200));
    for (int i = 0; i < s.length() && out.length() < 200; i++) {
      char c = s.charAt(i);
      out.append(c < 0x20 || c == 0x7f || c == '\ufffd' || Character.isSurrogate(c) ? '?' : c);
    }
    return out.toString();
  }

  /**
   * The stored experiment, read without writing anything in the run directory (no lock, and no
   * -wal or -shm file when the last writer closed cleanly; after a crash SQLite uses the ones left
   * behind): for the checks a resume makes before it commits to the run.
   */
  public static ExperimentRecord readExperiment(Path runDir) {
    if (!exists(runDir)) {
      throw new StoreException("no run in " + runDir + " (no " + DB_FILE + "): check the path");
    }
    if (isHalfCreated(runDir)) {
      throw new StoreException(runDir + " was left half-created by a 'strata run' stopped during its start-up (no"
          + " experiment was stored), so there is nothing to resume: start it again with 'strata run EXPERIMENT.json'"
          + " (it replaces the half-created directory)");
    }
    checkSound(runDir);
    boolean walLeft = Files.exists(runDir.resolve(DB_FILE + "-wal"));
    try (SqliteRunReader reader = new SqliteRunReader(databaseFile(runDir), true, !walLeft)) {
      return reader.experiment();
    }
  }

  /** {@code PRAGMA integrity_check} of a run's database: {@code "ok"} when sound. */
  public static String integrityCheck(Path runDir) {
    try (Connection c = Connections.reader(databaseFile(runDir), true)) {
      return Connections.integrityCheck(c);
    } catch (SQLException e) {
      throw new StoreException("integrity check of " + databaseFile(runDir) + " failed: " + e.getMessage(), e);
    }
  }

  /** The run directory. */
  public Path runDirectory() {
    return runDir;
  }

  /** A new reader with its own connection; the caller closes it. */
  public RunReader reader() {
    return new SqliteRunReader(file, false);
  }

  /** {@code PRAGMA integrity_check} through the writer's connection. */
  public String integrityCheck() {
    return read(() -> Connections.integrityCheck(connection));
  }

  @Override
  public AutoCloseable subscribe(Consumer<RunEvent> listener) {
    Objects.requireNonNull(listener, "listener");
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  // ---------------------------------------------------------------- experiment and studies

  public ExperimentRecord experiment() {
    ExperimentRecord e = experimentOrNull();
    if (e == null) {
      throw new StoreException(file + " holds no experiment");
    }
    return e;
  }

  private ExperimentRecord experimentOrNull() {
    return read(() -> {
      try (ResultSet rs = statement("SELECT * FROM experiment WHERE id = 1").executeQuery()) {
        return rs.next() ? Rows.experiment(rs) : null;
      }
    });
  }

  /** Sets the experiment's state, and logs an {@code experiment} event with it. */
  public void setState(RunState state) {
    Objects.requireNonNull(state, "state");
    write(events -> {
      long now = System.currentTimeMillis();
      PreparedStatement ps = statement("UPDATE experiment SET state = ?, updated_ms = ? WHERE id = 1");
      ps.setString(1, state.label());
      ps.setLong(2, now);
      ps.executeUpdate();
      ObjectNode json = Json.object().put("state", state.label());
      appendEvent(events, "experiment", now, json);
      return null;
    });
  }

  /** A value of the run's key/value metadata. */
  public Optional<String> meta(String key) {
    return read(() -> {
      PreparedStatement ps = statement("SELECT value FROM meta WHERE key = ?");
      ps.setString(1, key);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty();
      }
    });
  }

  public void putMeta(String key, String value) {
    write(events -> {
      PreparedStatement ps = statement("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)");
      ps.setString(1, key);
      ps.setString(2, value);
      ps.executeUpdate();
      return null;
    });
  }

  /** Adds a study (strategy × seed); the pair must be new. */
  public StudyRecord addStudy(String strategy, long seed, int budgetTrials, Map<String, Object> options) {
    Objects.requireNonNull(strategy, "strategy");
    return write(events -> {
      PreparedStatement ps = statement(
          "INSERT INTO studies (strategy, seed, budget_trials, options_json) VALUES (?, ?, ?, ?)");
      ps.setString(1, strategy);
      ps.setLong(2, seed);
      ps.setInt(3, budgetTrials);
      ps.setString(4, Json.write(options == null ? Map.of() : options));
      ps.executeUpdate();
      return new StudyRecord(lastRowId(), strategy, seed, budgetTrials, options);
    });
  }

  /** Changes a study's trial budget (resume with a larger budget). */
  public void setStudyBudget(long studyId, int budgetTrials) {
    write(events -> {
      PreparedStatement ps = statement("UPDATE studies SET budget_trials = ? WHERE id = ?");
      ps.setInt(1, budgetTrials);
      ps.setLong(2, studyId);
      ps.executeUpdate();
      return null;
    });
  }

  public List<StudyRecord> studies() {
    return read(() -> {
      List<StudyRecord> out = new ArrayList<>();
      try (ResultSet rs = statement("SELECT * FROM studies ORDER BY id").executeQuery()) {
        while (rs.next()) {
          out.add(Rows.study(rs));
        }
      }
      return out;
    });
  }

  // ---------------------------------------------------------------- trials and the call log

  /**
   * Records one {@code next(n)} call of a study's scheduler and the new trials its Start jobs
   * created (PENDING), in one transaction.
   *
   * @param firstIndex the first trial index returned, -1 for none
   * @param jobsJson the jobs returned, a JSON array (for checking the replay and for people)
   * @return the new trials with their ids, in order
   */
  public List<TrialRecord> recordNext(long studyId, int requested, int firstIndex, String jobsJson,
      List<NewTrial> newTrials) {
    return write(events -> {
      insertCall(studyId, nextSeq(studyId), "next", firstIndex, requested, Double.NaN, Double.NaN, jobsJson);
      List<TrialRecord> out = new ArrayList<>(newTrials.size());
      PreparedStatement ps = statement(
          "INSERT INTO trials (study_id, idx, seed, config_json, status, tags_json) VALUES (?, ?, ?, ?, 'PENDING', ?)");
      for (NewTrial p : newTrials) {
        ps.setLong(1, studyId);
        ps.setInt(2, p.index());
        ps.setLong(3, p.seed());
        ps.setString(4, p.configuration().canonicalJson());
        ps.setString(5, Json.write(p.tags()));
        ps.executeUpdate();
        out.add(new TrialRecord(lastRowId(), studyId, p.index(), p.configuration(), TrialStatus.PENDING,
            Double.NaN, Map.of(), 0, 0, 0, null, null, "", "", p.tags()));
      }
      return out;
    });
  }

  /** Records that the scheduler was told a job's outcome ({@code complete}). */
  public void recordComplete(long studyId, int index, double resource, Outcome outcome) {
    write(events -> {
      insertCall(studyId, nextSeq(studyId), "complete", index, 1, resource, Double.NaN,
          StrategyCall.outcomeJson(outcome));
      return null;
    });
  }

  /**
   * Appends a point of a RUNNING trial's learning curve together with the scheduler's {@code
   * report} call it caused, in one transaction.
   */
  public void recordReport(EpochRecord epoch, long studyId, int index, double resource, double value) {
    write(events -> {
      insertEpoch(epoch, events);
      insertCall(studyId, nextSeq(studyId), "report", index, 1, resource, value, null);
      return null;
    });
  }

  /** The study's call log, in order. */
  public List<StrategyCall> callLog(long studyId) {
    return read(() -> {
      PreparedStatement ps = statement(
          "SELECT seq, kind, trial_index, requested, resource, value, detail_json FROM strategy_calls"
              + " WHERE study_id = ? ORDER BY seq");
      ps.setLong(1, studyId);
      List<StrategyCall> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          double resource = rs.getDouble(5);
          if (rs.wasNull()) {
            resource = Double.NaN;
          }
          double value = rs.getDouble(6);
          if (rs.wasNull()) {
            value = Double.NaN;
          }
          out.add(new StrategyCall(studyId, rs.getInt(1),
              StrategyCall.Kind.valueOf(rs.getString(2).toUpperCase(java.util.Locale.ROOT)),
              rs.getInt(3), rs.getInt(4), resource, value, rs.getString(7)));
        }
      }
      return out;
    });
  }

  /** Every trial of a study, by index, with seed and resource. */
  public List<StoredTrial> studyTrials(long studyId) {
    return read(() -> {
      PreparedStatement ps = statement(
          "SELECT " + Rows.TRIAL_COLUMNS + " FROM trials t WHERE t.study_id = ? ORDER BY t.idx");
      ps.setLong(1, studyId);
      List<StoredTrial> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(Rows.stored(rs));
        }
      }
      return out;
    });
  }

  public Optional<TrialRecord> trial(long trialId) {
    return read(() -> Optional.ofNullable(trialOrNull(trialId)));
  }

  /** PENDING or INTERRUPTED → RUNNING on a worker, from scratch: any old learning curve is dropped. */
  public void startTrial(long trialId, String worker) {
    startTrial(trialId, worker, 0);
  }

  /**
   * PENDING (new or paused at a rung) or INTERRUPTED → RUNNING on a worker. Learning-curve points
   * after {@code keepEpochsUpTo} are dropped: a job continuing from a checkpoint keeps the curve
   * up to it, a job from scratch passes 0.
   */
  public void startTrial(long trialId, String worker, double keepEpochsUpTo) {
    write(events -> {
      TrialStatus status = statusOf(trialId);
      if (status != TrialStatus.PENDING && status != TrialStatus.INTERRUPTED) {
        throw new IllegalStateException("trial " + trialId + " is " + status + ": only a PENDING or"
            + " INTERRUPTED trial can start");
      }
      PreparedStatement del = statement("DELETE FROM epochs WHERE trial_id = ? AND epoch > ?");
      del.setLong(1, trialId);
      del.setDouble(2, keepEpochsUpTo);
      del.executeUpdate();
      long now = System.currentTimeMillis();
      PreparedStatement ps = statement(
          "UPDATE trials SET status = 'RUNNING', started_ms = ?, finished_ms = NULL, worker = ?, reason = ''"
              + " WHERE id = ?");
      ps.setLong(1, now);
      ps.setString(2, worker == null ? "" : worker);
      ps.setLong(3, trialId);
      ps.executeUpdate();
      TrialRecord t = trialOrNull(trialId);
      ObjectNode json = trialJson(t).put("worker", t.worker());
      PreparedStatement study = statement("SELECT strategy, seed FROM studies WHERE id = ?");
      study.setLong(1, t.studyId());
      try (ResultSet rs = study.executeQuery()) {
        if (rs.next()) {
          json.put("strategy", rs.getString(1)).put("seed", rs.getLong(2)); // the page labels the trial without a lookup
        }
      }
      json.set("configuration", Json.MAPPER.valueToTree(t.configuration().values()));
      appendEvent(events, "trial-started", now, json);
      return null;
    });
  }

  /**
   * Records where a RUNNING trial actually runs: a cluster coordinator calls it when a worker takes
   * the trial (the runner's {@link #startTrial} only knows its own thread). Emits a {@code
   * trial-placed} event. Ignored for a trial no longer RUNNING (it finished meanwhile).
   */
  public void setTrialWorker(long trialId, String worker) {
    Objects.requireNonNull(worker, "worker");
    write(events -> {
      if (statusOf(trialId) != TrialStatus.RUNNING) {
        return null;
      }
      PreparedStatement ps = statement("UPDATE trials SET worker = ? WHERE id = ?");
      ps.setString(1, worker);
      ps.setLong(2, trialId);
      ps.executeUpdate();
      appendEvent(events, "trial-placed", System.currentTimeMillis(),
          Json.object().put("trialId", trialId).put("worker", worker));
      return null;
    });
  }

  /**
   * Starts a coordinator session's worker records: workers left {@code active} by the previous
   * session (which ended or crashed) become {@code lost} with no current trials, and each keeps
   * its count of trials done, to which this session's counts are added.
   */
  public void beginWorkerSession() {
    write(events -> {
      statement("UPDATE workers SET state = CASE state WHEN 'active' THEN 'lost' ELSE state END,"
          + " current_json = '[]', done_before = trials_done").executeUpdate();
      return null;
    });
  }

  /**
   * Upserts the workers as the coordinator sees them now, keyed by name, in one transaction and
   * without events (the coordinator calls it at most about once a second). {@code trialsDone} is
   * this session's count; the stored one adds the earlier sessions'.
   */
  public void recordWorkers(List<WorkerRecord> workers) {
    write(events -> {
      PreparedStatement ps = statement(
          "INSERT INTO workers (name, host, threads, trials_done, current_json, last_heartbeat_ms, state, local)"
              + " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET host = excluded.host,"
              + " threads = excluded.threads, trials_done = done_before + excluded.trials_done,"
              + " current_json = excluded.current_json, last_heartbeat_ms = excluded.last_heartbeat_ms,"
              + " state = excluded.state, local = excluded.local");
      for (WorkerRecord w : workers) {
        ps.setString(1, w.name());
        ps.setString(2, w.host());
        ps.setInt(3, w.threads());
        ps.setLong(4, w.trialsDone());
        ps.setString(5, Json.write(w.currentTrials()));
        ps.setLong(6, w.lastHeartbeatMs());
        ps.setString(7, w.state());
        ps.setInt(8, w.local() ? 1 : 0);
        ps.executeUpdate();
      }
      return null;
    });
  }

  /**
   * Appends a cluster event (a worker joined, was lost or left, a trial was requeued, a late
   * result was ignored, a message was rejected) to the run's event log as type {@code cluster}.
   */
  public void recordClusterEvent(String type, long timeMs, String worker, long trialId, String detail) {
    write(events -> {
      ObjectNode json = Json.object().put("type", type).put("worker", worker == null ? "" : worker)
          .put("trialId", trialId).put("detail", detail == null ? "" : detail);
      appendEvent(events, "cluster", timeMs, json);
      return null;
    });
  }

  /** The workers as last recorded, local slots first, then by name. */
  public List<WorkerRecord> workers() {
    return read(() -> {
      List<WorkerRecord> out = new ArrayList<>();
      try (ResultSet rs = statement("SELECT * FROM workers ORDER BY local DESC, name").executeQuery()) {
        while (rs.next()) {
          out.add(Rows.worker(rs));
        }
      }
      return out;
    });
  }

  /** Appends (or replaces) one point of a RUNNING trial's learning curve. */
  public void recordEpoch(EpochRecord epoch) {
    write(events -> {
      insertEpoch(epoch, events);
      return null;
    });
  }

  private void insertEpoch(EpochRecord epoch, List<RunEvent> events) throws SQLException {
    requireRunning(epoch.trialId());
    PreparedStatement ps = statement(
        "INSERT OR REPLACE INTO epochs (trial_id, epoch, train_loss, val_loss, val_metric, seconds)"
            + " VALUES (?, ?, ?, ?, ?, ?)");
    ps.setLong(1, epoch.trialId());
    ps.setInt(2, epoch.epoch());
    setDouble(ps, 3, epoch.trainLoss());
    setDouble(ps, 4, epoch.valLoss());
    setDouble(ps, 5, epoch.valMetric());
    ps.setDouble(6, epoch.seconds());
    ps.executeUpdate();
    ObjectNode json = Json.object().put("trialId", epoch.trialId()).put("epoch", epoch.epoch());
    putNumber(json, "trainLoss", epoch.trainLoss());
    putNumber(json, "valLoss", epoch.valLoss());
    putNumber(json, "valMetric", epoch.valMetric());
    putNumber(json, "seconds", epoch.seconds());
    appendEvent(events, "epoch", System.currentTimeMillis(), json);
  }

  /**
   * A RUNNING trial's job reached a rung below the maximum (multi-fidelity): back to PENDING with
   * its value, metrics, training seconds so far and the resource reached, waiting for a promotion.
   * Emits a {@code trial-paused} event.
   */
  public void pauseTrial(long trialId, double value, Map<String, Double> metrics, double reached,
      double trainSeconds) {
    write(events -> {
      requireRunning(trialId);
      PreparedStatement ps = statement(
          "UPDATE trials SET status = 'PENDING', value = ?, metrics_json = ?, resource = ?, train_seconds = ?"
              + " WHERE id = ?");
      setDouble(ps, 1, value);
      ps.setString(2, Json.write(metrics));
      ps.setDouble(3, reached);
      ps.setDouble(4, trainSeconds);
      ps.setLong(5, trialId);
      ps.executeUpdate();
      TrialRecord t = trialOrNull(trialId);
      ObjectNode json = finishedJson(t).put("resource", reached);
      appendEvent(events, "trial-paused", System.currentTimeMillis(), json);
      return null;
    });
  }

  /**
   * Ends every trial of a study left paused at a rung (PENDING with a resource reached): PRUNED
   * with its value at that rung. Called when the study's search is over.
   *
   * @return how many were ended
   */
  public int finalizePaused(long studyId, String reason) {
    return write(events -> {
      List<Long> ids = new ArrayList<>();
      PreparedStatement q = statement(
          "SELECT id FROM trials WHERE study_id = ? AND status IN ('PENDING', 'INTERRUPTED') AND resource > 0"
              + " ORDER BY id");
      q.setLong(1, studyId);
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getLong(1));
        }
      }
      long now = System.currentTimeMillis();
      PreparedStatement ps = statement(
          "UPDATE trials SET status = 'PRUNED', reason = ?, finished_ms = ? WHERE id = ?");
      for (long id : ids) {
        ps.setString(1, reason);
        ps.setLong(2, now);
        ps.setLong(3, id);
        ps.executeUpdate();
        appendEvent(events, "trial-finished", now, finishedJson(trialOrNull(id)));
      }
      return ids.size();
    });
  }

  /**
   * Commits a trial's final state. Throws {@link IllegalStateException} when it is already
   * finished: a finished trial never changes.
   */
  public TrialRecord finishTrial(long trialId, TrialFinish finish) {
    return finishTrial(trialId, finish, Double.NaN);
  }

  /**
   * Commits a trial's final state and the largest resource it finished ({@code NaN} keeps the
   * stored one). Throws {@link IllegalStateException} when it is already finished.
   */
  public TrialRecord finishTrial(long trialId, TrialFinish finish, double reached) {
    Objects.requireNonNull(finish, "finish");
    return write(events -> {
      TrialStatus status = statusOf(trialId);
      if (status.isFinished()) {
        throw new IllegalStateException("trial " + trialId + " is already " + status
            + ": a finished trial cannot be changed");
      }
      long now = System.currentTimeMillis();
      PreparedStatement ps = statement(
          "UPDATE trials SET status = ?, value = ?, metrics_json = ?, parameters = ?, flops = ?,"
              + " train_seconds = ?, network_json = ?, reason = ?, finished_ms = ?,"
              + " started_ms = COALESCE(started_ms, ?), resource = COALESCE(?, resource) WHERE id = ?");
      ps.setString(1, finish.status().name());
      setDouble(ps, 2, finish.value());
      ps.setString(3, Json.write(finish.metrics()));
      ps.setLong(4, finish.parameters());
      ps.setDouble(5, finish.flops());
      ps.setDouble(6, finish.trainSeconds());
      ps.setString(7, finish.networkSpecJson());
      ps.setString(8, finish.reason());
      ps.setLong(9, now);
      ps.setLong(10, now);
      setDouble(ps, 11, reached);
      ps.setLong(12, trialId);
      ps.executeUpdate();
      TrialRecord t = trialOrNull(trialId);
      appendEvent(events, "trial-finished", now, finishedJson(t));
      return t;
    });
  }

  /** A trial cut short by a stop or a crash: INTERRUPTED, to be run again on resume. */
  public void markInterrupted(long trialId, String reason) {
    write(events -> {
      interrupt(trialId, reason, events);
      return null;
    });
  }

  /**
   * Marks every trial left RUNNING (by a crash) INTERRUPTED, in one transaction.
   *
   * @return their ids
   */
  public List<Long> interruptRunning(String reason) {
    return write(events -> {
      List<Long> ids = new ArrayList<>();
      try (ResultSet rs = statement("SELECT id FROM trials WHERE status = 'RUNNING' ORDER BY id").executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getLong(1));
        }
      }
      for (long id : ids) {
        interrupt(id, reason, events);
      }
      return ids;
    });
  }

  private void interrupt(long trialId, String reason, List<RunEvent> events) throws SQLException {
    TrialStatus status = statusOf(trialId);
    if (status.isFinished()) {
      throw new IllegalStateException("trial " + trialId + " is already " + status
          + ": a finished trial cannot be interrupted");
    }
    long now = System.currentTimeMillis();
    PreparedStatement ps = statement(
        "UPDATE trials SET status = 'INTERRUPTED', reason = ?, finished_ms = NULL WHERE id = ?");
    ps.setString(1, reason == null ? "" : reason);
    ps.setLong(2, trialId);
    ps.executeUpdate();
    appendEvent(events, "trial-finished", now, finishedJson(trialOrNull(trialId)));
  }

  @Override
  public void close() {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      for (PreparedStatement ps : statements.values()) {
        ps.close();
      }
      statements.clear();
      connection.rollback();
      connection.close();
    } catch (SQLException e) {
      throw new StoreException("closing " + file + " failed: " + e.getMessage(), e);
    } finally {
      closeQuietly(lockChannel);
      lock.unlock();
    }
  }

  // ---------------------------------------------------------------- internals

  @FunctionalInterface
  private interface Work<T> {
    T run(List<RunEvent> events) throws SQLException;
  }

  @FunctionalInterface
  private interface Query<T> {
    T run() throws SQLException;
  }

  /** Runs one write transaction, then publishes its events. */
  private <T> T write(Work<T> work) {
    lock.lock();
    try {
      requireOpen();
      List<RunEvent> events = new ArrayList<>(2);
      T result;
      try {
        result = work.run(events);
        connection.commit();
      } catch (SQLException e) {
        rollbackQuietly();
        throw new StoreException("writing " + file + " failed: " + e.getMessage(), e);
      } catch (RuntimeException e) {
        rollbackQuietly();
        throw e;
      }
      for (RunEvent event : events) {
        for (Consumer<RunEvent> listener : listeners) {
          try {
            listener.accept(event);
          } catch (RuntimeException e) {
            // a subscriber's bug must not break the run; it simply misses nothing else
          }
        }
      }
      return result;
    } finally {
      lock.unlock();
    }
  }

  private <T> T read(Query<T> query) {
    lock.lock();
    try {
      requireOpen();
      try {
        T result = query.run();
        connection.commit();
        return result;
      } catch (SQLException e) {
        rollbackQuietly();
        throw new StoreException("reading " + file + " failed: " + e.getMessage(), e);
      }
    } finally {
      lock.unlock();
    }
  }

  private void rollbackQuietly() {
    try {
      connection.rollback();
    } catch (SQLException ignored) {
      // the original failure is what matters
    }
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("the store of " + runDir + " is closed");
    }
  }

  private PreparedStatement statement(String sql) throws SQLException {
    PreparedStatement ps = statements.get(sql);
    if (ps == null) {
      ps = connection.prepareStatement(sql);
      statements.put(sql, ps);
    }
    return ps;
  }

  private long lastRowId() throws SQLException {
    try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery("SELECT last_insert_rowid()")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private int nextSeq(long studyId) throws SQLException {
    PreparedStatement ps = statement("SELECT COALESCE(MAX(seq) + 1, 0) FROM strategy_calls WHERE study_id = ?");
    ps.setLong(1, studyId);
    try (ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private void insertCall(long studyId, int seq, String kind, int index, int requested, double resource,
      double value, String detail) throws SQLException {
    PreparedStatement ps = statement(
        "INSERT INTO strategy_calls (study_id, seq, kind, trial_index, requested, resource, value, detail_json)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    ps.setLong(1, studyId);
    ps.setInt(2, seq);
    ps.setString(3, kind);
    ps.setInt(4, index);
    ps.setInt(5, requested);
    setDouble(ps, 6, resource);
    setDouble(ps, 7, value);
    ps.setString(8, detail);
    ps.executeUpdate();
  }

  private TrialStatus statusOf(long trialId) throws SQLException {
    PreparedStatement ps = statement("SELECT status FROM trials WHERE id = ?");
    ps.setLong(1, trialId);
    try (ResultSet rs = ps.executeQuery()) {
      if (!rs.next()) {
        throw new IllegalArgumentException("no trial " + trialId + " in " + file);
      }
      return TrialStatus.valueOf(rs.getString(1));
    }
  }

  private void requireRunning(long trialId) throws SQLException {
    TrialStatus status = statusOf(trialId);
    if (status != TrialStatus.RUNNING) {
      throw new IllegalStateException("trial " + trialId + " is " + status + ", not RUNNING");
    }
  }

  private TrialRecord trialOrNull(long trialId) throws SQLException {
    PreparedStatement ps = statement("SELECT " + Rows.TRIAL_COLUMNS + " FROM trials t WHERE t.id = ?");
    ps.setLong(1, trialId);
    try (ResultSet rs = ps.executeQuery()) {
      return rs.next() ? Rows.trial(rs) : null;
    }
  }

  private void appendEvent(List<RunEvent> events, String type, long timeMs, ObjectNode json) throws SQLException {
    String payload = Json.write(json);
    PreparedStatement ps = statement("INSERT INTO events (type, time_ms, json) VALUES (?, ?, ?)");
    ps.setString(1, type);
    ps.setLong(2, timeMs);
    ps.setString(3, payload);
    ps.executeUpdate();
    events.add(new RunEvent(lastRowId(), type, Instant.ofEpochMilli(timeMs), payload));
  }

  private static ObjectNode trialJson(TrialRecord t) {
    return Json.object()
        .put("trialId", t.id())
        .put("studyId", t.studyId())
        .put("index", t.index())
        .put("status", t.status().name());
  }

  private static ObjectNode finishedJson(TrialRecord t) {
    ObjectNode json = trialJson(t);
    putNumber(json, "value", t.value());
    json.put("parameters", t.parameters())
        .put("flops", t.flops())
        .put("trainSeconds", t.trainSeconds())
        .put("reason", t.reason());
    json.set("metrics", Json.MAPPER.valueToTree(t.metrics()));
    return json;
  }

  /** Non-finite numbers become JSON null, which every client parses. */
  private static void putNumber(ObjectNode json, String key, double v) {
    if (Double.isFinite(v)) {
      json.put(key, v);
    } else {
      json.putNull(key);
    }
  }

  private static void setDouble(PreparedStatement ps, int index, double v) throws SQLException {
    if (Double.isFinite(v)) {
      ps.setDouble(index, v);
    } else {
      ps.setNull(index, Types.REAL);
    }
  }
}
