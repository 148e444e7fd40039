package dev.strata.experiments.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.runs.BestSoFar;
import dev.strata.runs.ParetoRun;
import dev.strata.runs.RunReader;
import dev.strata.runs.StudyProgress;
import dev.strata.search.study.NewTrial;
import dev.strata.search.study.TrialFinish;
import dev.strata.search.trial.Configuration;
import dev.strata.search.trial.Direction;
import dev.strata.search.trial.Objectives;
import dev.strata.search.trial.StudyRecord;
import dev.strata.search.trial.TrialRecord;
import dev.strata.search.trial.TrialStatus;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The aggregates the triggers keep ({@link Aggregates}) against the one definitions they stand for
 * ({@link BestSoFar}, {@link ParetoRun} over the objective and params, counts of the trials), on runs whose trials finish out
 * of index order, with ties, failures and zero-second trials, in both directions; and the
 * migration's fill of an existing run against what the triggers built.
 */
class AggregatesTest {

  @TempDir Path tmp;

  @ParameterizedTest
  @EnumSource(Direction.class)
  void triggersAgreeWithTheDefinitionsWhileTrialsFinishOutOfOrder(Direction direction) throws Exception {
    Path dir = tmp.resolve("run-" + direction);
    Random r = new Random(direction.ordinal() + 11);
    try (RunStore store = RunStore.create(dir, "t", "m", direction, "{}")) {
      List<StudyRecord> studies = List.of(store.addStudy("a", 1, 100, Map.of()), store.addStudy("a", 2, 100, Map.of()),
          store.addStudy("b", 1, 100, Map.of()));
      int[] next = new int[studies.size()];
      for (int round = 0; round < 12; round++) {
        // Each study asks a batch; the batch finishes in a random order (parallel trials).
        List<TrialRecord> batch = new ArrayList<>();
        for (int s = 0; s < studies.size(); s++) {
          int n = 1 + r.nextInt(5);
          List<NewTrial> fresh = new ArrayList<>();
          for (int i = 0; i < n; i++) {
            fresh.add(new NewTrial(next[s] + i, Configuration.of(Map.of("x", (double) i)), 1, Map.of()));
          }
          batch.addAll(store.recordNext(studies.get(s).id(), n, next[s], "[]", fresh));
          next[s] += n;
        }
        Collections.shuffle(batch, r);
        for (TrialRecord t : batch) {
          store.startTrial(t.id(), "local-1");
        }
        // Leave a few running into the next round, so later indices finish before earlier ones.
        for (TrialRecord t : batch.subList(0, batch.size() - (round % 3 == 0 ? 0 : 1))) {
          finish(store, t, r);
        }
        if (round % 3 == 0) {
          try (RunReader reader = RunStore.openReader(dir)) {
            assertAgrees(reader, direction);
          }
        }
      }
    }
    try (RunReader reader = RunStore.openReader(dir)) {
      assertAgrees(reader, direction);
      assertTrue(everyTrial(reader).stream().anyMatch(t -> !t.isFeasible() && t.reason().startsWith("infeasible")),
          "the run has infeasible trials, stored with their reason");
    }
  }

  /** The migration fills the aggregates of a run written before them exactly as the triggers would have. */
  @ParameterizedTest
  @EnumSource(Direction.class)
  void migrationFillsTheAggregatesOfAnOlderRun(Direction direction) throws Exception {
    Path dir = tmp.resolve("old-" + direction);
    Random r = new Random(5);
    try (RunStore store = RunStore.create(dir, "t", "m", direction, "{}")) {
      StudyRecord s = store.addStudy("a", 1, 100, Map.of());
      StudyRecord u = store.addStudy("b", 1, 100, Map.of());
      List<TrialRecord> all = new ArrayList<>();
      for (StudyRecord st : List.of(s, u)) {
        List<NewTrial> fresh = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
          fresh.add(new NewTrial(i, Configuration.of(Map.of("x", (double) i)), 1, Map.of()));
        }
        all.addAll(store.recordNext(st.id(), 40, 0, "[]", fresh));
      }
      Collections.shuffle(all, r);
      for (TrialRecord t : all.subList(0, 70)) {
        store.startTrial(t.id(), "w");
        finish(store, t, r);
      }
    }
    String before;
    try (RunReader reader = RunStore.openReader(dir)) {
      before = snapshot(reader);
    }
    // Back to schema version 3: no aggregates, no triggers, no new indexes.
    try (Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + RunStore.databaseFile(dir));
        Statement st = c.createStatement()) {
      for (String t : List.of("trials_counted", "trials_recounted", "trials_uncounted", "trials_inserted_finished", "trials_finished")) {
        st.execute("DROP TRIGGER " + t);
      }
      for (String t : List.of("trial_counts", "study_progress", "best_changes", "pareto_front")) {
        st.execute("DROP TABLE " + t);
      }
      for (String i : List.of("trials_by_parameters", "trials_by_train_seconds", "trials_by_finished")) {
        st.execute("DROP INDEX " + i);
      }
      st.execute("UPDATE meta SET value = '3' WHERE key = 'schema_version'");
    }
    // Opened read-only, the version 3 store answers the same aggregates, computed, and stays version 3.
    byte[] stored = java.nio.file.Files.readAllBytes(RunStore.databaseFile(dir));
    try (RunReader reader = RunStore.openSnapshotReader(dir)) { // status, compare, report
      assertEquals(before, snapshot(reader));
      assertEquals(3, ((SqliteRunReader) reader).schemaVersion());
    }
    assertTrue(!java.nio.file.Files.exists(dir.resolve(RunStore.DB_FILE + "-wal"))
        && !java.nio.file.Files.exists(dir.resolve(RunStore.DB_FILE + "-shm")), "a snapshot creates no file");
    try (RunReader reader = RunStore.openReader(dir)) { // the dashboard
      assertEquals(before, snapshot(reader));
      assertAgrees(reader, direction);
      assertEquals(3, ((SqliteRunReader) reader).schemaVersion());
    }
    assertTrue(java.util.Arrays.equals(stored, java.nio.file.Files.readAllBytes(RunStore.databaseFile(dir))),
        "reading never writes the stored file");
    RunStore.open(dir).close(); // migrates
    try (RunReader reader = RunStore.openReader(dir)) {
      assertEquals(before, snapshot(reader));
      assertAgrees(reader, direction);
    }
  }

  /** The aggregates as text, seconds to 1e-6 (the migration adds them up in another order than the triggers). */
  private static String snapshot(RunReader reader) {
    List<String> progress = reader.studyProgress().orElseThrow().stream().map(p -> p.studyId() + ": " + p.finished() + " in "
        + String.format(java.util.Locale.ROOT, "%.6f", p.seconds()) + " s, " + p.steps().stream().map(s -> s.trial() + "/" + s.trialId()
        + "=" + s.value() + "@" + String.format(java.util.Locale.ROOT, "%.6f", s.seconds())).toList()).toList();
    return progress + "\n" + reader.paretoFront().orElseThrow().stream().map(TrialRecord::id).toList()
        + "\n" + reader.statusCounts();
  }

  private static void finish(RunStore store, TrialRecord t, Random r) {
    int kind = r.nextInt(10);
    // Few distinct values and parameter counts: ties in the best and on the front.
    double value = Math.round(r.nextDouble() * 20) / 20.0;
    long parameters = 100L * (1 + r.nextInt(6));
    double seconds = r.nextInt(5) == 0 ? 0 : Math.round(r.nextDouble() * 100) / 10.0;
    if (kind == 0) {
      store.finishTrial(t.id(), TrialFinish.failed(TrialStatus.FAILED, "boom"));
    } else if (kind == 1) {
      store.finishTrial(t.id(), new TrialFinish(TrialStatus.DIVERGED, Double.NaN, Map.of(), parameters, 0, seconds, null, "nan"));
    } else if (kind == 3) {
      // trained, but broke a constraint on a trained metric: stored with its value, never the best
      store.finishTrial(t.id(), new TrialFinish(TrialStatus.COMPLETED, value, Map.of("m", value, Objectives.VIOLATION, 0.5),
          parameters, 0, seconds, null, "infeasible: latency_ms_b1 0.075 breaks latency_ms_b1 <= 0.05"));
    } else {
      store.finishTrial(t.id(), new TrialFinish(TrialStatus.COMPLETED, value, Map.of("m", value), kind == 2 ? 0 : parameters, 0,
          seconds, null, ""));
    }
  }

  private static List<TrialRecord> everyTrial(RunReader reader) {
    List<TrialRecord> all = new ArrayList<>();
    for (List<TrialRecord> page; !(page = reader.trialsAfter(all.isEmpty() ? 0 : all.getLast().id(), 1000)).isEmpty(); ) {
      all.addAll(page);
    }
    return all;
  }

  static void assertAgrees(RunReader reader, Direction direction) {
    List<StudyRecord> studies = reader.studies();
    List<TrialRecord> trials = everyTrial(reader);
    Map<Long, TrialRecord> byId = new HashMap<>();
    trials.forEach(t -> byId.put(t.id(), t));

    // Counts.
    Map<Long, Map<TrialStatus, Long>> counts = new HashMap<>();
    trials.forEach(t -> counts.computeIfAbsent(t.studyId(), k -> new EnumMap<>(TrialStatus.class)).merge(t.status(), 1L, Long::sum));
    assertEquals(counts, reader.statusCounts());

    // Best-so-far: the curve rebuilt from the steps equals BestSoFar's at every trial and every time.
    List<BestSoFar.StudyCurve> expected = BestSoFar.curves(studies, trials, direction);
    List<StudyProgress> progress = reader.studyProgress().orElseThrow();
    assertEquals(studies.size(), progress.size());
    for (int s = 0; s < studies.size(); s++) {
      BestSoFar.StudyCurve want = expected.get(s);
      StudyProgress p = progress.get(s);
      assertEquals(studies.get(s).id(), p.studyId());
      assertEquals(want.trials(), p.finished(), "finished of " + studies.get(s).label());
      assertEquals(want.totalSeconds(), p.seconds(), 1e-9);
      BestSoFar.StudyCurve got = p.curve(studies.get(s));
      for (int k = 0; k <= want.trials() + 1; k++) {
        assertEquals(want.atTrial(k), got.atTrial(k), "best at trial " + k + " of " + studies.get(s).label());
      }
      assertEquals(want.totalSeconds(), got.totalSeconds(), 1e-9);
      for (double t : want.seconds()) {
        for (double at : new double[] {t - 0.05, t, t + 0.05}) {
          assertEquals(want.atSeconds(at), got.atSeconds(at), "best at " + at + " s of " + studies.get(s).label());
        }
      }
      double last = Double.NaN;
      for (StudyProgress.Step step : p.steps()) {
        assertTrue(Double.isNaN(last) || direction.isBetter(step.value(), last), "each step improves: " + p.steps());
        assertEquals(step.value(), byId.get(step.trialId()).value(), "a step names the trial that set it");
        assertEquals(step.value(), want.atTrial((int) step.trial()));
        assertTrue(step.trial() == 1 || want.atTrial((int) step.trial() - 1) != step.value(), "a step is a change");
        assertEquals(want.seconds()[(int) step.trial() - 1], step.seconds(), 1e-9, "seconds at the step");
        last = step.value();
      }
    }

    // Infeasible trials are stored and counted, but neither set a best nor join the front.
    progress.forEach(p -> p.steps().forEach(step -> assertTrue(byId.get(step.trialId()).isFeasible(), "step " + step)));
    reader.paretoFront().orElseThrow().forEach(t -> assertTrue(byId.get(t.id()).isFeasible(), "front trial " + t.id()));

    // Pareto front.
    List<dev.strata.search.trial.Goal> goals = List.of(new dev.strata.search.trial.Goal("m", direction),
        new dev.strata.search.trial.Goal("params", Direction.MINIMIZE));
    TreeSet<Long> front = new TreeSet<>(ParetoRun.of(goals, "m", studies, trials).front().stream().map(TrialRecord::id).toList());
    assertEquals(front, new TreeSet<>(reader.paretoFront().orElseThrow().stream().map(TrialRecord::id).toList()));
  }
}
