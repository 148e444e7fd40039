package dev.strata.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.search.trial.Direction;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.junit5.VertxExtension;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A dashboard with a token, over real HTTP: every API and event-stream request needs it (header,
 * cookie or query), a missing or wrong one is 401, and so is a stop without it. Pages stay public
 * (they hold no run data), but traversal attempts are still 404.
 */
@ExtendWith(VertxExtension.class)
class AccessTest {

  static final String TOKEN = "s3cret-token-42";
  static final String WRONG = "s3cret-token-43";
  /** Every API endpoint of a run, the stream included. */
  static final List<String> API = List.of("/api/runs", "/api/runs/live", "/api/runs/live/studies", "/api/runs/live/trials",
      "/api/runs/live/trials/1", "/api/runs/live/running", "/api/runs/live/comparison", "/api/runs/live/pareto", "/api/runs/live/importance",
      "/api/runs/live/parameters", "/api/runs/live/workers", "/api/runs/live/events");

  static Dashboard dashboard;
  static HttpClient client;
  static int port;
  static InMemoryRun live;
  static final AtomicInteger stops = new AtomicInteger();

  @BeforeAll
  static void start(Vertx vertx) {
    live = new InMemoryRun("live", "val_accuracy", Direction.MAXIMIZE);
    live.addStudy("random", 1, 10);
    live.startTrial(1, 0, dev.strata.search.trial.Configuration.of(Map.of("x", 1)), null);
    Map<String, RunHandle> runs = new LinkedHashMap<>();
    runs.put("live", RunHandle.live(live, live, stops::incrementAndGet));
    dashboard = Dashboard.start(vertx, DashboardOptions.builder().port(0).token(TOKEN).build(), RunCatalog.of(runs)).await();
    port = dashboard.actualPort();
    client = vertx.createHttpClient();
  }

  @AfterAll
  static void stop() {
    dashboard.close().await();
  }

  /** The status of a GET; an event stream is cut once its headers are in. */
  static int status(String uri, Map<String, String> headers) {
    if (uri.endsWith("/events")) {
      SseClient sse = SseClient.connect(client, port, uri, headers).await();
      sse.close();
      return sse.status;
    }
    return TestRuns.send(client, port, HttpMethod.GET, uri, headers).await().status();
  }

  @Test
  void withoutATokenEveryApiAndStreamRequestIs401WithAHint() {
    for (String uri : API) {
      assertEquals(401, status(uri, Map.of()), uri);
    }
    TestRuns.Response r = TestRuns.get(client, port, "/api/runs").await();
    assertTrue(r.json().getString("error").contains("token"), r.json().encode());
    assertTrue(r.headers().get("WWW-Authenticate").startsWith("Bearer"));
  }

  @Test
  void aWrongTokenIs401ByHeaderCookieOrQuery() {
    for (String uri : API) {
      assertEquals(401, status(uri, Map.of("Authorization", "Bearer " + WRONG)), uri);
      assertEquals(401, status(uri, Map.of("Cookie", AccessHandler.cookieName(port) + "=" + WRONG)), uri);
      assertEquals(401, status(uri + "?token=" + WRONG, Map.of()), uri);
    }
    // A prefix of the right token, or the right one with a different case, is still wrong.
    assertEquals(401, status("/api/runs", Map.of("Authorization", "Bearer " + TOKEN.substring(0, 8))));
    assertEquals(401, status("/api/runs", Map.of("Authorization", "Bearer " + TOKEN.toUpperCase())));
    assertEquals(401, status("/api/runs", Map.of("Authorization", "Basic " + TOKEN)));
  }

  @Test
  void theRightTokenIs200ByHeaderOrCookie() {
    for (String uri : API) {
      assertEquals(200, status(uri, Map.of("Authorization", "Bearer " + TOKEN)), uri);
      assertEquals(200, status(uri, Map.of("Cookie", AccessHandler.cookieName(port) + "=" + TOKEN)), uri);
    }
    SseClient sse = SseClient.connect(client, port, "/api/runs/live/events", Map.of("Cookie", AccessHandler.cookieName(port) + "=" + TOKEN)).await();
    assertTrue(sse.headers.get("Content-Type").startsWith("text/event-stream"));
    sse.close();
  }

  @Test
  void stopNeedsTheToken() {
    int before = stops.get();
    assertEquals(401, TestRuns.send(client, port, HttpMethod.POST, "/api/runs/live/stop", Map.of()).await().status());
    assertEquals(401, TestRuns.send(client, port, HttpMethod.POST, "/api/runs/live/stop",
        Map.of("Authorization", "Bearer " + WRONG)).await().status());
    assertEquals(401, TestRuns.send(client, port, HttpMethod.POST, "/api/runs/live/stop",
        Map.of("Cookie", AccessHandler.cookieName(port) + "=" + WRONG)).await().status());
    assertEquals(before, stops.get(), "no stop without the right token");
    assertEquals(202, TestRuns.send(client, port, HttpMethod.POST, "/api/runs/live/stop",
        Map.of("Cookie", AccessHandler.cookieName(port) + "=" + TOKEN)).await().status());
    assertEquals(before + 1, stops.get());
    // The right token from another site's page is still refused.
    assertEquals(403, TestRuns.send(client, port, HttpMethod.POST, "/api/runs/live/stop",
        Map.of("Authorization", "Bearer " + TOKEN, "Origin", "http://evil.example")).await().status());
    assertEquals(before + 1, stops.get());
  }

  @Test
  void theTokenLinkSetsAStrictHttpOnlyCookieAndLeavesTheAddressBar() {
    TestRuns.Response r = TestRuns.get(client, port, "/run.html?name=live&token=" + TOKEN).await();
    assertEquals(303, r.status());
    assertEquals("/run.html?name=live", r.headers().get("Location"));
    String cookie = r.headers().get("Set-Cookie");
    assertNotNull(cookie);
    assertTrue(cookie.startsWith(AccessHandler.cookieName(port) + "=" + TOKEN), cookie);
    assertTrue(cookie.contains("HTTPOnly") || cookie.contains("HttpOnly"), cookie);
    assertTrue(cookie.contains("SameSite=Strict"), cookie);

    TestRuns.Response wrong = TestRuns.get(client, port, "/?token=" + WRONG).await();
    assertEquals(401, wrong.status());
    assertNull(wrong.headers().get("Set-Cookie"));
    // Pages without a token are served: they hold no run data.
    assertEquals(200, TestRuns.get(client, port, "/run.html").await().status());
  }

  @Test
  void traversalIs404AndBadParametersAre400WithTheToken() {
    Map<String, String> auth = Map.of("Authorization", "Bearer " + TOKEN);
    for (String uri : List.of("/../pom.xml", "/%2e%2e/%2e%2e/etc/passwd", "/vendor/echarts/..%2f..%2f..%2fdev/strata/dashboard/Dashboard.class")) {
      int s = TestRuns.send(client, port, HttpMethod.GET, uri, auth).await().status();
      assertTrue(s == 404 || s == 400, uri + " -> " + s);
    }
    TestRuns.Response r = TestRuns.send(client, port, HttpMethod.GET, "/api/runs/live/trials?limit=-3", auth).await();
    assertEquals(400, r.status());
    assertTrue(r.json().getString("error").contains("limit"), r.json().encode());
  }

  @Test
  void aNonLoopbackHostWithoutATokenIsRefusedInOneLine() {
    for (String host : List.of("0.0.0.0", "192.168.1.20", "::", "dashboard.example.org")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> DashboardOptions.builder().host(host).build(), host);
      assertEquals(1, e.getMessage().lines().count(), e.getMessage());
      assertTrue(e.getMessage().contains("--token"), e.getMessage());
    }
    // The record itself refuses, so no code path can build such options and bind.
    assertThrows(IllegalArgumentException.class, () -> new DashboardOptions("0.0.0.0", 0, java.util.Optional.empty(), null, 10));
    DashboardOptions ok = DashboardOptions.builder().host("0.0.0.0").token(TOKEN).build();
    assertEquals(TOKEN, ok.token().orElseThrow());
  }
}
