package dev.strata.experiments.bench;

import dev.strata.dashboard.Browser;
import dev.strata.dashboard.Dashboard;
import dev.strata.dashboard.DashboardOptions;
import dev.strata.dashboard.RunCatalog;
import dev.strata.dashboard.RunHandle;
import dev.strata.experiments.cli.DashboardCommand;
import dev.strata.experiments.store.RunStore;
import dev.strata.runs.RunState;
import dev.strata.search.study.NewTrial;
import dev.strata.search.study.TrialFinish;
import dev.strata.search.trial.Configuration;
import dev.strata.search.trial.Direction;
import dev.strata.search.trial.TrialRecord;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The dashboard at scale, on real SQLite runs (run by {@code bench/dashboard-scale.sh}; a harness,
 * not a test). Modes:
 *
 * <ul>
 *   <li>{@code generate DIR NAME TRIALS}: writes a finished run through {@link RunStore} (three
 *       strategies x three seeds, configurations with a log-scaled rate and a list of blocks).
 *   <li>{@code finished DIR NAME}: serves DIR as {@code strata dashboard DIR} does, then reports
 *       each API's first (cold, fresh JVM) and warm (median and max of 20) latency, the time until
 *       every chart of the experiment page has drawn in headless Chromium, and this JVM's RSS.
 *   <li>{@code live DIR NAME RATE SECONDS CLIENTS}: opens the run for writing as {@code strata
 *       resume --dashboard} does, appends RATE trials per second for SECONDS while CLIENTS event
 *       streams follow it, and reports event delivery latency percentiles, warm API latencies
 *       under that load and RSS.
 * </ul>
 */
public final class DashboardScaleBenchmark {

  static final List<String> STRATEGIES = List.of("random", "tpe", "evolution");
  static final List<Long> SEEDS = List.of(1L, 2L, 3L);

  private DashboardScaleBenchmark() {}

  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "generate" -> generate(Path.of(args[1]), args[2], Integer.parseInt(args[3]));
      case "generate-bulk" -> generateBulk(Path.of(args[1]), args[2], Integer.parseInt(args[3]));
      case "finished" -> finished(Path.of(args[1]), args[2]);
      case "migrate" -> migrate(Path.of(args[1]), args[2]);
      case "clients" -> clients(Integer.parseInt(args[1]), args[2], Long.parseLong(args[3]), Integer.parseInt(args[4]));
      case "live" -> live(Path.of(args[1]), args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]), Integer.parseInt(args[5]));
      default -> throw new IllegalArgumentException("mode: generate | finished | live");
    }
    System.exit(0);
  }

  // ---- generating ----

  static Configuration config(Random r) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("learningRate", Math.exp(Math.log(1e-4) + r.nextDouble() * (Math.log(1e-1) - Math.log(1e-4))));
    c.put("batchSize", List.of(16, 32, 64, 128).get(r.nextInt(4)));
    c.put("optimizer", List.of("sgd", "adam", "rmsprop").get(r.nextInt(3)));
    c.put("l2", Math.exp(Math.log(1e-6) + r.nextDouble() * (Math.log(1e-2) - Math.log(1e-6))));
    List<Map<String, Object>> blocks = new ArrayList<>();
    for (int b = 0, n = 1 + r.nextInt(4); b < n; b++) {
      blocks.add(Map.of("width", List.of(32, 64, 128, 256).get(r.nextInt(4)), "activation", List.of("relu", "tanh").get(r.nextInt(2))));
    }
    c.put("blocks", blocks);
    return Configuration.of(c);
  }

  /** Appends {@code count} finished trials to the studies, round robin; returns the time it took. */
  static void append(RunStore store, List<Long> studies, int[] nextIndex, int count, Random r) {
    int batch = 100;
    for (int done = 0; done < count; ) {
      int k = Math.min(batch, count - done);
      long study = studies.get((done / batch) % studies.size());
      int first = nextIndex[(int) (study - studies.getFirst())];
      List<NewTrial> fresh = new ArrayList<>();
      for (int i = 0; i < k; i++) {
        fresh.add(new NewTrial(first + i, config(r), r.nextLong(), Map.of()));
      }
      List<TrialRecord> made = store.recordNext(study, k, first, "[]", fresh);
      nextIndex[(int) (study - studies.getFirst())] += k;
      for (TrialRecord t : made) {
        store.startTrial(t.id(), "local-1");
        double progress = Math.log(1 + t.index());
        double value = Math.min(0.99, 0.55 + 0.04 * progress + 0.08 * r.nextGaussian() * Math.exp(-progress / 6));
        if (r.nextInt(50) == 0) {
          store.finishTrial(t.id(), TrialFinish.failed(dev.strata.search.trial.TrialStatus.FAILED, "diverged early"));
        } else {
          store.finishTrial(t.id(), new TrialFinish(dev.strata.search.trial.TrialStatus.COMPLETED, value,
              Map.of("val_accuracy", value), 1000 + r.nextInt(500_000), 1e6, 0.05 + r.nextDouble(), null, ""));
        }
      }
      done += k;
    }
  }

  static void generate(Path dir, String name, int trials) {
    long t0 = System.nanoTime();
    Path runDir = dir.resolve(name);
    try (RunStore store = RunStore.create(runDir, name, "val_accuracy", Direction.MAXIMIZE,
        "{\"name\":\"" + name + "\",\"objective\":{\"metric\":\"val_accuracy\",\"direction\":\"maximize\"}}")) {
      List<Long> studies = new ArrayList<>();
      for (String s : STRATEGIES) {
        for (long seed : SEEDS) {
          studies.add(store.addStudy(s, seed, trials / 9 + 1, Map.of()).id());
        }
      }
      store.setState(RunState.RUNNING);
      append(store, studies, new int[studies.size()], trials, new Random(42));
      store.setState(RunState.FINISHED);
    }
    System.out.printf(Locale.ROOT, "generated %s: %,d trials in %.1f s, %,d bytes%n", runDir, trials, (System.nanoTime() - t0) / 1e9,
        size(runDir));
  }

  /**
   * A finished run written in bulk (the 1M row): the store creates the schema, experiment and
   * studies; the finished trials go in with plain INSERTs, 20,000 per transaction (the rows the
   * runner would write, without their events and call log, which a finished run's dashboard
   * does not read).
   */
  static void generateBulk(Path dir, String name, int trials) throws Exception {
    long t0 = System.nanoTime();
    Path runDir = dir.resolve(name);
    List<Long> studies = new ArrayList<>();
    try (RunStore store = RunStore.create(runDir, name, "val_accuracy", Direction.MAXIMIZE,
        "{\"name\":\"" + name + "\",\"objective\":{\"metric\":\"val_accuracy\",\"direction\":\"maximize\"}}")) {
      for (String st : STRATEGIES) {
        for (long seed : SEEDS) {
          studies.add(store.addStudy(st, seed, trials / 9 + 1, Map.of()).id());
        }
      }
      store.setState(RunState.FINISHED);
    }
    Random r = new Random(42);
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + RunStore.databaseFile(runDir))) {
      try (var st = c.createStatement()) {
        st.execute("PRAGMA journal_mode = WAL");
        st.execute("PRAGMA synchronous = OFF");
      }
      c.setAutoCommit(false);
      try (var ps = c.prepareStatement("INSERT INTO trials (study_id, idx, seed, config_json, status, value, metrics_json, parameters,"
          + " flops, train_seconds, started_ms, finished_ms, worker) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'local-1')")) {
        long now = System.currentTimeMillis() - trials;
        for (int i = 0; i < trials; i++) {
          long study = studies.get(i % studies.size());
          int index = i / studies.size();
          double progress = Math.log(1 + index);
          double value = Math.min(0.99, 0.55 + 0.04 * progress + 0.08 * r.nextGaussian() * Math.exp(-progress / 6));
          boolean failed = r.nextInt(50) == 0;
          ps.setLong(1, study);
          ps.setInt(2, index);
          ps.setLong(3, r.nextLong());
          ps.setString(4, json.writeValueAsString(config(r).values()));
          ps.setString(5, failed ? "FAILED" : "COMPLETED");
          if (failed) {
            ps.setNull(6, java.sql.Types.REAL);
          } else {
            ps.setDouble(6, value);
          }
          ps.setString(7, failed ? "{}" : "{\"val_accuracy\":" + value + "}");
          ps.setLong(8, 1000 + r.nextInt(500_000));
          ps.setDouble(9, 1e6);
          ps.setDouble(10, 0.05 + r.nextDouble());
          ps.setLong(11, now + i);
          ps.setLong(12, now + i + 1);
          ps.addBatch();
          if ((i + 1) % 20_000 == 0) {
            ps.executeBatch();
            c.commit();
          }
        }
        ps.executeBatch();
        c.commit();
      }
      c.setAutoCommit(true);
      try (var st = c.createStatement()) {
        st.execute("PRAGMA wal_checkpoint(TRUNCATE)");
      }
    }
    System.out.printf(Locale.ROOT, "generated %s in bulk: %,d trials in %.1f s, %,d bytes%n", runDir, trials, (System.nanoTime() - t0) / 1e9,
        size(runDir));
  }

  /**
   * Opens a run for writing and closes it, as {@code strata resume} does first: a run written by
   * an older schema is migrated (version 4 fills the aggregates the dashboard reads).
   */
  static void migrate(Path dir, String name) {
    Path runDir = dir.resolve(name);
    long t0 = System.nanoTime();
    int before;
    try (var reader = RunStore.openReader(runDir)) {
      before = reader.studyProgress().isPresent() ? 4 : 3;
    }
    if (before >= 4) {
      return;
    }
    RunStore.open(runDir).close();
    System.out.printf(Locale.ROOT, "migrated %s to the current schema (aggregates filled, indexes built) in %.1f s%n", runDir,
        (System.nanoTime() - t0) / 1e9);
  }

  static long size(Path dir) {
    try (var s = Files.list(dir)) {
      return s.mapToLong(p -> p.toFile().length()).sum();
    } catch (Exception e) {
      return -1;
    }
  }

  // ---- measuring ----

  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** One GET; returns milliseconds, or a negative status on failure. */
  static double get(String url) throws Exception {
    long t0 = System.nanoTime();
    HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    double ms = (System.nanoTime() - t0) / 1e6;
    return r.statusCode() == 200 ? ms : -r.statusCode();
  }

  static Map<String, String> endpoints(String base, String name, long lastOffset, long someTrial) {
    String run = base + "/api/runs/" + name;
    Map<String, String> e = new LinkedHashMap<>();
    e.put("runs", base + "/api/runs");
    e.put("summary", run);
    e.put("comparison", run + "/comparison");
    e.put("pareto", run + "/pareto");
    e.put("parameters", run + "/parameters");
    e.put("leaderboard best", run + "/trials?sort=value&order=best&limit=50");
    e.put("leaderboard last page", run + "/trials?sort=id&order=asc&limit=50&before=last");
    e.put("leaderboard by value, last", run + "/trials?sort=value&order=best&limit=50&before=last");
    e.put("leaderboard by params, last", run + "/trials?sort=parameters&order=desc&limit=50&before=last");
    if (lastOffset <= 100_000) { // OFFSET reads every row it skips: seconds at 1M
      e.put("leaderboard by value, offset", run + "/trials?sort=value&order=best&limit=50&offset=" + lastOffset);
    }
    e.put("trial", run + "/trials/" + someTrial);
    e.put("running", run + "/running");
    e.put("workers", run + "/workers");
    e.put("page", base + "/run.html?name=" + name);
    return e;
  }

  static long rssKb(String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith(field + ":")) {
          return Long.parseLong(line.replaceAll("\\D", ""));
        }
      }
    } catch (Exception e) {
      // not Linux
    }
    return -1;
  }

  static void report(Map<String, String> endpoints, boolean cold) throws Exception {
    Map<String, Double> first = new LinkedHashMap<>();
    if (cold) {
      for (var e : endpoints.entrySet()) {
        first.put(e.getKey(), get(e.getValue()));
      }
    }
    for (var e : endpoints.entrySet()) {
      double[] warm = new double[20];
      for (int i = 0; i < warm.length; i++) {
        warm[i] = get(e.getValue());
      }
      Arrays.sort(warm);
      System.out.printf(Locale.ROOT, "  %-28s %s warm median %7.1f ms, max %7.1f ms%n", e.getKey(),
          cold ? String.format(Locale.ROOT, "cold %8.1f ms,", first.get(e.getKey())) : "", warm[warm.length / 2], warm[warm.length - 1]);
    }
  }

  static void finished(Path dir, String name) throws Exception {
    long t0 = System.nanoTime();
    Dashboard d = Dashboard.start(DashboardOptions.builder().port(0).build(), DashboardCommand.catalog(dir)).await();
    String base = "http://127.0.0.1:" + d.actualPort();
    long total;
    try (var reader = RunStore.openReader(dir.resolve(name))) {
      total = reader.statusCounts().values().stream().flatMap(m -> m.values().stream()).mapToLong(Long::longValue).sum();
    }
    System.out.printf(Locale.ROOT, "finished run %s (%,d trials), dashboard up in %.0f ms%n", name, total, (System.nanoTime() - t0) / 1e6);
    report(endpoints(base, name, Math.max(0, total - 50), total / 2), true);
    System.out.printf(Locale.ROOT, "  RSS after API: %,d kB (peak %,d kB)%n", rssKb("VmRSS"), rssKb("VmHWM"));
    render(base, name);
    System.out.printf(Locale.ROOT, "  RSS at end: %,d kB (peak %,d kB); %s%n", rssKb("VmRSS"), rssKb("VmHWM"), heap());
    d.close().await();
  }

  /**
   * Milliseconds from navigation until the comparison, Pareto and parallel charts all have their
   * data: the page marks each chart when it first draws it ({@code performance.mark}), which the
   * browser times from navigation start, so the polling does not count.
   */
  static void render(String base, String name) throws Exception {
    try (Browser b = Browser.open("DashboardScaleBenchmark", 1400, 2400)) {
      for (String round : List.of("first", "second")) {
        b.driver.get(base + "/run.html?name=" + name);
        String marks = "return ['comparison', 'pareto', 'parallel'].map((c) => performance.getEntriesByName('strata:' + c)[0]);";
        b.waitUpTo(120).until(x -> ((List<?>) b.js(marks)).stream().allMatch(m -> m != null));
        Object timeline = b.js("const at = (c) => Math.round(performance.getEntriesByName('strata:' + c)[0].startTime);"
            + " const n = performance.getEntriesByType('navigation')[0];"
            + " const r = performance.getEntriesByType('resource').map((e) => e.name.replace(/^https?:\\/\\/[^/]+/, '').replace(/\\?.*/, '')"
            + " + ' ' + Math.round(e.startTime) + '+' + Math.round(e.duration));"
            + " return [Math.max(at('comparison'), at('pareto'), at('parallel')), 'comparison ' + at('comparison') + ', pareto ' + at('pareto')"
            + " + ', parallel ' + at('parallel') + ' ms; DOMContentLoaded ' + Math.round(n.domContentLoadedEventEnd) + ' ms; ' + r.join(', ')];");
        List<?> t = (List<?>) timeline;
        System.out.printf(Locale.ROOT, "  chart render (%s page load): all charts drawn %s ms after navigation%n    %s%n", round, t.get(0), t.get(1));
      }
    }
  }

  static void live(Path dir, String name, int rate, int seconds, int clients) throws Exception {
    Path runDir = dir.resolve(name);
    try (RunStore store = RunStore.open(runDir); var reader = RunStore.openReader(runDir)) {
      store.setState(RunState.RUNNING);
      Dashboard d = Dashboard.start(DashboardOptions.builder().port(0).build(),
          RunCatalog.single(name, RunHandle.live(reader, store, null))).await();
      String base = "http://127.0.0.1:" + d.actualPort();
      long total = reader.statusCounts().values().stream().flatMap(m -> m.values().stream()).mapToLong(Long::longValue).sum();
      System.out.printf(Locale.ROOT, "live run %s (%,d trials at start): %d trials/s for %d s, %d event-stream clients%n",
          name, total, rate, seconds, clients);
      AtomicBoolean stop = new AtomicBoolean();
      long after = reader.lastEventId();
      // The event-stream clients run in their own JVM, as browsers do: the RSS below is the server's.
      String java = ProcessHandle.current().info().command().orElse("java");
      Process followers = new ProcessBuilder(java, "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
          DashboardScaleBenchmark.class.getName(), "clients", Integer.toString(d.actualPort()), name, Long.toString(after),
          Integer.toString(clients)).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      Thread.sleep(2000);
      List<Long> studies = store.studies().stream().map(s -> s.id()).toList();
      int[] next = new int[studies.size()];
      for (int i = 0; i < studies.size(); i++) {
        next[i] = store.studyTrials(studies.get(i)).size();
      }
      Random r = new Random(7);
      Thread writer = Thread.ofPlatform().start(() -> {
        long start = System.nanoTime();
        for (int s = 0; s < seconds * rate && !stop.get(); s++) {
          append(store, studies, next, 1, r);
          long due = start + (long) ((s + 1) * 1e9 / rate);
          long wait = due - System.nanoTime();
          if (wait > 0) {
            try {
              Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            } catch (InterruptedException e) {
              return;
            }
          }
        }
      });
      Thread.sleep(2000);
      System.out.println("  API while trials arrive:");
      report(endpoints(base, name, Math.max(0, total - 50), total / 2), false);
      writer.join();
      Thread.sleep(1500);
      stop.set(true);
      followers.getOutputStream().close(); // stop
      String delivery = new String(followers.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      followers.waitFor();
      int events = seconds * rate * 3; // started, finished and one more per trial at most
      System.out.printf(Locale.ROOT, "  event delivery over %d clients (another JVM): %s (time_ms of the commit to the frame read by the"
          + " client)%n", clients, delivery);
      System.out.printf(Locale.ROOT, "  RSS: %,d kB (peak %,d kB), writer and dashboard in one JVM as with 'strata run --dashboard'; %s%n",
          rssKb("VmRSS"), rssKb("VmHWM"), heap());
      store.setState(RunState.FINISHED);
      d.close().await();
      assert events > 0;
    }
  }

  /** The live heap after a full GC, and the heap the JVM has taken from the OS. */
  static String heap() {
    Runtime rt = Runtime.getRuntime();
    System.gc();
    return String.format(Locale.ROOT, "heap in use after GC %,d kB of %,d kB committed (max %,d kB)",
        (rt.totalMemory() - rt.freeMemory()) / 1024, rt.totalMemory() / 1024, rt.maxMemory() / 1024);
  }

  static long pct(long[] sorted, double p) {
    return sorted.length == 0 ? -1 : sorted[Math.min(sorted.length - 1, (int) Math.floor(p * (sorted.length - 1) + 0.5))];
  }

  /**
   * {@code clients PORT NAME AFTER COUNT}: COUNT event-stream clients until stdin closes, then one
   * line: frames and delivery latency percentiles.
   */
  static void clients(int port, String name, long after, int count) throws Exception {
    AtomicBoolean stop = new AtomicBoolean();
    ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
    for (int i = 0; i < count; i++) {
      Thread.ofPlatform().daemon().start(() -> follow(port, name, after, stop, latencies));
    }
    System.in.readAllBytes();
    stop.set(true);
    long[] l = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
    System.out.printf(Locale.ROOT, "%,d frames, p50 %d ms, p99 %d ms, max %d ms%n", l.length, pct(l, 0.5), pct(l, 0.99),
        l.length == 0 ? -1 : l[l.length - 1]);
  }

  /** One event-stream client on a raw socket: the delay of each frame is now minus the event's commit time. */
  static void follow(int port, String name, long after, AtomicBoolean stop, ConcurrentLinkedQueue<Long> latencies) {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(500);
      OutputStream out = s.getOutputStream();
      out.write(("GET /api/runs/" + name + "/events?after=" + after + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
          + "\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
      while (!stop.get()) {
        String line;
        try {
          line = in.readLine();
        } catch (java.net.SocketTimeoutException e) {
          continue;
        }
        if (line == null) {
          return;
        }
        int at = line.indexOf("\"time\":\"");
        if (line.startsWith("data: ") && at > 0) {
          String time = line.substring(at + 8, line.indexOf('"', at + 8));
          latencies.add(System.currentTimeMillis() - Instant.parse(time).toEpochMilli());
        }
      }
    } catch (Exception e) {
      System.err.println("client: " + e);
    }
  }
}
