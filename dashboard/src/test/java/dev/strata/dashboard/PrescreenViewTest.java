package dev.strata.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.search.trial.Configuration;
import dev.strata.search.trial.Direction;
import dev.strata.search.trial.StudyRecord;
import dev.strata.search.trial.TrialStatus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pre-screening view: proxy scores from the trials' tags, Spearman's rho against the objective. */
class PrescreenViewTest {

  @Test
  void rhoOfEachProxyOverCompletedTrialsAndTheRowsCarryTheirScores() {
    InMemoryRun run = new InMemoryRun("p", "val_accuracy", Direction.MAXIMIZE);
    run.setSpecJson("{\"search\": {\"prescreen\": {\"proxy\": \"naswot\", \"sample\": 4}}}");
    StudyRecord s = run.addStudy("random", 1, 20);
    for (int i = 0; i < 12; i++) {
      long id = run.startTrial(s.id(), i, Configuration.of(Map.of("x", i)), null);
      // naswot rises with the value; synflow falls with it; trial 11 failed and is left out
      run.setTags(id, Map.of("proxy.naswot", Double.toString(10.0 * i), "proxy.synflow", Double.toString(-i * 1.0),
          "prescreen.sampled", "4"));
      run.finishTrial(id, i == 11 ? TrialStatus.FAILED : TrialStatus.COMPLETED, i == 11 ? Double.NaN : 0.5 + i / 100.0,
          100, 1.0, "");
    }
    RunService service = new RunService(RunCatalog.of(Map.of("p", RunHandle.of(run))));
    JsonObject view = service.prescreen("p");
    assertEquals("naswot", view.getJsonObject("prescreen").getString("proxy"));
    JsonArray proxies = view.getJsonArray("proxies");
    assertEquals(2, proxies.size());
    JsonObject naswot = proxies.getJsonObject(0);
    assertEquals("naswot", naswot.getString("proxy"));
    assertEquals(1.0, naswot.getDouble("rho"), 1e-12);
    assertEquals(11, naswot.getInteger("trials"));
    assertEquals(11, naswot.getJsonArray("running").getJsonArray(naswot.getJsonArray("running").size() - 1).getInteger(0));
    assertEquals(-1.0, proxies.getJsonObject(1).getDouble("rho"), 1e-12);

    JsonObject row = service.trials("p", Map.of("sort", "id", "order", "asc")).getJsonArray("items").getJsonObject(3);
    assertEquals(30.0, row.getJsonObject("proxies").getDouble("naswot"), 0);
  }

  @Test
  void aRunWithoutPrescreeningHasNoView() {
    RunService service = new RunService(RunCatalog.of(Map.of("alpha", RunHandle.of(TestRuns.alpha()))));
    JsonObject view = service.prescreen("alpha");
    assertNull(view.getJsonObject("prescreen"));
    assertTrue(view.getJsonArray("proxies").isEmpty());
    JsonObject row = service.trials("alpha", Map.of()).getJsonArray("items").getJsonObject(0);
    assertTrue(!row.containsKey("proxies"), row.encode());
  }
}
