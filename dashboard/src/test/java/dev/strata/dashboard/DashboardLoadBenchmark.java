package dev.strata.dashboard;

import dev.strata.search.trial.Direction;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load benchmark for the dashboard (run by {@code bench/dashboard-load.sh}), all on loopback:
 *
 * <ol>
 *   <li>Event stream: {@code clients} SSE clients (default 50) follow a live run while a publisher
 *       emits {@code rate} trial events per second (default 100) for {@code seconds} (default 10).
 *       Checks that every client got every event once, in order, and reports the delivery latency
 *       (publish call to frame parsed by the client) percentiles.
 *   <li>Leaderboard: an in-memory run of {@code trials} trials (default 100,000); sorted and
 *       filtered pages through the REST API, latency percentiles; and the whole-run views.
 * </ol>
 *
 * Arguments: {@code key=value} for clients, rate, seconds, trials, requests.
 */
public final class DashboardLoadBenchmark {

  private DashboardLoadBenchmark() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = new java.util.HashMap<>();
    for (String a : args) {
      String[] kv = a.split("=", 2);
      opts.put(kv[0], kv.length > 1 ? kv[1] : "");
    }
    int clients = Integer.parseInt(opts.getOrDefault("clients", "50"));
    int rate = Integer.parseInt(opts.getOrDefault("rate", "100"));
    int seconds = Integer.parseInt(opts.getOrDefault("seconds", "10"));
    int trials = Integer.parseInt(opts.getOrDefault("trials", "100000"));
    int requests = Integer.parseInt(opts.getOrDefault("requests", "200"));
    System.out.printf(Locale.ROOT, "dashboard load benchmark: %d cores, java %s%n", Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"));
    Vertx vertx = Vertx.vertx();
    try {
      boolean ok = streamBenchmark(vertx, clients, rate, seconds);
      pageBenchmark(vertx, trials, requests);
      if (!ok) {
        System.out.println("RESULT: FAILED (a client missed events)");
        System.exit(1);
      }
      System.out.println("RESULT: OK");
    } finally {
      vertx.close().await();
    }
  }

  static boolean streamBenchmark(Vertx vertx, int clients, int rate, int seconds) throws Exception {
    InMemoryRun run = new InMemoryRun("live", "val_accuracy", Direction.MAXIMIZE);
    run.addStudy("random", 1, 1_000_000);
    Dashboard dashboard = Dashboard.start(vertx, DashboardOptions.builder().port(0).build(),
        RunCatalog.single("live", RunHandle.live(run, run, null))).await();
    int port = dashboard.actualPort();
    int total = rate * seconds;
    HttpClient http = vertx.createHttpClient(new HttpClientOptions(), new PoolOptions().setHttp1MaxSize(clients + 4));
    Map<Long, Long> publishedAt = new ConcurrentHashMap<>();
    long[][] latencies = new long[clients][];
    int[] received = new int[clients];
    boolean[] ordered = new boolean[clients];
    CountDownLatch done = new CountDownLatch(clients);
    for (int c = 0; c < clients; c++) {
      int client = c;
      latencies[c] = new long[total];
      ordered[c] = true;
      long[] expected = {1};
      StringBuilder pending = new StringBuilder();
      RequestOptions o = new RequestOptions().setHost("127.0.0.1").setPort(port).setMethod(HttpMethod.GET)
          .setURI("/api/runs/live/events?after=0");
      http.request(o).compose(req -> {
        Future<Void> attached = req.response().map(resp -> {
          resp.handler(buf -> {
        long now = System.nanoTime();
        pending.append(buf.toString());
        int end;
        while ((end = pending.indexOf("\n\n")) >= 0) {
          String block = pending.substring(0, end);
          pending.delete(0, end + 2);
          int at = block.indexOf("id: ");
          if (at < 0 || block.contains("event: resync")) {
            if (block.contains("event: resync")) {
              ordered[client] = false;
            }
            continue;
          }
          long id = Long.parseLong(block.substring(at + 4, block.indexOf('\n', at)));
          if (id != expected[0]) {
            ordered[client] = false;
          }
          expected[0] = id + 1;
          Long t0 = publishedAt.get(id);
          if (t0 == null) {
            continue; // a warm-up event
          }
          if (received[client] < total) {
            latencies[client][received[client]] = t0 == null ? 0 : now - t0;
          }
          received[client]++;
          if (received[client] == total) {
            done.countDown();
          }
        }
          });
          return null;
        });
        req.end();
        return attached;
      }).await();
    }
    Thread.sleep(300);
    // Warm-up: one second of events, then the clients skip them (ids continue from here).
    int warmup = rate;
    for (int i = 0; i < warmup; i++) {
      run.emit("trial-finished", "{\"trialId\":0,\"warmup\":true}");
      TimeUnit.NANOSECONDS.sleep(1_000_000_000L / rate);
    }
    Thread.sleep(500);
    for (int c = 0; c < clients; c++) {
      received[c] = 0;
    }
    System.out.printf(Locale.ROOT, "%n[1] event stream: %d SSE clients, %d events/s for %d s (%d events)%n", clients, rate, seconds, total);
    long periodNanos = 1_000_000_000L / rate;
    long start = System.nanoTime();
    AtomicLong maxPublishNanos = new AtomicLong();
    for (int i = 0; i < total; i++) {
      long due = start + i * periodNanos;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
      long id = warmup + i + 1;
      long t0 = System.nanoTime();
      publishedAt.put(id, t0);
      run.emit("trial-finished", "{\"trialId\":" + id + ",\"studyId\":1,\"status\":\"COMPLETED\",\"value\":0.9,\"parameters\":12345,\"trainSeconds\":3.5}");
      maxPublishNanos.accumulateAndGet(System.nanoTime() - t0, Math::max);
    }
    boolean all = done.await(30, TimeUnit.SECONDS);
    long elapsed = System.nanoTime() - start;
    int complete = 0;
    boolean inOrder = true;
    List<Long> lat = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      if (received[c] == total) {
        complete++;
      }
      inOrder &= ordered[c];
      for (int i = 0; i < Math.min(received[c], total); i++) {
        lat.add(latencies[c][i]);
      }
    }
    long[] sorted = lat.stream().mapToLong(Long::longValue).sorted().toArray();
    System.out.printf(Locale.ROOT, "  clients with every event: %d / %d, in order without gaps or duplicates: %s (%.1f s)%n",
        complete, clients, inOrder, elapsed / 1e9);
    System.out.printf(Locale.ROOT, "  delivery latency over %d deliveries: p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms%n",
        sorted.length, pct(sorted, 0.5), pct(sorted, 0.9), pct(sorted, 0.99), sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6);
    System.out.printf(Locale.ROOT, "  slowest publish call (listener hand-off): %.3f ms%n", maxPublishNanos.get() / 1e6);
    http.close().await();
    dashboard.close().await();
    return all && complete == clients && inOrder;
  }

  static void pageBenchmark(Vertx vertx, int trials, int requests) throws Exception {
    List<String> strategies = List.of("random", "evolution", "bayesian");
    List<Long> seeds = List.of(1L, 2L);
    int perStudy = (int) Math.ceil(trials / (double) (strategies.size() * seeds.size()));
    long t0 = System.nanoTime();
    InMemoryRun run = FakeExperiment.finished("big", perStudy, strategies, seeds, 3);
    long total = run.trials(dev.strata.runs.TrialQuery.firstPage()).total();
    System.out.printf(Locale.ROOT, "%n[2] REST API on an in-memory run of %,d trials (built in %.1f s)%n", total, (System.nanoTime() - t0) / 1e9);
    Dashboard dashboard = Dashboard.start(vertx, DashboardOptions.builder().port(0).build(),
        RunCatalog.single("big", RunHandle.of(run))).await();
    int port = dashboard.actualPort();
    HttpClient http = vertx.createHttpClient();
    Random random = new Random(1);
    String[][] kinds = {
        {"sorted by objective, best first", "sort=value&order=best"},
        {"sorted by parameters, descending", "sort=parameters&order=desc"},
        {"filtered strategy+seed+status, by objective", "strategy=bayesian&seed=2&status=completed&sort=value"},
        {"by id (newest first)", "sort=id&order=desc"},
    };
    for (String[] kind : kinds) {
      for (int i = 0; i < 10; i++) { // warm-up
        get(http, port, "/api/runs/big/trials?limit=50&offset=" + random.nextInt((int) total - 50) + "&" + kind[1]);
      }
      long[] lat = new long[requests];
      for (int i = 0; i < requests; i++) {
        int offset = random.nextInt((int) Math.max(1, total / 10));
        long s = System.nanoTime();
        get(http, port, "/api/runs/big/trials?limit=50&offset=" + offset + "&" + kind[1]);
        lat[i] = System.nanoTime() - s;
      }
      Arrays.sort(lat);
      System.out.printf(Locale.ROOT, "  page of 50, %-45s p50 %7.2f ms  p99 %7.2f ms  (%d requests)%n", kind[0] + ":", pct(lat, 0.5), pct(lat, 0.99), requests);
    }
    for (String view : List.of("", "/comparison", "/pareto", "/parameters")) {
      long s = System.nanoTime();
      int bytes = get(http, port, "/api/runs/big" + view);
      long first = System.nanoTime() - s;
      s = System.nanoTime();
      get(http, port, "/api/runs/big" + view);
      long second = System.nanoTime() - s;
      System.out.printf(Locale.ROOT, "  GET /api/runs/big%-12s first %8.1f ms, again %7.1f ms (%,d bytes)%n", view, first / 1e6, second / 1e6, bytes);
    }
    http.close().await();
    dashboard.close().await();
  }

  private static int get(HttpClient http, int port, String uri) {
    var r = TestRuns.get(http, port, uri).await();
    if (r.status() != 200) {
      throw new IllegalStateException(uri + " -> " + r.status() + " " + r.body());
    }
    return r.body().length();
  }

  private static double pct(long[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int i = (int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
    return sorted[Math.max(0, i)] / 1e6;
  }
}
