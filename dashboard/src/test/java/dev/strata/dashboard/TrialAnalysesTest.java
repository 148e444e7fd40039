package dev.strata.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.search.trial.Configuration;
import dev.strata.search.trial.Direction;
import dev.strata.search.trial.StudyRecord;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The trial page's analyses at initialisation: computed on demand, once per trial, refusals kept as messages. */
class TrialAnalysesTest {

  /** An inspector that answers one layer per block of the spec, and refuses specs without blocks. */
  static final class CountingInspector implements NetworkInspector {
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public String inspect(String networkSpecJson) {
      calls.incrementAndGet();
      JsonArray blocks = new JsonObject(networkSpecJson).getJsonArray("blocks", new JsonArray());
      if (blocks.isEmpty()) {
        throw new IllegalArgumentException("nothing to analyse");
      }
      JsonArray layers = new JsonArray();
      for (int i = 0; i < blocks.size(); i++) {
        layers.add(new JsonObject().put("name", "blocks." + i).put("qTheory", 1.0).put("qMeasured", 0.9 + i)
            .put("gradientNorm", 0.5));
      }
      return new JsonObject()
          .put("theory", new JsonObject().put("activation", "relu").put("sigmaW2", 2.0).put("sigmaB2", 0.0)
              .put("fixedPointQ", 1.0).put("chi1", 1.0))
          .put("verdict", new JsonObject().put("phase", "critical").put("reason", "critical (χ₁ = 1.00): <b>fake</b>"))
          .put("layers", layers).put("rows", 16).encode();
    }
  }

  static InMemoryRun run() {
    InMemoryRun run = new InMemoryRun("r", "val_accuracy", Direction.MAXIMIZE);
    StudyRecord s = run.addStudy("random", 1, 10);
    run.startTrial(s.id(), 0, Configuration.of(Map.of("x", 0)), "{\"blocks\": [{}, {}, {}]}");
    run.startTrial(s.id(), 1, Configuration.of(Map.of("x", 1)), "{\"blocks\": []}");
    run.startTrial(s.id(), 2, Configuration.of(Map.of("x", 2)), null);
    return run;
  }

  @Test
  void analysesATrialsNetworkOnceAndKeepsTheAnswer() {
    CountingInspector inspector = new CountingInspector();
    RunService service = new RunService(RunCatalog.of(Map.of("r", RunHandle.of(run()))), Optional.of(inspector));
    JsonObject a = service.initAnalysis("r", "1");
    assertEquals(1, a.getLong("trial"));
    assertEquals(3, a.getJsonArray("layers").size());
    assertEquals(2.9, a.getJsonArray("layers").getJsonObject(2).getDouble("qMeasured"), 0);
    assertEquals(a, service.initAnalysis("r", "1"));
    assertEquals(1, inspector.calls.get(), "the second request is answered from the cache");

    JsonObject refused = service.initAnalysis("r", "2");
    assertEquals("nothing to analyse", refused.getString("error"));
    service.initAnalysis("r", "2");
    assertEquals(2, inspector.calls.get(), "a refusal is kept too");
  }

  @Test
  void unknownTrialsTrialsWithoutANetworkAndDashboardsWithoutAnInspectorAre404() {
    RunService service = new RunService(RunCatalog.of(Map.of("r", RunHandle.of(run()))), Optional.of(new CountingInspector()));
    assertEquals(404, assertThrows(ApiException.class, () -> service.initAnalysis("r", "3")).status());
    assertEquals(404, assertThrows(ApiException.class, () -> service.initAnalysis("r", "99")).status());
    assertEquals(400, assertThrows(ApiException.class, () -> service.initAnalysis("r", "x")).status());
    ApiException none = assertThrows(ApiException.class,
        () -> new RunService(RunCatalog.of(Map.of("r", RunHandle.of(run())))).initAnalysis("r", "1"));
    assertEquals(404, none.status());
    assertTrue(none.getMessage().contains("analyses no networks"), none.getMessage());
  }
}
