package dev.strata.dashboard;

import static dev.strata.dashboard.TestRuns.get;
import static dev.strata.dashboard.TestRuns.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.search.trial.Direction;
import dev.strata.search.trial.TrialStatus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Checkpoint;
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

/** The REST API, static assets and the stop action over real HTTP, on known in-memory runs. */
@ExtendWith(VertxExtension.class)
class HttpVerticleTest {

  static Dashboard dashboard;
  static HttpClient client;
  static int port;
  static InMemoryRun alpha;
  static InMemoryRun live;
  static final AtomicInteger stops = new AtomicInteger();

  @BeforeAll
  static void start(Vertx vertx, VertxTestContext ctx) {
    alpha = TestRuns.alpha();
    live = new InMemoryRun("beta", "val_accuracy", Direction.MAXIMIZE);
    live.addStudy("random", 1, 10);
    Map<String, RunHandle> runs = new LinkedHashMap<>();
    runs.put("alpha", RunHandle.of(alpha));
    runs.put("beta", RunHandle.live(live, live, stops::incrementAndGet));
    runs.put("known", RunHandle.of(TestRuns.knownComparison()));
    runs.put("pareto", RunHandle.of(TestRuns.knownPareto()));
    runs.put("cluster", RunHandle.of(TestRuns.cluster(System.currentTimeMillis())));
    runs.put("climb", RunHandle.of(TestRuns.climb(1200)));
    Dashboard.start(vertx, DashboardOptions.builder().port(0).build(), RunCatalog.of(runs),
            java.util.Optional.of(new TrialAnalysesTest.CountingInspector()))
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

  private static Future<TestRuns.Response> get(String uri) {
    return TestRuns.get(client, port, uri);
  }

  @Test
  void listsEveryRunWithStatusProgressAndBestPerStrategy(VertxTestContext ctx) {
    get("/api/runs").onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertEquals(200, r.status());
      assertTrue(r.headers().get("Content-Type").startsWith("application/json"));
      JsonArray runs = r.jsonArray();
      assertEquals(List.of("alpha", "beta", "known", "pareto", "cluster", "climb"), runs.stream().map(o -> ((JsonObject) o).getString("name")).toList());
      JsonObject a = runs.getJsonObject(0);
      assertEquals("finished", a.getString("state"));
      assertEquals(160, a.getLong("trials"));
      assertEquals(1.0, a.getDouble("progress"), 1e-9);
      long sum = a.getJsonObject("counts").stream().mapToLong(e -> ((Number) e.getValue()).longValue()).sum();
      assertEquals(160, sum);
      JsonArray best = a.getJsonArray("best");
      assertEquals(2, best.size());
      for (Object o : best) {
        JsonObject b = (JsonObject) o;
        var top = alpha.trials(new dev.strata.runs.TrialQuery(java.util.Optional.of(b.getString("strategy")),
            java.util.Optional.empty(), java.util.Optional.of(TrialStatus.COMPLETED), "value", false, 0, 1)).items().getFirst();
        assertEquals(top.id(), b.getLong("trialId"));
        assertEquals(top.value(), b.getDouble("value"), 1e-12);
      }
      assertEquals("running", runs.getJsonObject(1).getString("state"));
      assertTrue(runs.getJsonObject(1).getBoolean("stoppable"));
      ctx.completeNow();
    })));
  }

  @Test
  void runSummaryHasStudiesWithCounts(VertxTestContext ctx) {
    get("/api/runs/alpha").onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      JsonObject run = r.json();
      JsonArray studies = run.getJsonArray("studies");
      assertEquals(4, studies.size());
      assertEquals("random/s1", studies.getJsonObject(0).getString("label"));
      long sum = studies.getJsonObject(0).getJsonObject("counts").stream().mapToLong(e -> ((Number) e.getValue()).longValue()).sum();
      assertEquals(40, sum);
      assertEquals(alpha.lastEventId(), run.getLong("lastEventId"));
      ctx.completeNow();
    })));
  }

  @Test
  void trialsArePagedSortedAndFilteredOnTheServer(VertxTestContext ctx) {
    Checkpoint done = ctx.checkpoint(4);
    get("/api/runs/alpha/trials?limit=10&sort=value&order=desc").onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      JsonObject page = r.json();
      assertEquals(160, page.getLong("total"));
      JsonArray items = page.getJsonArray("items");
      assertEquals(10, items.size());
      for (int i = 1; i < items.size(); i++) {
        assertTrue(items.getJsonObject(i - 1).getDouble("value") >= items.getJsonObject(i).getDouble("value"));
      }
      done.flag();
    })));
    get("/api/runs/alpha/trials?offset=155&limit=10&sort=id").onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      JsonArray items = r.json().getJsonArray("items");
      assertEquals(5, items.size());
      assertEquals(156, items.getJsonObject(0).getLong("id"));
      done.flag();
    })));
    get("/api/runs/alpha/trials?offset=1000").onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertEquals(200, r.status());
      assertEquals(0, r.json().getJsonArray("items").size());
      assertEquals(160, r.json().getLong("total"));
      done.flag();
    })));
    long expected = alpha.trials(new dev.strata.runs.TrialQuery(java.util.Optional.of("random"), java.util.Optional.of(2L),
        java.util.Optional.of(TrialStatus.COMPLETED), "id", true, 0, 1)).total();
    get("/api/runs/alpha/trials?strategy=random&seed=2&status=completed&limit=1000").onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      JsonObject page = r.json();
      assertEquals(expected, page.getLong("total"));
      for (Object o : page.getJsonArray("items")) {
        JsonObject t = (JsonObject) o;
        assertEquals("random", t.getString("strategy"));
        assertEquals(2, t.getLong("seed"));
        assertEquals("completed", t.getString("status"));
      }
      done.flag();
    })));
  }

  @Test
  void malformedQueryParametersAre400WithAMessage(VertxTestContext ctx) {
    List<String> bad = List.of("limit=0", "limit=1001", "limit=abc", "offset=-1", "offset=1.5", "sort=bogus", "order=up",
        "seed=x", "status=weird", "strategy=nope", "colour=red");
    Checkpoint done = ctx.checkpoint(bad.size());
    for (String q : bad) {
      get("/api/runs/alpha/trials?" + q).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
        assertEquals(400, r.status(), q);
        String error = r.json().getString("error");
        assertNotNull(error, q);
        assertTrue(error.contains(q.substring(0, q.indexOf('='))), q + " -> " + error);
        done.flag();
      })));
    }
  }

  @Test
  void unknownRunsAndTrialsAre404(VertxTestContext ctx) {
    Map<String, Integer> expected = Map.of(
        "/api/runs/nope", 404, "/api/runs/nope/trials", 404, "/api/runs/nope/comparison", 404,
        "/api/runs/alpha/trials/99999", 404, "/api/runs/alpha/trials/abc", 400, "/api/nothing", 404,
        "/api/runs/nope/events", 404);
    Checkpoint done = ctx.checkpoint(expected.size());
    expected.forEach((uri, status) -> get(uri).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertEquals(status, r.status(), uri);
      assertNotNull(r.json().getString("error"), uri);
      done.flag();
    }))));
  }

  @Test
  void trialDetailHasConfigurationCurveAndNetwork(VertxTestContext ctx) {
    get("/api/runs/alpha/trials/1").onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      JsonObject t = r.json();
      assertEquals(1, t.getLong("id"));
      assertNotNull(t.getJsonObject("configuration").getJsonArray("blocks"));
      assertEquals("residual", t.getJsonObject("network").getJsonArray("blocks").getJsonObject(0).getString("type"));
      assertEquals("strata export runs/alpha --trial 1", t.getString("exportCommand"));
      assertEquals("strata export runs/alpha --best", t.getString("exportBestCommand"));
      assertEquals("random/s1", t.getJsonObject("study").getString("label"));
      ctx.completeNow();
    })));
  }

  /** The trial page's analysis at initialisation: the inspector's answer for the trial's stored network. */
  @Test
  void trialInitHasOneLayerPerAnalysedLayer(VertxTestContext ctx) {
    Checkpoint done = ctx.checkpoint(2);
    get("/api/runs/alpha/trials/1/init").onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertEquals(200, r.status(), r.body().toString());
      JsonObject a = r.json();
      assertEquals(1, a.getLong("trial"));
      int blocks = alpha.networkSpecJson(1).map(JsonObject::new).orElseThrow().getJsonArray("blocks").size();
      assertEquals(blocks, a.getJsonArray("layers").size());
      assertEquals("critical", a.getJsonObject("verdict").getString("phase"));
      done.flag();
    })));
    get("/api/runs/nope/trials/1/init").onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertEquals(404, r.status());
      done.flag();
    })));
  }

  @Test
  void workersWithHostsStatesCurrentTrialsAndHeartbeatAges(VertxTestContext ctx) {
    Checkpoint done = ctx.checkpoint(2);
    get("/api/runs/cluster/workers").onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertEquals(200, r.status());
      assertEquals("no-store", r.headers().get("Cache-Control"));
      JsonObject body = r.json();
      JsonArray workers = body.getJsonArray("workers");
      assertEquals(List.of("local-1", "gpu-a", "cpu-b"), workers.stream().map(o -> ((JsonObject) o).getString("name")).toList());
      assertEquals(2, body.getLong("active"));
      assertEquals(2, body.getLong("remote"));
      JsonObject local = workers.getJsonObject(0);
      assertTrue(local.getBoolean("local"));
      assertEquals(List.of(), local.getJsonArray("currentTrials").getList());
      JsonObject gpu = workers.getJsonObject(1);
      assertEquals("gpu-a.lab", gpu.getString("host"));
      assertEquals(4, gpu.getInteger("threads"));
      assertEquals(17, gpu.getLong("trialsDone"));
      assertEquals(List.of(3, 4), gpu.getJsonArray("currentTrials").getList());
      assertEquals("active", gpu.getString("state"));
      // The heartbeat was 12 s before the run was made; the test takes well under 60 s.
      double age = gpu.getDouble("heartbeatAgeSeconds");
      assertTrue(age >= 12 && age < 72, "age " + age);
      assertNotNull(gpu.getString("lastHeartbeat"));
      JsonObject lost = workers.getJsonObject(2);
      assertEquals("lost", lost.getString("state"));
      assertTrue(lost.getDouble("heartbeatAgeSeconds") >= 300);
      done.flag();
    })));
    get("/api/runs/alpha/workers").onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertEquals(200, r.status());
      assertEquals(0, r.json().getJsonArray("workers").size(), "a local run records no workers");
      done.flag();
    })));
  }

  @Test
  void aTrialSaysWhichWorkerAndHostItRanOn(VertxTestContext ctx) {
    Checkpoint done = ctx.checkpoint(3);
    get("/api/runs/cluster/trials/1").onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      JsonObject t = r.json();
      assertEquals("gpu-a", t.getString("worker"));
      assertEquals("gpu-a.lab", t.getJsonObject("workerInfo").getString("host"));
      assertEquals(false, t.getJsonObject("workerInfo").getBoolean("local"));
      done.flag();
    })));
    get("/api/runs/cluster/trials/2").onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertEquals("local-1", r.json().getString("worker"));
      assertEquals(true, r.json().getJsonObject("workerInfo").getBoolean("local"));
      done.flag();
    })));
    get("/api/runs/alpha/trials/1").onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertNotNull(r.json().getString("worker"));
      assertTrue(r.json().containsKey("workerInfo") && r.json().getValue("workerInfo") == null, "no recorded workers: no info");
      done.flag();
    })));
  }

  @Test
  void comparisonSeriesOnKnownData(VertxTestContext ctx) {
    get("/api/runs/known/comparison").onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      JsonObject c = r.json();
      JsonObject band = c.getJsonArray("byTrials").getJsonObject(0);
      assertEquals("random", band.getString("strategy"));
      assertEquals(List.of(1.0, 2.0, 3.0, 4.0), doubles(band.getJsonArray("x")));
      // The one best-so-far (search-core's BestSoFar): summarised only from where every seed has a value.
      assertNull(band.getJsonArray("median").getValue(0));
      assertEquals(List.of(3.0, 2.0, 2.0), doubles(band.getJsonArray("median")).subList(1, 4));
      assertEquals(List.of(2.5, 1.5, 1.5), doubles(band.getJsonArray("q1")).subList(1, 4));
      assertEquals(List.of(3.5, 2.5, 2.5), doubles(band.getJsonArray("q3")).subList(1, 4));
      assertEquals(3, c.getJsonArray("studies").size());
      assertEquals(3.0, c.getJsonArray("bySeconds").getJsonObject(0).getJsonArray("median").getDouble(199), 1e-12);
      ctx.completeNow();
    })));
  }

  @Test
  void aThinnedComparisonSaysSoAndGivesEveryChangePointOnRequest(VertxTestContext ctx) {
    Checkpoint done = ctx.checkpoint(3);
    get("/api/runs/climb/comparison").onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      JsonObject c = r.json();
      assertEquals(true, c.getBoolean("thinned"));
      assertEquals(1200, c.getInteger("points"));
      JsonObject study = c.getJsonArray("studies").getJsonObject(0);
      assertEquals(1200, study.getInteger("steps"));
      assertTrue(study.getJsonArray("x").size() <= RunService.MAX_SERIES_POINTS, "thinned for drawing");
      assertEquals(1200.0, study.getJsonArray("x").getDouble(study.getJsonArray("x").size() - 1), "the final best kept");
      assertTrue(c.getJsonArray("byTrials").getJsonObject(0).getJsonArray("x").size() <= RunService.MAX_SERIES_POINTS);
      done.flag();
    })));
    get("/api/runs/climb/comparison?full=true").onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      JsonObject c = r.json();
      assertEquals(false, c.getBoolean("thinned"));
      JsonObject study = c.getJsonArray("studies").getJsonObject(0);
      List<Double> x = doubles(study.getJsonArray("x"));
      assertEquals(1200, x.size(), "every change point");
      assertEquals(java.util.stream.IntStream.rangeClosed(1, 1200).mapToObj(i -> (double) i).toList(), x);
      assertEquals(1200, c.getJsonArray("byTrials").getJsonObject(0).getJsonArray("x").size(), "the band at every point too");
      done.flag();
    })));
    get("/api/runs/climb/comparison?full=yes").onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertEquals(400, r.status());
      assertEquals("full must be true or false, got 'yes'", r.json().getString("error"));
      done.flag();
    })));
  }

  @Test
  void paretoSetOnKnownData(VertxTestContext ctx) {
    get("/api/runs/pareto/pareto").onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      JsonObject p = r.json();
      List<Long> front = p.getJsonArray("front").stream().map(o -> ((JsonArray) o).getLong(0)).toList();
      assertEquals(List.of(5L, 1L, 2L, 7L, 6L), front);
      assertEquals(7, p.getInteger("eligible"));
      ctx.completeNow();
    })));
  }

  @Test
  void parametersForParallelCoordinates(VertxTestContext ctx) {
    get("/api/runs/alpha/parameters").onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      JsonObject p = r.json();
      List<String> names = p.getJsonArray("dimensions").stream().map(o -> ((JsonObject) o).getString("name")).toList();
      assertTrue(names.containsAll(List.of("batchSize", "blocks.count", "init", "learningRate", "optimizer")), names.toString());
      JsonObject optimizer = p.getJsonArray("dimensions").getJsonObject(names.indexOf("optimizer"));
      assertEquals("category", optimizer.getString("type"));
      JsonArray row = p.getJsonArray("rows").getJsonArray(0);
      assertEquals(names.size() + 2, row.size());
      ctx.completeNow();
    })));
  }

  @Test
  void pagesAndEchartsAreServedCompressedWithCacheHeaders(VertxTestContext ctx) {
    Checkpoint done = ctx.checkpoint(3);
    get("/").onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertEquals(200, r.status());
      assertTrue(r.headers().get("Content-Type").startsWith("text/html"));
      assertEquals("no-cache", r.headers().get("Cache-Control"), "revalidated: the path is not versioned");
      assertTrue(r.headers().get("Last-Modified") != null);
      done.flag();
    })));
    send(client, port, HttpMethod.GET, "/vendor/echarts/echarts.min.js", Map.of("Accept-Encoding", "gzip")).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertEquals(200, r.status());
      assertEquals("gzip", r.headers().get("Content-Encoding"));
      assertEquals("no-cache", r.headers().get("Cache-Control"), "revalidated: the path is not versioned");
      done.flag();
    })));
    get("/js/architecture.js").onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertEquals(200, r.status());
      assertTrue(r.body().toString().contains("drawArchitecture"));
      done.flag();
    })));
  }

  @Test
  void pathTraversalIs404(VertxTestContext ctx) {
    List<String> attempts = List.of(
        "/../pom.xml", "/..%2f..%2fpom.xml", "/%2e%2e/%2e%2e/etc/passwd", "/js/../../dev/strata/dashboard/Dashboard.class",
        "/vendor/echarts/..%2f..%2f..%2f..%2f..%2fdev/strata/dashboard/Dashboard.class",
        "/vendor/echarts/../../../../dev/strata/dashboard/dashboard.properties", "/dev/strata/dashboard/Dashboard.class",
        "/webroot/index.html", "/%2e%2e%5c%2e%2e%5cpom.xml", "/js/%00../../pom.xml", "/%252e%252e/%252e%252e/pom.xml",
        "/css/..%5c..%5cdev/strata/dashboard/Dashboard.class", "/api/runs/..%2falpha", "/api/runs/%2e%2e/trials");
    Checkpoint done = ctx.checkpoint(attempts.size());
    for (String uri : attempts) {
      get(uri).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
        assertEquals(404, r.status(), uri);
        assertTrue(!r.body().toString().contains("class") || r.body().length() < 100, uri);
        done.flag();
      })));
    }
  }

  @Test
  void stopIsAcceptedForALiveRunOnly(VertxTestContext ctx) {
    Checkpoint done = ctx.checkpoint(3);
    send(client, port, HttpMethod.POST, "/api/runs/beta/stop", Map.of()).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertEquals(202, r.status());
      assertEquals(1, stops.get());
      done.flag();
    })));
    send(client, port, HttpMethod.POST, "/api/runs/alpha/stop", Map.of()).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertEquals(409, r.status());
      done.flag();
    })));
    send(client, port, HttpMethod.POST, "/api/runs/beta/stop", Map.of("Origin", "http://evil.example")).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertEquals(403, r.status());
      done.flag();
    })));
  }

  static List<Double> doubles(JsonArray a) {
    return a.stream().map(o -> o == null ? Double.NaN : ((Number) o).doubleValue()).toList();
  }
}
