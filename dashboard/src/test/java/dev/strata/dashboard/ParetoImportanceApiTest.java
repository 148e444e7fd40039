package dev.strata.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.runs.BestSoFar;
import dev.strata.runs.ParameterImportance;
import dev.strata.runs.RunState;
import dev.strata.search.trial.Configuration;
import dev.strata.search.trial.Direction;
import dev.strata.search.trial.Objectives;
import dev.strata.search.trial.TrialStatus;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code /pareto} on a multi-objective run (its declared goals, a chosen pair, each study's
 * hypervolume, an infeasible trial left out) and {@code /importance} (the run's importance, named
 * method, bounded input, kept per trial count), over real HTTP.
 */
@ExtendWith(VertxExtension.class)
class ParetoImportanceApiTest {

  static Dashboard dashboard;
  static HttpClient client;
  static int port;
  static final AtomicInteger computed = new AtomicInteger();

  /** acc max, latency_ms min, params min; two studies. */
  static InMemoryRun multiObjective() {
    InMemoryRun run = new InMemoryRun("mo", "acc", Direction.MAXIMIZE);
    run.setSpecJson("{\"name\":\"mo\",\"objectives\":[{\"metric\":\"acc\",\"direction\":\"maximize\"},"
        + "{\"metric\":\"latency_ms\",\"direction\":\"minimize\"},{\"metric\":\"params\"}],"
        + "\"constraints\":[{\"metric\":\"latency_ms\",\"max\":5}]}");
    run.addStudy("nsga2", 1, 10);
    run.addStudy("random", 1, 10);
    // study, acc, latency, params, violation
    double[][] rows = {
        {1, 0.90, 4.0, 500, 0}, // front (acc, latency)
        {1, 0.80, 2.0, 300, 0}, // front
        {1, 0.70, 3.0, 100, 0}, // dominated by 0.80/2.0 in (acc, latency); best params
        {2, 0.60, 1.0, 400, 0}, // front
        {2, 0.99, 6.0, 50, 0.2}, // would dominate every trial on acc and params, but broke latency <= 5
        {2, 0.85, 2.5, 200, 0}}; // front
    for (int i = 0; i < rows.length; i++) {
      double[] r = rows[i];
      long id = run.startTrial((long) r[0], i, Configuration.of(Map.of("lr", 0.01 * (i + 1), "width", 16 * (i + 1))), null);
      Map<String, Double> metrics = new LinkedHashMap<>();
      metrics.put("latency_ms", r[2]);
      if (r[4] > 0) {
        metrics.put(Objectives.VIOLATION, r[4]);
      }
      run.finishTrial(id, TrialStatus.COMPLETED, r[1], (long) r[3], 1, r[4] > 0 ? "infeasible: latency_ms 6.0 breaks latency_ms <= 5" : "",
          metrics);
    }
    run.setState(RunState.FINISHED);
    return run;
  }

  /** A stand-in for the application's importance: counts what it is given and ranks lr first. */
  static final ParameterImportance IMPORTANCE = (trials, method, quantile) -> {
    computed.incrementAndGet();
    long used = trials.stream().filter(BestSoFar::counts).count();
    if (used < 2) {
      throw new IllegalArgumentException("importance needs at least 2 COMPLETED feasible trials, the run has " + used);
    }
    return new ParameterImportance.Result(method, (int) used, Map.of("lr", 0.75, "width", 0.25));
  };

  @BeforeAll
  static void start(Vertx vertx, VertxTestContext ctx) {
    Map<String, RunHandle> runs = new LinkedHashMap<>();
    runs.put("mo", RunHandle.of(multiObjective()).withImportance(IMPORTANCE));
    runs.put("plain", RunHandle.of(TestRuns.knownPareto()));
    Dashboard.start(vertx, DashboardOptions.builder().port(0).build(), RunCatalog.of(runs))
        .onComplete(ctx.succeeding(d -> {
          dashboard = d;
          port = d.actualPort();
          client = vertx.createHttpClient();
          ctx.completeNow();
        }));
  }

  @AfterAll
  static void stop(VertxTestContext ctx) {
    dashboard.close().onComplete(ctx.succeedingThenComplete());
  }

  private static List<Long> ids(JsonArray points) {
    return points.stream().map(o -> ((JsonArray) o).getLong(0)).toList();
  }

  @Test
  void theFrontOfTheDeclaredGoalsWithDirectionsAndHypervolume(VertxTestContext ctx) {
    TestRuns.get(client, port, "/api/runs/mo/pareto").onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertEquals(200, r.status(), r.body().toString());
      JsonObject p = r.json();
      assertTrue(p.getBoolean("multiObjective"));
      assertEquals(List.of("acc", "latency_ms", "params"),
          p.getJsonArray("goals").stream().map(g -> ((JsonObject) g).getString("metric")).toList());
      assertEquals(new JsonObject().put("metric", "latency_ms").put("direction", "minimize"), p.getJsonObject("x"));
      assertEquals(new JsonObject().put("metric", "acc").put("direction", "maximize"), p.getJsonObject("y"));
      // sorted by x (latency): 4 (1.0), 2 (2.0), 6 (2.5), 1 (4.0); 5 is infeasible, 3 dominated
      assertEquals(List.of(4L, 2L, 6L, 1L), ids(p.getJsonArray("front")));
      assertEquals(5, p.getInteger("eligible"));
      assertFalse(ids(p.getJsonArray("points")).contains(5L), "an infeasible trial is not drawn as a candidate");
      JsonArray hv = p.getJsonArray("hypervolume");
      assertEquals(2, hv.size());
      for (Object o : hv) {
        double v = ((JsonObject) o).getDouble("value");
        assertTrue(v > 0 && v <= 1.1 * 1.1, hv.encode());
      }
      ctx.completeNow();
    })));
  }

  @Test
  void aChosenPairOfThreeGoals(VertxTestContext ctx) {
    TestRuns.get(client, port, "/api/runs/mo/pareto?x=params&y=acc").onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      JsonObject p = r.json();
      assertEquals("params", p.getJsonObject("x").getString("metric"));
      // by params: 3 (100) then 6 (200, 0.85) then 1 (500, 0.90); 2 (300, 0.80) and 4 (400, 0.60) are dominated by 6
      assertEquals(List.of(3L, 6L, 1L), ids(p.getJsonArray("front")));
      TestRuns.get(client, port, "/api/runs/mo/pareto?x=acc&y=acc").onComplete(ctx.succeeding(same -> ctx.verify(() -> {
        assertEquals(400, same.status());
        TestRuns.get(client, port, "/api/runs/mo/pareto?x=loss").onComplete(ctx.succeeding(unknown -> ctx.verify(() -> {
          assertEquals(400, unknown.status());
          assertTrue(unknown.body().toString().contains("acc"), "names the run's goals: " + unknown.body());
          ctx.completeNow();
        })));
      })));
    })));
  }

  @Test
  void aSingleObjectiveRunIsItsObjectiveAgainstParams(VertxTestContext ctx) {
    TestRuns.get(client, port, "/api/runs/plain/pareto").onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      JsonObject p = r.json();
      assertFalse(p.getBoolean("multiObjective"));
      assertEquals("params", p.getJsonObject("x").getString("metric"));
      assertEquals("minimize", p.getJsonObject("x").getString("direction"));
      assertEquals(List.of(5L, 1L, 2L, 7L, 6L), ids(p.getJsonArray("front")), "trial 11 is infeasible");
      assertFalse(p.containsKey("hypervolume"));
      ctx.completeNow();
    })));
  }

  @Test
  void importanceNamesItsMethodAndIsKeptPerTrialCount(VertxTestContext ctx) {
    TestRuns.get(client, port, "/api/runs/mo/importance?method=fanova").onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertEquals(200, r.status(), r.body().toString());
      JsonObject i = r.json();
      assertTrue(i.getBoolean("available"));
      assertEquals("fanova", i.getString("method"));
      assertEquals("fANOVA", i.getString("label"));
      assertEquals(5, i.getInteger("trials"), "the infeasible trial is not used");
      assertEquals(RunService.MAX_IMPORTANCE_TRIALS, i.getInteger("cap"));
      assertEquals("lr", i.getJsonArray("parameters").getJsonObject(0).getString("name"));
      int before = computed.get();
      TestRuns.get(client, port, "/api/runs/mo/importance?method=fanova").onComplete(ctx.succeeding(again -> ctx.verify(() -> {
        assertEquals(before, computed.get(), "the same trial count answers from the kept result");
        TestRuns.get(client, port, "/api/runs/mo/importance?method=anova").onComplete(ctx.succeeding(bad -> ctx.verify(() -> {
          assertEquals(400, bad.status());
          TestRuns.get(client, port, "/api/runs/plain/importance").onComplete(ctx.succeeding(none -> ctx.verify(() -> {
            assertEquals(200, none.status());
            assertFalse(none.json().getBoolean("available"));
            assertEquals("ped-anova", none.json().getString("method"), "the default method");
            ctx.completeNow();
          })));
        })));
      })));
    })));
  }
}
