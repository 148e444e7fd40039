package dev.strata.experiments.store;

import dev.strata.runs.ExperimentRecord;
import dev.strata.runs.Page;
import dev.strata.runs.RunEvent;
import dev.strata.runs.RunReader;
import dev.strata.runs.TrialQuery;
import dev.strata.runs.WorkerRecord;
import dev.strata.search.trial.EpochRecord;
import dev.strata.search.trial.StudyRecord;
import dev.strata.search.trial.TrialRecord;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link RunReader} over a run's SQLite file, through a small pool of its own connections.
 *
 * <p>Thread-safe: each call borrows one connection of the pool (at most {@value #POOL} are opened,
 * on demand), so readers never queue behind one another's queries; a call waits only when all
 * are busy. Each call runs in one read transaction, so a page and its total come from the same
 * snapshot; in WAL mode the writer never waits for it. Opened read-only it works on a database
 * another process is writing ({@code strata dashboard DIR}).
 */
final class SqliteRunReader implements RunReader {

  /** The most connections one reader opens. */
  static final int POOL = 4;

  private final Path file;
  private final boolean readOnly;
  private final boolean immutable;
  private final java.util.concurrent.BlockingQueue<Connection> idle = new java.util.concurrent.LinkedBlockingQueue<>();
  private final List<Connection> all = new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile boolean closed;

  SqliteRunReader(Path file, boolean readOnly) {
    this(file, readOnly, false);
  }

  /** @param immutable see {@link Connections#immutableReader} */
  SqliteRunReader(Path file, boolean readOnly, boolean immutable) {
    this.file = file;
    this.readOnly = readOnly;
    this.immutable = immutable;
    idle.add(open()); // fails here, not on a first query, when the file cannot be opened
  }

  private Connection open() {
    try {
      Connection c = immutable ? Connections.immutableReader(file) : Connections.reader(file, readOnly);
      c.setAutoCommit(false);
      all.add(c);
      return c;
    } catch (SQLException e) {
      throw failure("opening", e);
    }
  }

  private Connection borrow() {
    Connection c = idle.poll();
    if (c != null) {
      return c;
    }
    synchronized (all) {
      if (all.size() < POOL) {
        return open();
      }
    }
    try {
      return idle.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted while waiting to read " + file, e);
    }
  }

  @Override
  public ExperimentRecord experiment() {
    return read(connection -> {
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
  public List<StudyRecord> studies() {
    return read(connection -> {
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

  /**
   * Filtered by study (strategy, seed) and status, sorted with NULLs last and ties by id in the
   * sort's direction. By
   * offset, or by keyset ({@link TrialQuery#afterId()}, {@link TrialQuery#beforeId()}): the
   * anchor row's sort value is read by id, and the page is the next range of the sort column's
   * index after (or before) it, so the last page costs what the first does. The total comes from
   * the kept counts (schema version 4) or the computed ones ({@link #computed()}).
   */
  @Override
  public Page<TrialRecord> trials(TrialQuery query) {
    boolean kept = keepsAggregates();
    java.util.Map<Long, java.util.Map<dev.strata.search.trial.TrialStatus, Long>> computedCounts = kept ? null : computed().counts();
    return read(connection -> {
      List<Long> studyIds = null;
      if (query.strategy().isPresent() || query.seed().isPresent()) {
        studyIds = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(
            "SELECT id FROM studies WHERE (? IS NULL OR strategy = ?) AND (? IS NULL OR seed = ?) ORDER BY id")) {
          ps.setObject(1, query.strategy().orElse(null));
          ps.setObject(2, query.strategy().orElse(null));
          ps.setObject(3, query.seed().orElse(null));
          ps.setObject(4, query.seed().orElse(null));
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              studyIds.add(rs.getLong(1));
            }
          }
        }
      }
      List<Object> args = new ArrayList<>();
      query.status().ifPresent(v -> args.add(v.name()));
      long total;
      if (kept) {
        total = count(connection, " FROM (SELECT n AS c FROM trial_counts WHERE n > 0" + inStudies("study_id", studyIds)
            + (query.status().isPresent() ? " AND status = ?" : "") + ")", args, "COALESCE(SUM(c), 0)");
      } else {
        total = 0;
        for (var byStudy : computedCounts.entrySet()) {
          if (studyIds == null || studyIds.contains(byStudy.getKey())) {
            for (var n : byStudy.getValue().entrySet()) {
              total += query.status().isEmpty() || query.status().get() == n.getKey() ? n.getValue() : 0;
            }
          }
        }
      }
      // Above a few thousand matches, the filters must not take the sort column's index away
      // (SQLite would then sort every match): a unary + keeps them off their own indexes.
      String hint = total > 5000 ? "+" : "";
      String where = " FROM trials t WHERE 1 = 1" + inStudies(hint + "t.study_id", studyIds)
          + (query.status().isPresent() ? " AND " + hint + "t.status = ?" : "");
      String column = switch (query.sort()) {
        case "value" -> "t.value";
        case "parameters" -> "t.parameters";
        case "trainSeconds" -> "t.train_seconds";
        case "finished" -> "t.finished_ms";
        default -> "t.id";
      };
      boolean nullable = column.equals("t.value") || column.equals("t.finished_ms");
      if (query.keyset()) {
        return keysetPage(connection, query, where, args, column, nullable, total);
      }
      // NULLs go last. Rather than ORDER BY (col IS NULL), col, which no index serves (every page a
      // sort of the whole table), the rows with a value come first from the column's index, then
      // the NULL rows by id: two index-ordered ranges.
      String direction = query.ascending() ? " ASC" : " DESC";
      // Ties by id in the same direction: the column's index (which holds the id) is read as it is,
      // with no sort of the ties (a capped accuracy can tie half a million trials).
      String byColumn = " ORDER BY " + column + direction + (column.equals("t.id") ? "" : ", t.id" + direction) + " LIMIT ? OFFSET ?";
      List<TrialRecord> items = new ArrayList<>();
      if (!nullable) {
        page(connection, where, args, byColumn, query.limit(), query.offset(), items);
      } else {
        String valued = where + " AND " + column + " IS NOT NULL";
        page(connection, valued, args, byColumn, query.limit(), query.offset(), items);
        int rest = query.limit() - items.size();
        if (rest > 0) {
          // Only now is the number of valued rows needed (the offset may reach past them).
          long withValue = items.isEmpty() ? count(connection, valued, args, "COUNT(*)") : query.offset() + items.size();
          page(connection, where + " AND " + column + " IS NULL", args, " ORDER BY t.id ASC LIMIT ? OFFSET ?", rest,
              (int) Math.max(0, query.offset() - withValue), items);
        }
      }
      return new Page<>(items, total, query.offset(), query.limit());
    });
  }

  private static String inStudies(String column, List<Long> studyIds) {
    if (studyIds == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(" AND " + column + " IN (");
    for (int i = 0; i < studyIds.size(); i++) {
      b.append(i == 0 ? "" : ", ").append(studyIds.get(i));
    }
    return b.append(')').toString();
  }

  /**
   * A keyset page. The order is the column's non-NULL rows ({@code col ASC, id ASC} or {@code col
   * DESC, id DESC}: one index read forwards or backwards), then its NULL rows by id. After an anchor: the next rows of that order (limit + 1, to know whether
   * more follow); before one (or from the end): the rows before it read backwards, then put back
   * in order.
   */
  private Page<TrialRecord> keysetPage(Connection connection, TrialQuery query, String where, List<Object> args, String column,
      boolean nullable, long total) throws SQLException {
    boolean forward = query.afterId() != 0;
    long anchor = forward ? query.afterId() : query.beforeId();
    boolean fromEnd = anchor == TrialQuery.LAST;
    Object anchorValue = null;
    if (!fromEnd) {
      try (PreparedStatement ps = connection.prepareStatement("SELECT " + column + " FROM trials t WHERE t.id = ?")) {
        ps.setLong(1, anchor);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            throw new IllegalArgumentException("no trial " + anchor + " to page from: start again from the first page");
          }
          anchorValue = rs.getObject(1);
        }
      }
    }
    boolean anchorInNulls = !fromEnd && anchorValue == null;
    boolean asc = query.ascending();
    int want = query.limit() + 1;
    List<TrialRecord> rows = new ArrayList<>();
    String notNull = nullable ? " AND " + column + " IS NOT NULL" : "";
    if (forward) {
      if (!anchorInNulls) {
        String range = column.equals("t.id") ? (asc ? " AND t.id > ?" : " AND t.id < ?")
            : " AND " + column + (asc ? " >= ?" : " <= ?") + " AND NOT (" + column + " = ? AND t.id " + (asc ? "<=" : ">=") + " ?)";
        String order = column.equals("t.id") ? (asc ? " ORDER BY t.id ASC" : " ORDER BY t.id DESC")
            : " ORDER BY " + column + (asc ? " ASC, t.id ASC" : " DESC, t.id DESC");
        select(connection, where + notNull + range, args, anchorArgs(column, anchorValue, anchor), order, want, rows);
      }
      if (nullable && rows.size() < want) {
        select(connection, where + " AND " + column + " IS NULL" + (anchorInNulls ? " AND t.id > ?" : ""), args,
            anchorInNulls ? List.of(anchor) : List.of(), " ORDER BY t.id ASC", want - rows.size(), rows);
      }
      boolean more = rows.size() > query.limit();
      List<TrialRecord> items = more ? rows.subList(0, query.limit()) : rows;
      return new Page<>(items, total, -1, query.limit(), true, more);
    }
    if (nullable && (fromEnd || anchorInNulls)) {
      select(connection, where + " AND " + column + " IS NULL" + (anchorInNulls ? " AND t.id < ?" : ""), args,
          anchorInNulls ? List.of(anchor) : List.of(), " ORDER BY t.id DESC", want, rows);
    }
    if (rows.size() < want) {
      String range = fromEnd || anchorInNulls ? ""
          : column.equals("t.id") ? (asc ? " AND t.id < ?" : " AND t.id > ?")
          : " AND " + column + (asc ? " <= ?" : " >= ?") + " AND NOT (" + column + " = ? AND t.id " + (asc ? ">=" : "<=") + " ?)";
      String order = column.equals("t.id") ? (asc ? " ORDER BY t.id DESC" : " ORDER BY t.id ASC")
          : " ORDER BY " + column + (asc ? " DESC, t.id DESC" : " ASC, t.id ASC");
      select(connection, where + notNull + range, args, range.isEmpty() ? List.of() : anchorArgs(column, anchorValue, anchor), order,
          want - rows.size(), rows);
    }
    boolean more = rows.size() > query.limit();
    List<TrialRecord> items = new ArrayList<>(more ? rows.subList(0, query.limit()) : rows);
    java.util.Collections.reverse(items);
    return new Page<>(items, total, fromEnd ? (int) Math.max(0, total - items.size()) : -1, query.limit(), more, !fromEnd);
  }

  private static List<Object> anchorArgs(String column, Object value, long id) {
    return column.equals("t.id") ? List.of(id) : java.util.Arrays.asList(value, value, id);
  }

  private static void select(Connection connection, String from, List<Object> args, List<Object> more, String order, int limit,
      List<TrialRecord> into) throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement("SELECT " + Rows.TRIAL_COLUMNS + from + order + " LIMIT ?")) {
      bind(ps, args);
      for (int i = 0; i < more.size(); i++) {
        ps.setObject(args.size() + i + 1, more.get(i));
      }
      ps.setInt(args.size() + more.size() + 1, limit);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          into.add(Rows.trial(rs));
        }
      }
    }
  }

  private static long count(Connection connection, String from, List<Object> args, String what) throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement("SELECT " + what + from)) {
      bind(ps, args);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static void page(Connection connection, String from, List<Object> args, String order, int limit, int offset,
      List<TrialRecord> into) throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement("SELECT " + Rows.TRIAL_COLUMNS + from + order)) {
      bind(ps, args);
      ps.setInt(args.size() + 1, limit);
      ps.setInt(args.size() + 2, offset);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          into.add(Rows.trial(rs));
        }
      }
    }
  }

  /** Keyset: one range of the primary key per page. */
  @Override
  public List<TrialRecord> trialsAfter(long afterId, int limit) {
    return read(connection -> {
      List<TrialRecord> out = new ArrayList<>();
      try (PreparedStatement ps = connection.prepareStatement(TRIALS_AFTER_SQL)) {
        ps.setLong(1, afterId);
        ps.setInt(2, Math.max(1, Math.min(limit, 10_000)));
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(Rows.trial(rs));
          }
        }
      }
      return out;
    });
  }

  /** Keyset like {@link #trialsAfter}, without the JSON columns (no configuration, metrics or tags to parse). */
  @Override
  public List<TrialRecord> slimTrialsAfter(long afterId, int limit) {
    return read(connection -> {
      List<TrialRecord> out = new ArrayList<>();
      try (PreparedStatement ps = connection.prepareStatement(SLIM_TRIALS_AFTER_SQL)) {
        ps.setLong(1, afterId);
        ps.setInt(2, Math.max(1, Math.min(limit, 10_000)));
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(slim(rs));
          }
        }
      }
      return out;
    });
  }

  private static final dev.strata.search.trial.Configuration NO_CONFIGURATION = dev.strata.search.trial.Configuration.of(java.util.Map.of());
  /** A slim trial's columns: no configuration, times or tags, and of the metrics only its constraint violation. */
  static final String SLIM_COLUMNS = "t.id, t.study_id, t.idx, t.status, t.value, t.parameters, t.train_seconds,"
      + " json_extract(t.metrics_json, '$." + dev.strata.search.trial.Objectives.VIOLATION + "')";

  static final String SLIM_TRIALS_AFTER_SQL = "SELECT " + SLIM_COLUMNS
      + " FROM trials t WHERE t.id > ? ORDER BY t.id LIMIT ?";

  static final String TRIALS_AFTER_SQL = "SELECT " + Rows.TRIAL_COLUMNS + " FROM trials t WHERE t.id > ? ORDER BY t.id LIMIT ?";
  static final String STATUS_COUNTS_SQL = Aggregates.COUNTS_SELECT;

  static final String KEPT_COUNTS_SQL = "SELECT study_id, status, n FROM trial_counts WHERE n > 0";

  /**
   * From the counts the triggers keep (schema version 4, {@link Aggregates}); on an older store
   * from {@link #computed()}.
   */
  @Override
  public java.util.Map<Long, java.util.Map<dev.strata.search.trial.TrialStatus, Long>> statusCounts() {
    boolean kept = keepsAggregates();
    if (!kept) {
      return computed().counts();
    }
    return read(connection -> {
      java.util.Map<Long, java.util.Map<dev.strata.search.trial.TrialStatus, Long>> out = new java.util.LinkedHashMap<>();
      try (PreparedStatement ps = connection.prepareStatement(kept ? KEPT_COUNTS_SQL : STATUS_COUNTS_SQL);
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.computeIfAbsent(rs.getLong(1), k -> new java.util.EnumMap<>(dev.strata.search.trial.TrialStatus.class))
              .put(dev.strata.search.trial.TrialStatus.valueOf(rs.getString(2)), rs.getLong(3));
        }
      }
      return out;
    });
  }

  private volatile boolean keepsAggregates;

  /**
   * Whether the store has the aggregates of schema version 4. Asked again while it has not: a
   * writer may migrate the file while this reader is open.
   */
  boolean keepsAggregates() {
    if (!keepsAggregates) {
      keepsAggregates = schemaVersion() >= 4;
    }
    return keepsAggregates;
  }

  /**
   * From {@code study_progress} and {@code best_changes} (schema version 4), in one snapshot; on an
   * older store from {@link #computed()}.
   */
  @Override
  public Optional<List<dev.strata.runs.StudyProgress>> studyProgress() {
    if (!keepsAggregates()) {
      return Optional.of(computed().progress());
    }
    return Optional.of(read(connection -> {
      java.util.Map<Long, List<dev.strata.runs.StudyProgress.Step>> steps = new java.util.LinkedHashMap<>();
      try (PreparedStatement ps = connection.prepareStatement(
              "SELECT study_id, k, trial_id, value, seconds FROM best_changes ORDER BY study_id, idx");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          steps.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
              .add(new dev.strata.runs.StudyProgress.Step(rs.getLong(2), rs.getLong(3), rs.getDouble(4), rs.getDouble(5)));
        }
      }
      List<dev.strata.runs.StudyProgress> out = new ArrayList<>();
      try (PreparedStatement ps = connection.prepareStatement(
              "SELECT s.id, COALESCE(p.finished, 0), COALESCE(p.seconds, 0) FROM studies s"
                  + " LEFT JOIN study_progress p ON p.study_id = s.id ORDER BY s.id");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new dev.strata.runs.StudyProgress(rs.getLong(1), rs.getLong(2), rs.getDouble(3),
              steps.getOrDefault(rs.getLong(1), List.of())));
        }
      }
      return out;
    }));
  }

  /** From {@code pareto_front} (schema version 4); on an older store from {@link #computed()}. */
  @Override
  public Optional<List<TrialRecord>> paretoFront() {
    if (!keepsAggregates()) {
      return Optional.of(computed().front());
    }
    return Optional.of(read(connection -> {
      List<TrialRecord> out = new ArrayList<>();
      try (PreparedStatement ps = connection.prepareStatement(
              "SELECT " + SLIM_COLUMNS + " FROM pareto_front f"
                  + " JOIN trials t ON t.id = f.trial_id ORDER BY f.parameters, f.value, f.trial_id");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(slim(rs));
        }
      }
      return out;
    }));
  }

  /** The aggregates of an older store, computed, and the state of the files they were computed from. */
  private record Computed(List<Object> files, java.util.Map<Long, java.util.Map<dev.strata.search.trial.TrialStatus, Long>> counts,
      List<dev.strata.runs.StudyProgress> progress, List<TrialRecord> front) {}

  private final Object computing = new Object();
  private volatile Computed computed;

  /**
   * The aggregates of schema version 4 for a store written before it (read-only, so never
   * migrated here): counts, progress, best-so-far change points and Pareto front, computed by the
   * very selects migration 4 fills its tables with ({@link Aggregates}), one pass over the trials
   * each, in one read transaction, nothing written. Kept while the database and its WAL file are
   * unchanged (size and modification time), so only the first request of an unchanged run pays
   * the passes; a writer that opens the run migrates it, and the kept tables take over.
   */
  private Computed computed() {
    List<Object> files = fileState();
    Computed c = computed;
    if (c != null && c.files().equals(files)) {
      return c;
    }
    synchronized (computing) {
      c = computed;
      if (c != null && c.files().equals(files)) {
        return c;
      }
      c = read(connection -> {
        java.util.Map<Long, java.util.Map<dev.strata.search.trial.TrialStatus, Long>> counts = new java.util.LinkedHashMap<>();
        try (PreparedStatement ps = connection.prepareStatement(Aggregates.COUNTS_SELECT); ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            counts.computeIfAbsent(rs.getLong(1), k -> new java.util.EnumMap<>(dev.strata.search.trial.TrialStatus.class))
                .put(dev.strata.search.trial.TrialStatus.valueOf(rs.getString(2)), rs.getLong(3));
          }
        }
        java.util.Map<Long, double[]> finished = new java.util.HashMap<>();
        try (PreparedStatement ps = connection.prepareStatement(Aggregates.PROGRESS_SELECT); ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            finished.put(rs.getLong(1), new double[] {rs.getLong(2), rs.getDouble(3)});
          }
        }
        java.util.Map<Long, List<dev.strata.runs.StudyProgress.Step>> steps = new java.util.HashMap<>();
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT study_id, k, id, value, secs FROM (" + Aggregates.BEST_CHANGES_SELECT + ") ORDER BY study_id, idx");
            ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            steps.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                .add(new dev.strata.runs.StudyProgress.Step(rs.getLong(2), rs.getLong(3), rs.getDouble(4), rs.getDouble(5)));
          }
        }
        List<dev.strata.runs.StudyProgress> progress = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT id FROM studies ORDER BY id"); ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            double[] f = finished.getOrDefault(rs.getLong(1), new double[2]);
            progress.add(new dev.strata.runs.StudyProgress(rs.getLong(1), (long) f[0], f[1], steps.getOrDefault(rs.getLong(1), List.of())));
          }
        }
        List<TrialRecord> front = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT " + SLIM_COLUMNS + " FROM (" + Aggregates.PARETO_SELECT
                    + ") f JOIN trials t ON t.id = f.id ORDER BY f.parameters, f.value, f.id");
            ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            front.add(slim(rs));
          }
        }
        return new Computed(files, counts, List.copyOf(progress), List.copyOf(front));
      });
      computed = c;
      return c;
    }
  }

  /** Size and modification time of the database and its WAL file (absent: -1). */
  private List<Object> fileState() {
    List<Object> out = new ArrayList<>();
    for (Path f : List.of(file, file.resolveSibling(file.getFileName() + "-wal"))) {
      try {
        var a = java.nio.file.Files.readAttributes(f, java.nio.file.attribute.BasicFileAttributes.class);
        out.add(a.size());
        out.add(a.lastModifiedTime());
      } catch (java.io.IOException absent) {
        out.add(-1L);
        out.add(-1L);
      }
    }
    return out;
  }

  /**
   * Ids spread evenly from the smallest to the largest, each looked up by primary key (a trial id
   * never disappears, so every one is found): {@code max} lookups whatever the run's size.
   */
  @Override
  public List<TrialRecord> sample(int max) {
    return read(connection -> {
      long lo;
      long hi;
      try (PreparedStatement ps = connection.prepareStatement("SELECT MIN(id), MAX(id) FROM trials"); ResultSet rs = ps.executeQuery()) {
        rs.next();
        lo = rs.getLong(1);
        hi = rs.getLong(2);
      }
      List<TrialRecord> out = new ArrayList<>();
      if (hi < lo || hi == 0 || max < 1) {
        return out;
      }
      long span = hi - lo + 1;
      try (PreparedStatement ps = connection.prepareStatement("SELECT " + Rows.TRIAL_COLUMNS + " FROM trials t WHERE t.id = ?")) {
        long previous = Long.MIN_VALUE;
        for (int i = 0; i < Math.min(max, span); i++) {
          long id = lo + (span <= max ? i : (long) ((double) i * span / max));
          if (id == previous) {
            continue;
          }
          previous = id;
          ps.setLong(1, id);
          try (ResultSet rs = ps.executeQuery()) {
            if (rs.next()) {
              out.add(Rows.trial(rs));
            }
          }
        }
      }
      return out;
    });
  }

  private static TrialRecord slim(ResultSet rs) throws SQLException {
    double read = rs.getDouble(5);
    double value = rs.wasNull() ? Double.NaN : read; // right after the read: wasNull is about the last column read
    double violation = rs.getDouble(8);
    java.util.Map<String, Double> metrics = violation > 0
        ? java.util.Map.of(dev.strata.search.trial.Objectives.VIOLATION, violation) : java.util.Map.of();
    return new TrialRecord(rs.getLong(1), rs.getLong(2), rs.getInt(3), NO_CONFIGURATION,
        dev.strata.search.trial.TrialStatus.valueOf(rs.getString(4)), value, metrics,
        rs.getLong(6), 0, rs.getDouble(7), null, null, "", "", java.util.Map.of());
  }

  @Override
  public Optional<TrialRecord> trial(long id) {
    return read(connection -> {
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
  public List<EpochRecord> curve(long trialId) {
    return read(connection -> {
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
  public Optional<String> networkSpecJson(long trialId) {
    return read(connection -> {
      try (PreparedStatement ps = connection.prepareStatement("SELECT network_json FROM trials WHERE id = ?")) {
        ps.setLong(1, trialId);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.<String>empty();
        }
      }
    });
  }

  @Override
  public List<RunEvent> eventsAfter(long afterId, int limit) {
    int bounded = Math.max(1, Math.min(limit, 10_000));
    return read(connection -> {
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
  public long lastEventId() {
    return read(connection -> {
      try (PreparedStatement ps = connection.prepareStatement("SELECT COALESCE(MAX(id), 0) FROM events");
          ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    });
  }

  /** Empty for a run written before schema version 3 (a read-only reader does not migrate). */
  @Override
  public List<WorkerRecord> workers() {
    return read(connection -> {
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

  /** {@code PRAGMA quick_check}: {@code "ok"} when sound (the B-trees, without matching indexes to tables). */
  String quickCheck() {
    return read(connection -> {
      try (PreparedStatement ps = connection.prepareStatement("PRAGMA quick_check(3)"); ResultSet rs = ps.executeQuery()) {
        StringBuilder out = new StringBuilder();
        while (rs.next()) {
          out.append(out.isEmpty() ? "" : "\n").append(rs.getString(1));
        }
        return out.toString();
      }
    });
  }

  /** The schema version ({@link Schema#version}); 0 when the file holds no schema. */
  int schemaVersion() {
    return read(Schema::version);
  }

  /** Whether the database has no experiment row (empty, without tables, or stopped before the row). */
  boolean holdsNoExperiment() {
    return read(connection -> {
      try (PreparedStatement ps = connection.prepareStatement(
              "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'experiment'");
          ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return true;
        }
      }
      try (PreparedStatement ps = connection.prepareStatement("SELECT COUNT(*) FROM experiment"); ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1) == 0;
      }
    });
  }

  /**
   * A first look at the file: null when it opens as a Strata database with an experiment; else
   * the one line to show (damaged, or not a run).
   */
  String integrityProbe() {
    try {
      if (!holdsNoExperiment()) {
        return null;
      }
      // No experiment row: a damaged file can look like that too, so check before saying which.
      String check = quickCheck();
      if (!check.equals("ok")) {
        return RunStore.damaged(file.toAbsolutePath().getParent(), "quick_check: " + RunStore.printable(check.lines().findFirst().orElse(check)));
      }
      return file + " holds no experiment: it is not a Strata run, or one stopped during its start-up; check the path,"
          + " or start the run again with 'strata run EXPERIMENT.json'";
    } catch (StoreException e) {
      return e.getMessage();
    }
  }

  /** {@code PRAGMA integrity_check}: {@code "ok"} when sound. */
  public String integrityCheck() {
    return read(Connections::integrityCheck);
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    SQLException failure = null;
    for (Connection c : all) {
      try {
        c.rollback();
        c.close();
      } catch (SQLException e) {
        failure = e;
      }
    }
    if (failure != null) {
      throw new StoreException("closing reader of " + file + " failed: " + failure.getMessage(), failure);
    }
  }

  @FunctionalInterface
  private interface Query<T> {
    T run(Connection connection) throws SQLException;
  }

  private <T> T read(Query<T> query) {
    if (closed) {
      throw new IllegalStateException("the reader of " + file + " is closed");
    }
    Connection connection = borrow();
    try {
      T result = query.run(connection);
      connection.commit();
      return result;
    } catch (SQLException e) {
      try {
        connection.rollback();
      } catch (SQLException ignored) {
        // the original failure is what matters
      }
      throw failure("reading", e);
    } catch (IllegalArgumentException | NullPointerException e) {
      // A row that does not decode (NULL in a NOT NULL column, JSON cut short) is a damaged file.
      try {
        connection.rollback();
      } catch (SQLException ignored) {
        // the damage is what matters
      }
      throw new StoreException(RunStore.damaged(file.toAbsolutePath().getParent(),
          "a row does not decode: " + RunStore.printable(String.valueOf(e.getMessage()))), e);
    } finally {
      if (closed) {
        try {
          connection.close();
        } catch (SQLException ignored) {
          // closing after close(): nothing more to tell
        }
      } else {
        idle.add(connection);
      }
    }
  }

  /**
   * One line for a failed open or read: a damaged file says so, with what to do; a read-only
   * directory names the cause; other errors keep SQLite's message (control characters removed).
   */
  private StoreException failure(String doing, SQLException e) {
    String m = RunStore.printable(String.valueOf(e.getMessage()));
    // sqlite-jdbc says "[CODE] Text (text)": keep the text once.
    java.util.regex.Matcher twice = java.util.regex.Pattern.compile("^(.*\\S)\\s*\\(([^()]*)\\)$").matcher(m);
    if (twice.matches() && twice.group(1).toLowerCase(java.util.Locale.ROOT).contains(twice.group(2).toLowerCase(java.util.Locale.ROOT))) {
      m = twice.group(1);
    }
    Path runDir = file.toAbsolutePath().getParent();
    if (m.contains("SQLITE_CORRUPT") || m.contains("SQLITE_NOTADB") || m.contains("malformed") || m.contains("not a database")) {
      return new StoreException(RunStore.damaged(runDir, m.replaceFirst("^\\[?SQLITE_\\w+\\]?\\s*", "").strip()), e);
    }
    if (m.contains("SQLITE_READONLY") || m.contains("SQLITE_CANTOPEN")) {
      return new StoreException(doing + " " + file + " failed (" + m + "): the run directory must be writable while a"
          + " writer has the run open or left a -wal file behind; make it writable, or copy the run elsewhere", e);
    }
    return new StoreException(doing + " " + file + " failed: " + m, e);
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
