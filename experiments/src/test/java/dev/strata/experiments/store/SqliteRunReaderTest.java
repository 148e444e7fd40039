package dev.strata.experiments.store;

import dev.strata.search.study.NewTrial;
import dev.strata.search.study.TrialFinish;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.runs.Page;
import dev.strata.runs.RunEvent;
import dev.strata.runs.RunReader;
import dev.strata.runs.TrialQuery;
import dev.strata.search.trial.Configuration;
import dev.strata.search.trial.EpochRecord;
import dev.strata.search.trial.StudyRecord;
import dev.strata.search.trial.TrialRecord;
import dev.strata.search.trial.TrialStatus;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteRunReaderTest {

  @TempDir Path tmp;

  private static TrialQuery query(String strategy, Long seed, TrialStatus status, String sort, boolean asc,
      int offset, int limit) {
    return new TrialQuery(Optional.ofNullable(strategy), Optional.ofNullable(seed), Optional.ofNullable(status),
        sort, asc, offset, limit);
  }

  /**
   * Known data: study random/s1 has values 9, 8, ..., 0 for indices 0..9 except index 3 FAILED;
   * study tpe/s2 has 5 trials with values 0.5 + index, parameters 100 × index.
   */
  private static void fill(RunStore store) {
    StudyRecord random = store.addStudy("random", 1, 10, Map.of());
    StudyRecord tpe = store.addStudy("tpe", 2, 5, Map.of("gamma", 0.25));
    for (int i = 0; i < 10; i++) {
      TrialRecord t = RunStoreTest.next(store, random.id(), i).getFirst();
      store.startTrial(t.id(), "local-1");
      if (i == 3) {
        store.finishTrial(t.id(), TrialFinish.failed(TrialStatus.FAILED, "boom"));
      } else {
        store.finishTrial(t.id(), TrialFinish.completed(9 - i, Map.of("loss", 9.0 - i), i));
      }
    }
    for (int i = 0; i < 5; i++) {
      TrialRecord t = RunStoreTest.next(store, tpe.id(), i).getFirst();
      store.startTrial(t.id(), "local-2");
      for (int e = 1; e <= 3; e++) {
        store.recordEpoch(new EpochRecord(t.id(), e, 1.0 / e, 1.0 / e, 0.5 + i, e));
      }
      store.finishTrial(t.id(), new TrialFinish(TrialStatus.COMPLETED, 0.5 + i, Map.of("loss", 0.5 + i),
          100L * i, 10, 1, "{\"net\":" + i + "}", ""));
    }
  }

  @Test
  void pagesSortsAndFilters() {
    Path dir = tmp.resolve("r");
    try (RunStore store = RunStoreTest.create(dir)) {
      fill(store);
    }
    try (RunReader reader = RunStore.openReader(dir)) {
      assertEquals("test", reader.experiment().name());
      assertEquals(List.of("random/s1", "tpe/s2"), reader.studies().stream().map(StudyRecord::label).toList());
      assertEquals(Map.of("gamma", 0.25), reader.studies().get(1).options());

      Page<TrialRecord> all = reader.trials(TrialQuery.firstPage());
      assertEquals(15, all.total());
      assertEquals(15, all.items().size());

      Page<TrialRecord> page = reader.trials(query(null, null, null, "id", true, 4, 5));
      assertEquals(15, page.total());
      assertEquals(List.of(5L, 6L, 7L, 8L, 9L), page.items().stream().map(TrialRecord::id).toList());

      Page<TrialRecord> random = reader.trials(query("random", null, null, "value", true, 0, 100));
      assertEquals(10, random.total());
      List<Double> values = random.items().stream().map(TrialRecord::value).toList();
      assertEquals(List.of(0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 7.0, 8.0, 9.0), values.subList(0, 9));
      assertTrue(Double.isNaN(values.get(9)), "the failed trial (no value) sorts last");

      Page<TrialRecord> desc = reader.trials(query("random", 1L, null, "value", false, 0, 2));
      assertEquals(List.of(9.0, 8.0), desc.items().stream().map(TrialRecord::value).toList());
      assertTrue(Double.isNaN(reader.trials(query("random", 1L, null, "value", false, 9, 1)).items().getFirst().value()),
          "no value sorts last in both directions");

      assertEquals(1, reader.trials(query(null, null, TrialStatus.FAILED, "id", true, 0, 10)).total());
      assertEquals(0, reader.trials(query("random", 2L, null, "id", true, 0, 10)).total());
      Page<TrialRecord> params = reader.trials(query("tpe", 2L, null, "parameters", false, 0, 2));
      assertEquals(List.of(400L, 300L), params.items().stream().map(TrialRecord::parameters).toList());

      TrialRecord tpe0 = reader.trials(query("tpe", null, null, "id", true, 0, 1)).items().getFirst();
      assertEquals(3, reader.curve(tpe0.id()).size());
      assertEquals(Optional.of("{\"net\":0}"), reader.networkSpecJson(tpe0.id()));
      assertEquals(Optional.empty(), reader.networkSpecJson(1));
      assertEquals(Optional.empty(), reader.trial(999));
      assertEquals(reader.eventsAfter(0, 1000).size(), reader.lastEventId());
    }
  }

  @Test
  void readsConsistentSnapshotsWhileAnotherConnectionWrites() throws Exception {
    Path dir = tmp.resolve("concurrent");
    int trials = 300;
    try (RunStore store = RunStoreTest.create(dir);
        RunReader shared = store.reader();
        RunReader readOnly = RunStore.openReader(dir)) {
      StudyRecord study = store.addStudy("random", 1, trials, Map.of());
      AtomicBoolean writing = new AtomicBoolean(true);
      AtomicReference<Throwable> failure = new AtomicReference<>();
      AtomicInteger reads = new AtomicInteger();
      List<Thread> readers = new ArrayList<>();
      for (RunReader reader : List.of(shared, readOnly, shared)) {
        readers.add(Thread.ofPlatform().start(() -> {
          try {
            long lastSeen = 0;
            while (writing.get()) {
              Page<TrialRecord> done = reader.trials(query(null, null, TrialStatus.COMPLETED, "id", true, 0, 1000));
              assertEquals(done.total(), done.items().size(), "a page and its total come from one snapshot");
              for (TrialRecord t : done.items()) {
                assertEquals(t.id() * 2.0, t.value(), "no torn rows");
              }
              List<RunEvent> events = reader.eventsAfter(lastSeen, 10_000);
              for (RunEvent e : events) {
                assertEquals(++lastSeen, e.id(), "events arrive without gaps");
              }
              reads.incrementAndGet();
            }
          } catch (Throwable t) {
            failure.compareAndSet(null, t);
          }
        }));
      }
      for (int i = 0; i < trials; i++) {
        TrialRecord t = store.recordNext(study.id(), 1, i, "[]",
            List.of(new NewTrial(i, Configuration.of(Map.of("i", i)), i, Map.of()))).getFirst();
        store.startTrial(t.id(), "w");
        store.finishTrial(t.id(), TrialFinish.completed(t.id() * 2.0, Map.of(), 0));
      }
      writing.set(false);
      for (Thread t : readers) {
        t.join();
      }
      if (failure.get() != null) {
        throw new AssertionError(failure.get());
      }
      assertTrue(reads.get() > 3, "the readers read while the writer wrote: " + reads.get());
      assertEquals(trials, readOnly.trials(query(null, null, TrialStatus.COMPLETED, "id", true, 0, 1000)).total());
    }
  }

  @Test
  void keysetPagesAndGroupedCountsAgreeWithTheOffsetPages() {
    Path dir = tmp.resolve("keyset");
    try (RunStore store = RunStore.create(dir, "r", "acc", dev.strata.search.trial.Direction.MAXIMIZE, "{}")) {
      fill(store);
    }
    try (RunReader r = RunStore.openReader(dir)) {
      List<Long> ids = new ArrayList<>();
      long after = 0;
      for (List<TrialRecord> page; !(page = r.trialsAfter(after, 4)).isEmpty(); after = page.getLast().id()) {
        assertTrue(page.size() <= 4);
        page.forEach(t -> ids.add(t.id()));
      }
      assertEquals(r.trials(query(null, null, null, "id", true, 0, 1000)).items().stream().map(TrialRecord::id).toList(), ids);
      List<TrialRecord> full = r.trialsAfter(0, 100);
      List<TrialRecord> slim = r.slimTrialsAfter(0, 100);
      assertEquals(full.stream().map(t -> t.id() + " " + t.studyId() + " " + t.index() + " " + t.status() + " " + t.value() + " "
          + t.parameters() + " " + t.trainSeconds()).toList(), slim.stream().map(t -> t.id() + " " + t.studyId() + " " + t.index() + " "
          + t.status() + " " + t.value() + " " + t.parameters() + " " + t.trainSeconds()).toList(), "slim rows carry the same values");
      Map<Long, Map<TrialStatus, Long>> counts = r.statusCounts();
      assertEquals(Map.of(TrialStatus.COMPLETED, 9L, TrialStatus.FAILED, 1L), counts.get(1L));
      assertEquals(Map.of(TrialStatus.COMPLETED, 5L), counts.get(2L));
    }
  }

  /**
   * Keyset pages walked forwards from the first page and backwards from the last give the same
   * rows, in the same order, as offset pages: every sort key, both orders, with filters, with
   * NULL values (failed, pending) and ties.
   */
  @Test
  void keysetPagesWalkTheSameOrderAsOffsets() {
    Path dir = tmp.resolve("walk");
    try (RunStore store = RunStoreTest.create(dir)) {
      fill(store);
      StudyRecord s = store.addStudy("random", 7, 5, Map.of());
      RunStoreTest.next(store, s.id(), 0, 1, 2); // pending: no value, no finish time
      TrialRecord tie = RunStoreTest.next(store, s.id(), 3).getFirst();
      store.startTrial(tie.id(), "w");
      store.finishTrial(tie.id(), TrialFinish.completed(4, Map.of(), 2)); // ties random/s1's value 4
    }
    try (RunReader r = RunStore.openReader(dir)) {
      for (String sort : TrialQuery.SORT_KEYS) {
        for (boolean asc : new boolean[] {true, false}) {
          for (String strategy : new String[] {null, "random"}) {
            for (TrialStatus status : new TrialStatus[] {null, TrialStatus.COMPLETED}) {
              String what = sort + (asc ? " asc" : " desc") + " " + strategy + " " + status;
              List<Long> all = r.trials(new TrialQuery(Optional.ofNullable(strategy), Optional.empty(), Optional.ofNullable(status),
                  sort, asc, 0, 1000)).items().stream().map(TrialRecord::id).toList();
              for (int limit : new int[] {1, 3, 4}) {
                List<Long> forward = new ArrayList<>();
                Page<TrialRecord> p = r.trials(new TrialQuery(Optional.ofNullable(strategy), Optional.empty(), Optional.ofNullable(status),
                    sort, asc, 0, limit));
                p.items().forEach(t -> forward.add(t.id()));
                while (p.hasNext()) {
                  p = r.trials(new TrialQuery(Optional.ofNullable(strategy), Optional.empty(), Optional.ofNullable(status), sort, asc, 0,
                      limit, p.items().getLast().id(), 0));
                  assertTrue(p.items().size() <= limit);
                  p.items().forEach(t -> forward.add(t.id()));
                }
                assertEquals(all, forward, "forwards, " + limit + " a page: " + what);
                List<Long> backward = new ArrayList<>();
                p = r.trials(new TrialQuery(Optional.ofNullable(strategy), Optional.empty(), Optional.ofNullable(status), sort, asc, 0,
                    limit, 0, TrialQuery.LAST));
                assertEquals(all.size(), p.total(), what);
                assertEquals(all.subList(Math.max(0, all.size() - limit), all.size()), p.items().stream().map(TrialRecord::id).toList(),
                    "the last page: " + what);
                backward.addAll(0, p.items().stream().map(TrialRecord::id).toList());
                while (p.hasPrevious()) {
                  p = r.trials(new TrialQuery(Optional.ofNullable(strategy), Optional.empty(), Optional.ofNullable(status), sort, asc, 0,
                      limit, 0, p.items().getFirst().id()));
                  backward.addAll(0, p.items().stream().map(TrialRecord::id).toList());
                }
                assertEquals(all, backward, "backwards, " + limit + " a page: " + what);
              }
            }
          }
        }
      }
    }
  }

  /** A sample: at most the asked number, spread over the ids from the first, whole records. */
  @Test
  void samplesSpreadOverTheIds() {
    Path dir = tmp.resolve("sample");
    try (RunStore store = RunStoreTest.create(dir)) {
      fill(store);
    }
    try (RunReader r = RunStore.openReader(dir)) {
      assertEquals(java.util.stream.LongStream.rangeClosed(1, 15).boxed().toList(), r.sample(100).stream().map(TrialRecord::id).toList());
      List<TrialRecord> five = r.sample(5);
      assertEquals(List.of(1L, 4L, 7L, 10L, 13L), five.stream().map(TrialRecord::id).toList());
      assertTrue(five.stream().allMatch(t -> t.configuration().values().containsKey("x")), "with configurations");
    }
  }

  /** The queries the dashboard makes per request or per page use an index, never a scan of the trials. */
  @Test
  void theDashboardsQueriesUseIndexes() throws Exception {
    Path dir = tmp.resolve("plans");
    try (RunStore store = RunStore.create(dir, "r", "acc", dev.strata.search.trial.Direction.MAXIMIZE, "{}")) {
      fill(store);
    }
    try (java.sql.Connection c = Connections.reader(RunStore.databaseFile(dir), true)) {
      Map<String, String> queries = new java.util.LinkedHashMap<>();
      queries.put("keyset page", SqliteRunReader.TRIALS_AFTER_SQL.replaceFirst("\\?", "5").replaceFirst("\\?", "1000"));
      queries.put("one trial", "SELECT * FROM trials t WHERE t.id = 7");
      queries.put("events after", "SELECT * FROM events WHERE id > 3 ORDER BY id LIMIT 500");
      queries.put("last event", "SELECT COALESCE(MAX(id), 0) FROM events");
      queries.put("curve", "SELECT * FROM epochs WHERE trial_id = 7 ORDER BY epoch");
      queries.put("leaderboard by id", "SELECT t.id FROM trials t JOIN studies s ON s.id = t.study_id WHERE 1 = 1 ORDER BY t.id ASC LIMIT 50 OFFSET 0");
      queries.put("leaderboard by best value", "SELECT t.id FROM trials t JOIN studies s ON s.id = t.study_id WHERE 1 = 1"
          + " AND t.value IS NOT NULL ORDER BY t.value DESC, t.id DESC LIMIT 50 OFFSET 0");
      queries.put("leaderboard by lowest value", "SELECT t.id FROM trials t JOIN studies s ON s.id = t.study_id WHERE 1 = 1"
          + " AND t.value IS NOT NULL ORDER BY t.value ASC, t.id ASC LIMIT 50 OFFSET 0");
      // Keyset pages, as SqliteRunReader.keysetPage builds them: a range of the sort column's index.
      queries.put("keyset after, best value", "SELECT t.id FROM trials t WHERE 1 = 1 AND t.value IS NOT NULL AND t.value <= 5"
          + " AND NOT (t.value = 5 AND t.id >= 3) ORDER BY t.value DESC, t.id DESC LIMIT 51");
      queries.put("keyset last page, best value", "SELECT t.id FROM trials t WHERE 1 = 1 AND t.value IS NOT NULL"
          + " ORDER BY t.value ASC, t.id ASC LIMIT 51");
      queries.put("keyset after, parameters", "SELECT t.id FROM trials t WHERE 1 = 1 AND t.parameters >= 100"
          + " AND NOT (t.parameters = 100 AND t.id <= 3) ORDER BY t.parameters ASC, t.id ASC LIMIT 51");
      queries.put("keyset before, training time", "SELECT t.id FROM trials t WHERE 1 = 1 AND t.train_seconds <= 2"
          + " AND NOT (t.train_seconds = 2 AND t.id >= 3) ORDER BY t.train_seconds DESC, t.id DESC LIMIT 51");
      queries.put("keyset after, finish time", "SELECT t.id FROM trials t WHERE 1 = 1 AND t.finished_ms IS NOT NULL"
          + " AND t.finished_ms >= 5 AND NOT (t.finished_ms = 5 AND t.id <= 3) ORDER BY t.finished_ms ASC, t.id ASC LIMIT 51");
      queries.put("keyset, filtered, large", "SELECT t.id FROM trials t WHERE 1 = 1 AND +t.study_id IN (1, 2) AND +t.status = 'COMPLETED'"
          + " AND t.value IS NOT NULL ORDER BY t.value DESC, t.id DESC LIMIT 51");
      queries.put("running trials", "SELECT t.id FROM trials t JOIN studies s ON s.id = t.study_id WHERE 1 = 1 AND t.status = 'RUNNING'"
          + " ORDER BY t.id ASC LIMIT 100 OFFSET 0");
      for (var q : queries.entrySet()) {
        StringBuilder plan = new StringBuilder();
        try (java.sql.Statement st = c.createStatement(); java.sql.ResultSet rs = st.executeQuery("EXPLAIN QUERY PLAN " + q.getValue())) {
          while (rs.next()) {
            plan.append(rs.getString("detail")).append('\n');
          }
        }
        String p = plan.toString();
        assertTrue(p.contains("USING") || p.contains("SEARCH"), q.getKey() + " uses an index: " + p);
        // No sort at all, not even of the ties of one value (a capped accuracy ties half a run).
        assertTrue(p.lines().noneMatch(l -> l.contains("USE TEMP B-TREE")), q.getKey() + " does not sort: " + p);
        // The leaderboard by id may walk the primary key in order (it stops at the page); nothing else scans.
        if (!q.getKey().equals("leaderboard by id")) {
          assertTrue(p.lines().noneMatch(l -> l.startsWith("SCAN") && !l.contains("USING")), q.getKey() + " does not scan: " + p);
        }
      }
    }
  }

  /** Readers of one run do not queue behind each other: several connections serve concurrent calls. */
  @Test
  void concurrentReadsUseSeveralConnections() throws Exception {
    Path dir = tmp.resolve("pool");
    try (RunStore store = RunStore.create(dir, "r", "acc", dev.strata.search.trial.Direction.MAXIMIZE, "{}")) {
      fill(store);
    }
    try (RunReader r = RunStore.openReader(dir)) {
      var pool = java.util.concurrent.Executors.newFixedThreadPool(6);
      List<java.util.concurrent.Future<Long>> totals = new ArrayList<>();
      for (int i = 0; i < 60; i++) {
        totals.add(pool.submit(() -> r.trials(query(null, null, null, "value", false, 0, 5)).total() + r.statusCounts().size()));
      }
      for (var f : totals) {
        assertEquals(17L, f.get());
      }
      pool.shutdown();
    }
  }
}
