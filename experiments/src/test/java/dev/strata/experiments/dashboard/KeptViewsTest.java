package dev.strata.experiments.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.dashboard.RunCatalog;
import dev.strata.dashboard.RunHandle;
import dev.strata.dashboard.RunService;
import dev.strata.experiments.store.RunStore;
import dev.strata.runs.ExperimentRecord;
import dev.strata.runs.Page;
import dev.strata.runs.RunEvent;
import dev.strata.runs.RunReader;
import dev.strata.runs.TrialQuery;
import dev.strata.search.study.NewTrial;
import dev.strata.search.study.TrialFinish;
import dev.strata.search.trial.Configuration;
import dev.strata.search.trial.Direction;
import dev.strata.search.trial.EpochRecord;
import dev.strata.search.trial.StudyRecord;
import dev.strata.search.trial.TrialRecord;
import dev.strata.search.trial.TrialStatus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard's views built from the aggregates the store keeps equal the views computed from
 * the run's trials (the path of a store that keeps none): the same comparison and ranking, the
 * same Pareto front, the same counts and best per strategy.
 */
class KeptViewsTest {

  @TempDir Path tmp;

  @Test
  void viewsFromKeptAggregatesEqualViewsFromTheTrials() {
    Path dir = tmp.resolve("run");
    Random r = new Random(3);
    try (RunStore store = RunStore.create(dir, "run", "acc", Direction.MAXIMIZE, "{}")) {
      List<TrialRecord> all = new ArrayList<>();
      for (String strategy : List.of("random", "tpe")) {
        for (long seed = 1; seed <= 3; seed++) {
          StudyRecord s = store.addStudy(strategy, seed, 60, Map.of());
          List<NewTrial> fresh = new ArrayList<>();
          for (int i = 0; i < 60; i++) {
            fresh.add(new NewTrial(i, Configuration.of(Map.of("lr", 0.001 * (1 + r.nextInt(100)), "opt", r.nextBoolean() ? "sgd" : "adam")),
                i, Map.of()));
          }
          all.addAll(store.recordNext(s.id(), 60, 0, "[]", fresh));
        }
      }
      Collections.shuffle(all, r); // finished out of index order
      for (TrialRecord t : all.subList(0, 300)) {
        store.startTrial(t.id(), "w");
        if (r.nextInt(10) == 0) {
          store.finishTrial(t.id(), TrialFinish.failed(TrialStatus.FAILED, "boom"));
        } else {
          double v = Math.round(r.nextDouble() * 100) / 100.0;
          store.finishTrial(t.id(), new TrialFinish(TrialStatus.COMPLETED, v, Map.of("acc", v), 100L * (1 + r.nextInt(20)), 0,
              r.nextDouble() * 3, null, ""));
        }
      }
    }
    try (RunReader kept = RunStore.openReader(dir)) {
      assertTrue(kept.studyProgress().isPresent(), "the store keeps aggregates");
      RunService fromKept = new RunService(RunCatalog.single("run", RunHandle.of(kept)));
      RunService fromTrials = new RunService(RunCatalog.single("run", RunHandle.of(new KeepingNothing(kept))));

      JsonObject a = fromKept.comparison("run");
      JsonObject b = fromTrials.comparison("run");
      // The fallback does not know which trial set each best: compare without the ids.
      for (JsonObject c : List.of(a, b)) {
        c.getJsonArray("studies").forEach(s -> ((JsonObject) s).remove("trialId"));
      }
      // Training seconds are summed in another order by the store's triggers: equal to 1e-9.
      assertClose(b, a, "comparison");
      assertTrue(a.getJsonArray("byTrials").getJsonObject(0).getJsonArray("x").size() > 1);

      assertEquals(front(fromTrials.pareto("run")), front(fromKept.pareto("run")));
      assertTrue(front(fromKept.pareto("run")).size() >= 1);

      JsonObject runA = fromKept.run("run");
      JsonObject runB = fromTrials.run("run");
      assertEquals(runB.getJsonObject("counts"), runA.getJsonObject("counts"));
      assertEquals(values(runB.getJsonArray("best")), values(runA.getJsonArray("best")));
    }
  }

  /** Equal JSON, numbers to a relative 1e-9. */
  private static void assertClose(Object want, Object got, String at) {
    if (want instanceof JsonObject w && got instanceof JsonObject g) {
      assertEquals(w.fieldNames(), g.fieldNames(), at);
      w.fieldNames().forEach(k -> assertClose(w.getValue(k), g.getValue(k), at + "." + k));
    } else if (want instanceof JsonArray w && got instanceof JsonArray g) {
      assertEquals(w.size(), g.size(), at);
      for (int i = 0; i < w.size(); i++) {
        assertClose(w.getValue(i), g.getValue(i), at + "[" + i + "]");
      }
    } else if (want instanceof Number w && got instanceof Number g) {
      assertEquals(w.doubleValue(), g.doubleValue(), 1e-9 * Math.max(1, Math.abs(w.doubleValue())), at);
    } else {
      assertEquals(want, got, at);
    }
  }

  private static List<Long> front(JsonObject pareto) {
    return pareto.getJsonArray("front").stream().map(o -> ((JsonArray) o).getLong(0)).sorted().toList();
  }

  private static List<Object> values(JsonArray best) {
    return best.stream().map(o -> ((JsonObject) o).getValue("strategy") + "=" + ((JsonObject) o).getValue("value")).map(Object.class::cast).toList();
  }

  /** A reader that keeps no aggregates (as a store of an older schema): every call but those passed on. */
  private record KeepingNothing(RunReader r) implements RunReader {
    @Override
    public ExperimentRecord experiment() {
      return r.experiment();
    }

    @Override
    public List<StudyRecord> studies() {
      return r.studies();
    }

    @Override
    public Page<TrialRecord> trials(TrialQuery query) {
      return r.trials(query);
    }

    @Override
    public Optional<TrialRecord> trial(long id) {
      return r.trial(id);
    }

    @Override
    public List<EpochRecord> curve(long trialId) {
      return r.curve(trialId);
    }

    @Override
    public Optional<String> networkSpecJson(long trialId) {
      return r.networkSpecJson(trialId);
    }

    @Override
    public List<RunEvent> eventsAfter(long afterId, int limit) {
      return r.eventsAfter(afterId, limit);
    }

    @Override
    public long lastEventId() {
      return r.lastEventId();
    }

    @Override
    public List<TrialRecord> trialsAfter(long afterId, int limit) {
      return r.trialsAfter(afterId, limit);
    }

    @Override
    public void close() {}
  }
}
