package dev.strata.experiments.store;

import dev.strata.runs.RunState;
import dev.strata.search.study.NewTrial;
import dev.strata.search.study.StrategyCall;
import dev.strata.search.study.TrialFinish;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.runs.RunEvent;
import dev.strata.runs.RunReader;
import dev.strata.search.trial.Configuration;
import dev.strata.search.trial.Direction;
import dev.strata.search.trial.EpochRecord;
import dev.strata.search.trial.Outcome;
import dev.strata.search.trial.StudyRecord;
import dev.strata.search.trial.TrialRecord;
import dev.strata.search.trial.TrialStatus;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunStoreTest {

  @TempDir Path tmp;

  static RunStore create(Path dir) {
    return RunStore.create(dir, "test", "loss", Direction.MINIMIZE, "{\"name\":\"test\"}");
  }

  static List<TrialRecord> next(RunStore store, long studyId, int... indices) {
    List<NewTrial> trials = new ArrayList<>();
    for (int i : indices) {
      trials.add(new NewTrial(i, Configuration.of(Map.of("x", (double) i)), 100 + i, Map.of("generation", "0")));
    }
    return store.recordNext(studyId, indices.length, indices.length == 0 ? -1 : indices[0], "[]", trials);
  }

  @Test
  void readExperimentCreatesNoFileAndSeesWhatAnOpenWriterCommitted() throws Exception {
    Path dir = tmp.resolve("peek");
    try (RunStore store = create(dir)) {
      store.setState(RunState.RUNNING);
      // the writer is open: its WAL holds the change
      assertEquals(RunState.RUNNING, RunStore.readExperiment(dir).state());
    }
    List<String> before;
    try (var files = java.nio.file.Files.list(dir)) {
      before = files.map(p -> p.getFileName().toString()).sorted().toList();
    }
    assertEquals("{\"name\":\"test\"}", RunStore.readExperiment(dir).specJson());
    try (var files = java.nio.file.Files.list(dir)) {
      assertEquals(before, files.map(p -> p.getFileName().toString()).sorted().toList(), "no -wal or -shm created");
    }
  }

  @Test
  void aTrialGoesFromPendingToFinishedAndNeverChangesAgain() {
    try (RunStore store = create(tmp.resolve("r"))) {
      StudyRecord study = store.addStudy("random", 1, 10, Map.of("k", 1));
      TrialRecord t = next(store, study.id(), 0).getFirst();
      assertEquals(TrialStatus.PENDING, store.trial(t.id()).orElseThrow().status());
      store.startTrial(t.id(), "local-1");
      assertEquals(TrialStatus.RUNNING, store.trial(t.id()).orElseThrow().status());
      store.recordEpoch(new EpochRecord(t.id(), 1, 0.5, 0.6, 0.7, 0.1));
      TrialRecord done = store.finishTrial(t.id(), new TrialFinish(TrialStatus.COMPLETED, 0.7,
          Map.of("loss", 0.7, "acc", Double.NaN), 1234, 5.5, 2.0, "{\"layers\":[]}", ""));
      assertEquals(TrialStatus.COMPLETED, done.status());
      assertEquals(0.7, done.value());
      assertTrue(Double.isNaN(done.metrics().get("acc")), "NaN metrics survive the JSON column");
      assertEquals(1234, done.parameters());
      assertEquals("local-1", done.worker());
      assertEquals(Map.of("generation", "0"), done.tags());

      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> store.finishTrial(t.id(), TrialFinish.failed(TrialStatus.FAILED, "again")));
      assertTrue(e.getMessage().contains("already COMPLETED"), e.getMessage());
      assertThrows(IllegalStateException.class, () -> store.markInterrupted(t.id(), "x"));
      assertThrows(IllegalStateException.class, () -> store.startTrial(t.id(), "local-2"));
      assertThrows(IllegalStateException.class,
          () -> store.recordEpoch(new EpochRecord(t.id(), 2, 0, 0, 0, 0)));
      assertEquals(0.7, store.trial(t.id()).orElseThrow().value(), "the refused changes left no trace");
      assertEquals("ok", store.integrityCheck());
    }
  }

  @Test
  void eventIdsAreGaplessAndPublishedAfterCommit() throws Exception {
    Path dir = tmp.resolve("events");
    try (RunStore store = create(dir); RunReader reader = store.reader()) {
      List<RunEvent> seen = new ArrayList<>();
      AutoCloseable sub = store.subscribe(event -> {
        assertEquals(event.id(), reader.lastEventId(), "a published event is already committed");
        seen.add(event);
      });
      StudyRecord study = store.addStudy("random", 1, 10, Map.of());
      List<TrialRecord> ts = next(store, study.id(), 0, 1, 2);
      store.setState(RunState.RUNNING);
      for (TrialRecord t : ts) {
        store.startTrial(t.id(), "local-1");
        store.recordEpoch(new EpochRecord(t.id(), 1, 1, 1, 1, 0.1));
        store.finishTrial(t.id(), TrialFinish.completed(1.0, Map.of("loss", 1.0), 0.1));
        // a refused change rolls back and uses no id
        assertThrows(IllegalStateException.class, () -> store.finishTrial(t.id(), TrialFinish.completed(2, Map.of(), 0)));
      }
      sub.close();
      store.setState(RunState.FINISHED);
      List<RunEvent> all = reader.eventsAfter(0, 100);
      assertEquals(11, all.size());
      for (int i = 0; i < all.size(); i++) {
        assertEquals(i + 1, all.get(i).id());
      }
      assertEquals(10, seen.size(), "the listener stopped after its handle was closed");
      assertEquals(all.subList(0, 10), seen);
      assertEquals(List.of("experiment", "trial-started", "epoch", "trial-finished"),
          all.subList(0, 4).stream().map(RunEvent::type).toList());
      assertEquals(all.subList(5, 11), reader.eventsAfter(5, 100));
    }
  }

  @Test
  void interruptRunningLeavesNoZombies() {
    try (RunStore store = create(tmp.resolve("z"))) {
      StudyRecord study = store.addStudy("random", 1, 10, Map.of());
      List<TrialRecord> ts = next(store, study.id(), 0, 1, 2);
      store.startTrial(ts.get(0).id(), "local-1");
      store.startTrial(ts.get(1).id(), "local-2");
      store.finishTrial(ts.get(1).id(), TrialFinish.failed(TrialStatus.DIVERGED, "NaN"));
      assertEquals(List.of(ts.get(0).id()), store.interruptRunning("crash"));
      assertEquals(TrialStatus.INTERRUPTED, store.trial(ts.get(0).id()).orElseThrow().status());
      assertEquals(TrialStatus.PENDING, store.trial(ts.get(2).id()).orElseThrow().status());
      // an interrupted trial starts again from scratch
      store.startTrial(ts.get(0).id(), "local-1");
      assertEquals(TrialStatus.RUNNING, store.trial(ts.get(0).id()).orElseThrow().status());
    }
  }

  @Test
  void theCallLogKeepsCallsInOrder() {
    try (RunStore store = create(tmp.resolve("log"))) {
      StudyRecord study = store.addStudy("random", 1, 10, Map.of());
      next(store, study.id(), 0);
      store.recordComplete(study.id(), 0, 3, new Outcome(TrialStatus.PRUNED, 0.5, Map.of("a", 1.0), "low"));
      next(store, study.id());
      List<StrategyCall> log = store.callLog(study.id());
      assertEquals(List.of(StrategyCall.Kind.NEXT, StrategyCall.Kind.COMPLETE, StrategyCall.Kind.NEXT),
          log.stream().map(StrategyCall::kind).toList());
      assertEquals(new Outcome(TrialStatus.PRUNED, 0.5, Map.of("a", 1.0), "low"), log.get(1).outcome().orElseThrow());
      assertEquals(-1, log.get(2).index());
    }
  }

  @Test
  void createRefusesAnExistingRunAndOpenAMissingOne() {
    Path dir = tmp.resolve("twice");
    create(dir).close();
    StoreException e = assertThrows(StoreException.class, () -> create(dir));
    assertTrue(e.getMessage().contains("strata resume"), e.getMessage());
    assertThrows(StoreException.class, () -> RunStore.open(tmp.resolve("missing")));
    try (RunStore store = RunStore.open(dir)) {
      StoreException busy = assertThrows(StoreException.class, () -> RunStore.open(dir));
      assertTrue(busy.getMessage().contains("only one process may write a run"), busy.getMessage());
      assertEquals("test", store.experiment().name());
      assertEquals(RunState.CREATED, store.experiment().state());
    }
    assertEquals("ok", RunStore.integrityCheck(dir));
  }
}
