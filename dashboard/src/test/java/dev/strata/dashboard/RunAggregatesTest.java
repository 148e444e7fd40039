package dev.strata.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.runs.BestSoFar;
import dev.strata.runs.ExperimentRecord;
import dev.strata.runs.Page;
import dev.strata.runs.RunEvent;
import dev.strata.runs.RunReader;
import dev.strata.runs.TrialQuery;
import dev.strata.search.trial.Configuration;
import dev.strata.search.trial.Direction;
import dev.strata.search.trial.EpochRecord;
import dev.strata.search.trial.StudyRecord;
import dev.strata.search.trial.TrialRecord;
import dev.strata.search.trial.TrialStatus;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The aggregates read the table once, then only what new events name; the views built on them
 * (ranking, parameter axes) say what the page shows.
 */
class RunAggregatesTest {

  /** Counts the reads that touch many trials versus one. */
  static final class CountingReader implements RunReader {
    final RunReader inner;
    final AtomicInteger pages = new AtomicInteger();
    final AtomicInteger single = new AtomicInteger();

    CountingReader(RunReader inner) {
      this.inner = inner;
    }

    @Override public ExperimentRecord experiment() { return inner.experiment(); }
    @Override public List<StudyRecord> studies() { return inner.studies(); }
    @Override public Page<TrialRecord> trials(TrialQuery q) { pages.incrementAndGet(); return inner.trials(q); }
    @Override public List<TrialRecord> trialsAfter(long after, int limit) { pages.incrementAndGet(); return inner.trialsAfter(after, limit); }
    @Override public Optional<TrialRecord> trial(long id) { single.incrementAndGet(); return inner.trial(id); }
    @Override public List<EpochRecord> curve(long id) { return inner.curve(id); }
    @Override public Optional<String> networkSpecJson(long id) { return inner.networkSpecJson(id); }
    @Override public List<RunEvent> eventsAfter(long after, int limit) { return inner.eventsAfter(after, limit); }
    @Override public long lastEventId() { return inner.lastEventId(); }
    @Override public void close() { }
  }

  @Test
  void theTableIsReadOnceThenOnlyTheTrialsNewEventsName() {
    InMemoryRun run = new InMemoryRun("r", "acc", Direction.MAXIMIZE);
    run.addStudy("random", 1, 100);
    for (int i = 0; i < 30; i++) {
      long id = run.startTrial(1, i, Configuration.of(Map.of("x", i)), null);
      run.finishTrial(id, TrialStatus.COMPLETED, i / 30.0, 10 + i, 0.1, "");
    }
    long running = run.startTrial(1, 30, Configuration.of(Map.of("x", 30)), null);
    CountingReader reader = new CountingReader(run);
    RunAggregates agg = new RunAggregates();
    long v1 = agg.refresh(reader);
    assertEquals(30, agg.size(), "finished trials only");
    int pagesAfterLoad = reader.pages.get();
    assertTrue(pagesAfterLoad >= 1);

    assertEquals(v1, agg.refresh(reader), "no new event, no change");
    run.addEpoch(running, 1, 1, 1, 0.5, 0.1);
    assertEquals(v1, agg.refresh(reader), "an epoch event changes nothing");
    run.finishTrial(running, TrialStatus.FAILED, Double.NaN, 0, 0.1, "boom");
    long v2 = agg.refresh(reader);
    assertTrue(v2 > v1);
    assertEquals(31, agg.size());
    assertEquals(pagesAfterLoad, reader.pages.get(), "no page of the table was read again");
    assertEquals(1, reader.single.get(), "only the one trial the event named");
    assertEquals(30, agg.completed());
    assertTrue(agg.sampled(run).stream().allMatch(t -> t.configuration().values().containsKey("x")));
  }

  @Test
  void theSampleStaysBoundedAndSpread() {
    InMemoryRun run = new InMemoryRun("r", "acc", Direction.MAXIMIZE);
    run.addStudy("random", 1, 20_000);
    int n = RunAggregates.SAMPLE_CAP * 3;
    for (int i = 0; i < n; i++) {
      long id = run.startTrial(1, i, Configuration.of(Map.of("x", i)), null);
      run.finishTrial(id, TrialStatus.COMPLETED, i, 10, 0.1, "");
    }
    RunAggregates agg = new RunAggregates();
    agg.refresh(run);
    List<TrialRecord> s = agg.sampled(run);
    assertTrue(s.size() <= RunAggregates.SAMPLE_CAP && s.size() >= RunAggregates.SAMPLE_CAP / 2, "size " + s.size());
    assertTrue(s.getLast().id() > n * 0.9, "reaches the newest trials: " + s.getLast().id());
  }

  @Test
  void rankingComparesStrategiesAtTheBudgetEveryStudyReachedWithARankTest() {
    List<StudyRecord> studies = List.of(new StudyRecord(1, "a", 1, 10, Map.of()), new StudyRecord(2, "a", 2, 10, Map.of()),
        new StudyRecord(3, "a", 3, 10, Map.of()), new StudyRecord(4, "b", 1, 10, Map.of()), new StudyRecord(5, "b", 2, 10, Map.of()),
        new StudyRecord(6, "b", 3, 10, Map.of()));
    List<BestSoFar.StudyCurve> curves = studies.stream().map(st -> {
      boolean a = st.strategy().equals("a");
      int n = a ? 5 : 8; // b ran further; it is judged at 5 trials too
      double[] best = new double[n];
      double[] secs = new double[n];
      for (int k = 0; k < n; k++) {
        best[k] = (a ? 0.9 : 0.8) + 0.001 * st.seed() + (k >= 5 ? 0.5 : 0);
        secs[k] = k + 1;
      }
      return new BestSoFar.StudyCurve(st, best, secs);
    }).toList();
    JsonObject r = RunService.ranking(curves, Direction.MAXIMIZE);
    assertEquals(5, r.getInteger("budget"));
    assertEquals("a", r.getJsonArray("strategies").getJsonObject(0).getString("strategy"));
    assertEquals(0.1, r.getDouble("margin"), 1e-9);
    JsonObject test = r.getJsonObject("test");
    assertEquals(0.1, test.getDouble("p"), 1e-9);
    assertFalse(test.getBoolean("significant"));
    assertTrue(test.getString("note").contains("add seeds"), test.encode());
  }

  @Test
  void parameterAxesAreFlattenedPerBlockAndLogScaledFromTheSpec() {
    Map<String, Object> flat = RunService.flatten(Map.of("lr", 0.01, "opt", "adam",
        "blocks", List.of(Map.of("width", 64, "act", "relu"), Map.of("width", 32, "act", "tanh"))));
    assertEquals(Map.of("lr", 0.01, "opt", "adam", "blocks.count", 2, "blocks.1.width", 64, "blocks.1.act", "relu",
        "blocks.2.width", 32, "blocks.2.act", "tanh"), flat);
    String spec = "{\"space\": {\"lr\": {\"float\": [1e-4, 0.1], \"log\": true}, \"opt\": {\"choice\": [\"a\"]},"
        + " \"blocks\": {\"repeat\": {\"min\": 1, \"max\": 3}, \"of\": {\"width\": {\"int\": [8, 512], \"log\": true}}}}}";
    assertEquals(java.util.Set.of("lr", "blocks.width"), RunService.logScaledParameters(spec));
    assertEquals(java.util.Set.of(), RunService.logScaledParameters("not json"));
  }
}
