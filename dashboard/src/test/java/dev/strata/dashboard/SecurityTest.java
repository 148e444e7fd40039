package dev.strata.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.search.trial.Configuration;
import dev.strata.search.trial.Direction;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's answers to hostile requests, sent byte for byte over a socket (so the Host and
 * Origin headers are exactly the attacker's): DNS rebinding (a foreign Host) is refused for reads
 * and for stop, an Origin must be on the allow-list and match the Host, every answer carries the
 * security headers, the token cookie is per port, no redirect leaves the site, HEAD works and a
 * wrong method is 405, and nothing unversioned is sent {@code immutable}.
 */
class SecurityTest {

  static final String TOKEN = "security-test-token";
  static Dashboard open;
  static Dashboard guarded;
  static final AtomicInteger stops = new AtomicInteger();

  @BeforeAll
  static void start() {
    InMemoryRun live = new InMemoryRun("live", "val_accuracy", Direction.MAXIMIZE);
    live.addStudy("random", 1, 10);
    live.startTrial(1, 0, Configuration.of(Map.of("x", 1)), null);
    Map<String, RunHandle> runs = new LinkedHashMap<>();
    runs.put("live", RunHandle.live(live, live, stops::incrementAndGet));
    open = Dashboard.start(DashboardOptions.builder().port(0).allowHost("dash.lab.example").build(), RunCatalog.of(runs)).await();
    guarded = Dashboard.start(DashboardOptions.builder().port(0).token(TOKEN).build(), RunCatalog.of(runs)).await();
  }

  @AfterAll
  static void stop() {
    open.close().await();
    guarded.close().await();
  }

  record Raw(int status, Map<String, String> headers, String body) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  /** One HTTP/1.1 request exactly as written; {@code host} null sends no Host header. */
  static Raw raw(int port, String method, String path, String host, Map<String, String> headers) throws IOException {
    StringBuilder req = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
    if (host != null) {
      req.append("Host: ").append(host).append("\r\n");
    }
    headers.forEach((k, v) -> req.append(k).append(": ").append(v).append("\r\n"));
    req.append("Connection: close\r\nContent-Length: 0\r\n\r\n");
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = s.getInputStream();
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      for (int n; (n = in.read(buf)) > 0; ) {
        all.write(buf, 0, n);
      }
      String text = all.toString(StandardCharsets.ISO_8859_1);
      int split = text.indexOf("\r\n\r\n");
      String[] lines = text.substring(0, split).split("\r\n");
      Map<String, String> h = new LinkedHashMap<>();
      for (int i = 1; i < lines.length; i++) {
        int c = lines[i].indexOf(':');
        h.put(lines[i].substring(0, c).trim().toLowerCase(Locale.ROOT), lines[i].substring(c + 1).trim());
      }
      return new Raw(Integer.parseInt(lines[0].split(" ")[1]), h, text.substring(split + 4));
    }
  }

  static Raw get(int port, String path, String host) throws IOException {
    return raw(port, "GET", path, host, Map.of());
  }

  static String local(Dashboard d) {
    return "127.0.0.1:" + d.actualPort();
  }

  @Test
  void aForeignHostIsRefusedForPagesReadsAndStop() throws IOException {
    int port = open.actualPort();
    for (String path : List.of("/api/runs", "/api/runs/live/trials", "/", "/run.html?name=live")) {
      Raw r = get(port, path, "rebind.evil.example:" + port);
      assertEquals(403, r.status(), path);
      assertFalse(r.body().contains("val_accuracy"), "no run data behind a foreign Host: " + r.body());
    }
    int noHost = get(port, "/api/runs", null).status();
    assertTrue(noHost == 400 || noHost == 403, "no Host header at all: " + noHost);
    int before = stops.get();
    Raw stop = raw(port, "POST", "/api/runs/live/stop", "rebind.evil.example:" + port,
        Map.of("Origin", "http://rebind.evil.example:" + port));
    assertEquals(403, stop.status());
    assertEquals(before, stops.get(), "the rebinding page did not stop the run");
    // The dashboard's own names pass.
    for (String host : List.of("127.0.0.1:" + port, "localhost:" + port, "LOCALHOST:" + port, "[::1]:" + port, "localhost",
        "dash.lab.example:" + port)) {
      assertEquals(200, get(port, "/api/runs", host).status(), host);
    }
  }

  @Test
  void anOriginMustBeOnTheListAndTheSameHostAndPort() throws IOException {
    int port = open.actualPort();
    int before = stops.get();
    for (String origin : List.of("http://evil.example", "http://localhost:" + (port + 1), "null", "http://127.0.0.1:" + port + ".evil.example")) {
      Raw r = raw(port, "POST", "/api/runs/live/stop", local(open), Map.of("Origin", origin));
      assertEquals(403, r.status(), origin);
    }
    assertEquals(403, raw(port, "POST", "/api/runs/live/stop", local(open), Map.of("Sec-Fetch-Site", "cross-site")).status());
    assertEquals(before, stops.get());
    assertEquals(202, raw(port, "POST", "/api/runs/live/stop", local(open), Map.of("Origin", "http://" + local(open))).status());
    assertEquals(before + 1, stops.get());
  }

  @Test
  void everyAnswerCarriesTheSecurityHeaders() throws IOException {
    int port = open.actualPort();
    for (String path : List.of("/", "/run.html", "/js/run.js", "/api/runs", "/api/runs/nope", "/no-such-page", "/vendor/echarts/echarts.min.js")) {
      Raw r = get(port, path, local(open));
      String csp = r.header("Content-Security-Policy");
      assertTrue(csp != null && csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"), path + ": " + csp);
      assertFalse(csp.contains("unsafe-eval"), csp);
      assertEquals("nosniff", r.header("X-Content-Type-Options"), path);
      assertEquals("DENY", r.header("X-Frame-Options"), path);
      assertEquals("no-referrer", r.header("Referrer-Policy"), path);
    }
  }

  @Test
  void theTokenCookieIsNamedForThePortAndTwoDashboardsKeepTheirOwn() throws IOException {
    int port = guarded.actualPort();
    Raw r = get(port, "/run.html?name=live&token=" + TOKEN, local(guarded));
    assertEquals(303, r.status());
    assertTrue(r.header("Set-Cookie").startsWith("strata_token_" + port + "=" + TOKEN), r.header("Set-Cookie"));
    // The other dashboard's cookie name does not count here.
    assertEquals(401, raw(port, "GET", "/api/runs", local(guarded), Map.of("Cookie", "strata_token_" + open.actualPort() + "=" + TOKEN)).status());
    assertEquals(200, raw(port, "GET", "/api/runs", local(guarded), Map.of("Cookie", "strata_token_" + port + "=" + TOKEN)).status());
  }

  @Test
  void noRedirectLeavesTheSite() throws IOException {
    int port = guarded.actualPort();
    for (String path : List.of("//evil.example/?token=" + TOKEN, "///evil.example/x?token=" + TOKEN, "/\\evil.example/?token=" + TOKEN,
        "/%2F%2Fevil.example/?token=" + TOKEN)) {
      Raw r = get(port, path, local(guarded));
      String location = r.header("Location");
      if (location != null) {
        assertTrue(location.startsWith("/") && !location.startsWith("//") && !location.startsWith("/\\"), path + " -> " + location);
      }
    }
    assertEquals("/evil.example/", get(port, "//evil.example/?token=" + TOKEN, local(guarded)).header("Location"));
  }

  @Test
  void headAnswersLikeGetWithoutABodyAndOtherMethodsAre405() throws IOException {
    int port = open.actualPort();
    for (String path : List.of("/", "/run.html", "/js/run.js", "/api/runs", "/api/runs/live", "/api/runs/live/trials", "/api/runs/live/events")) {
      Raw head = raw(port, "HEAD", path, local(open), Map.of());
      assertEquals(200, head.status(), path);
      assertEquals("", head.body(), path);
      assertTrue(head.header("Content-Type") != null, path);
    }
    Raw put = raw(port, "PUT", "/api/runs", local(open), Map.of());
    assertEquals(405, put.status());
    assertEquals("GET, HEAD", put.header("Allow"));
    Raw getStop = raw(port, "GET", "/api/runs/live/stop", local(open), Map.of());
    assertEquals(405, getStop.status());
    assertEquals("POST", getStop.header("Allow"));
    Raw delete = raw(port, "DELETE", "/run.html", local(open), Map.of());
    assertEquals(405, delete.status());
    assertEquals(404, get(port, "/api/nothing", local(open)).status());
  }

  @Test
  void unversionedScriptsAreRevalidatedNeverImmutable() throws IOException {
    int port = open.actualPort();
    for (String path : List.of("/js/run.js", "/vendor/echarts/echarts.min.js", "/run.html")) {
      Raw r = get(port, path, local(open));
      assertEquals(200, r.status(), path);
      String cc = r.header("Cache-Control");
      assertTrue(cc != null && cc.contains("no-cache") && !cc.contains("immutable"), path + ": " + cc);
      assertTrue(r.header("Last-Modified") != null, path);
    }
  }

  @Test
  void theAllowListHoldsTheBoundAddressAndItsNamesOnly() {
    HostAllowList loop = HostAllowList.forBinding("127.0.0.1", Set.of());
    assertTrue(loop.allowsHostHeader("localhost:1"));
    assertTrue(loop.allowsHostHeader("[::1]:8080"));
    assertTrue(loop.allowsHostHeader("localhost."));
    assertFalse(loop.allowsHostHeader("localhost.evil.example:8080"));
    assertFalse(loop.allowsHostHeader("127.0.0.1.nip.io"));
    assertFalse(loop.allowsHostHeader(""));
    assertTrue(loop.allowsOrigin("http://localhost:8080"));
    assertFalse(loop.allowsOrigin("null"));
    assertFalse(loop.allowsOrigin("file://localhost/x"));
  }
}
