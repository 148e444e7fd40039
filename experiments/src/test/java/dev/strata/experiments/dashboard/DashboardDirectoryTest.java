package dev.strata.experiments.dashboard;

import dev.strata.runs.RunState;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.dashboard.Dashboard;
import dev.strata.dashboard.DashboardOptions;
import dev.strata.experiments.cli.DashboardCommand;
import dev.strata.experiments.cli.ErrorHandler;
import dev.strata.experiments.cli.StrataCommand;
import dev.strata.experiments.store.RunStore;
import dev.strata.search.study.NewTrial;
import dev.strata.search.study.TrialFinish;
import dev.strata.search.trial.Configuration;
import dev.strata.search.trial.Direction;
import dev.strata.search.trial.StudyRecord;
import dev.strata.search.trial.TrialRecord;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code strata dashboard DIR} over real SQLite runs: it lists every run in the folder, finished
 * or not, including ones created after it started, and follows a run that another process is
 * writing, so that its new trials reach the REST API and the event stream.
 */
class DashboardDirectoryTest {

  @TempDir Path runs;

  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** A run with {@code trials} completed trials of one study; the store is closed again. */
  static void makeRun(Path dir, String state, int trials) {
    try (RunStore store = RunStore.create(dir, dir.getFileName().toString(), "val_accuracy", Direction.MAXIMIZE,
        "{\"name\":\"" + dir.getFileName() + "\"}")) {
      StudyRecord study = store.addStudy("random", 1, 20, Map.of());
      for (int i = 0; i < trials; i++) {
        TrialRecord t = store.recordNext(study.id(), 1, i, "[]",
            List.of(new NewTrial(i, Configuration.of(Map.of("x", (double) i)), 100 + i, Map.of()))).getFirst();
        store.startTrial(t.id(), "local-1");
        store.finishTrial(t.id(), TrialFinish.completed(0.5 + i / 100.0, Map.of("val_accuracy", 0.5 + i / 100.0), 0.1));
      }
      store.setState(RunState.of(state));
    }
  }

  static String get(String url) throws IOException, InterruptedException {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), url + ": " + r.body());
    return r.body();
  }

  static void await(BooleanSupplier condition, long millis, String what) throws InterruptedException {
    long deadline = System.nanoTime() + millis * 1_000_000;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(50);
    }
  }

  static long total(String base, String run) {
    try {
      return new JsonObject(get(base + "api/runs/" + run + "/trials?limit=1")).getLong("total");
    } catch (IOException | InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void listsEveryRunAndFollowsOneAnotherProcessIsWriting() throws Exception {
    makeRun(runs.resolve("alpha"), "finished", 4);
    makeRun(runs.resolve("beta"), "running", 2);
    Files.createDirectories(runs.resolve("notes")); // not a run: no store
    Files.writeString(runs.resolve("readme.txt"), "not a run either");

    Dashboard dashboard = Dashboard.start(DashboardOptions.builder().port(0).build(), DashboardCommand.catalog(runs)).await();
    Process writer = null;
    List<String> sse = new CopyOnWriteArrayList<>();
    Stream<String> sseLines = null;
    try {
      String base = dashboard.url();
      JsonArray listed = new JsonArray(get(base + "api/runs"));
      assertEquals(List.of("alpha", "beta"), listed.stream().map(o -> ((JsonObject) o).getString("name")).toList());
      assertEquals("finished", listed.getJsonObject(0).getString("state"));
      assertEquals(4, listed.getJsonObject(0).getLong("trials"));
      assertEquals("running", listed.getJsonObject(1).getString("state"));
      assertEquals(false, listed.getJsonObject(1).getBoolean("stoppable"), "another process's run is not stoppable from here");
      assertEquals(2, total(base, "beta"));

      // Run names cannot leave the runs folder.
      for (String name : List.of("..", "%2e%2e", "..%2fbeta", "%2e%2e%2f" + runs.getFileName() + "%2fbeta", ".hidden", "notes")) {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "api/runs/" + name + "/trials")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(404, r.statusCode(), name + ": " + r.body());
      }

      // Follow beta's events from now on, as a page does.
      HttpResponse<Stream<String>> stream = HTTP.send(HttpRequest.newBuilder(URI.create(base + "api/runs/beta/events")).build(),
          HttpResponse.BodyHandlers.ofLines());
      assertEquals(200, stream.statusCode());
      sseLines = stream.body();
      Stream<String> lines = sseLines;
      Thread.ofVirtual().start(() -> {
        try {
          lines.forEach(sse::add);
        } catch (RuntimeException e) {
          // the stream is closed at the end of the test
        }
      });

      // Another JVM takes beta's writer lock and adds trials one by one.
      writer = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
          TrialWriterMain.class.getName(), runs.resolve("beta").toString()))
          .redirectError(ProcessBuilder.Redirect.INHERIT).start();
      BufferedReader out = new BufferedReader(new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8));
      PrintWriter in = new PrintWriter(writer.getOutputStream(), true, StandardCharsets.UTF_8);
      assertEquals("ready", out.readLine());
      List<Long> written = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        in.println("trial");
        String line = out.readLine();
        assertTrue(line != null && line.startsWith("wrote "), String.valueOf(line));
        written.add(Long.parseLong(line.substring(6)));
        long expected = 3 + i;
        await(() -> total(base, "beta") == expected, 10_000, "trial " + expected + " in the API");
      }
      assertEquals(List.of(3L, 4L, 5L), written);
      JsonObject t5 = new JsonObject(get(base + "api/runs/beta/trials/5"));
      assertEquals("completed", t5.getString("status"));
      assertEquals(2, t5.getJsonArray("curve").size());

      // The event stream carries what the other process wrote, in order, with ids.
      await(() -> sse.stream().filter(l -> l.equals("event: trial-finished")).count() == 3, 10_000, "three trial-finished events");
      List<Long> ids = sse.stream().filter(l -> l.startsWith("id: ")).map(l -> Long.parseLong(l.substring(4).trim())).toList();
      for (int i = 1; i < ids.size(); i++) {
        assertEquals(ids.get(i - 1) + 1, ids.get(i), "no gap: " + ids);
      }
      assertTrue(sse.stream().anyMatch(l -> l.startsWith("data: ") && l.contains("\"type\":\"epoch\"")), "epochs stream too");

      in.println("finish");
      assertEquals("finished", out.readLine());
      await(() -> {
        try {
          return new JsonObject(get(base + "api/runs/beta")).getString("state").equals("finished");
        } catch (IOException | InterruptedException e) {
          throw new AssertionError(e);
        }
      }, 15_000, "beta finished");
      in.close();
      assertTrue(writer.waitFor(20, java.util.concurrent.TimeUnit.SECONDS));
      assertEquals(0, writer.exitValue());

      // A run that appears after the dashboard started is listed too.
      makeRun(runs.resolve("gamma"), "finished", 1);
      JsonArray again = new JsonArray(get(base + "api/runs"));
      assertEquals(List.of("alpha", "beta", "gamma"), again.stream().map(o -> ((JsonObject) o).getString("name")).toList());
      assertEquals(1, total(base, "gamma"));
    } finally {
      if (sseLines != null) {
        sseLines.close();
      }
      if (writer != null) {
        writer.destroyForcibly();
      }
      dashboard.close().await();
    }
  }

  @Test
  void aNonLoopbackHostWithoutATokenIsRefusedInOneLine() throws IOException {
    Path experiment = runs.resolve("e.json");
    Files.writeString(experiment, """
        {"name": "refused", "objective": {"function": "branin"},
         "search": {"strategies": ["random"], "budget": {"trials": 2}}}
        """);
    for (String[] args : List.of(
        new String[] {"dashboard", runs.toString(), "--host", "0.0.0.0", "--port", "0"},
        new String[] {"run", experiment.toString(), "--runs-dir", runs.toString(), "--dashboard", "--host", "0.0.0.0", "--port", "0"})) {
      StringWriter err = new StringWriter();
      int code = ErrorHandler.install(new CommandLine(new StrataCommand()))
          .setOut(new PrintWriter(Writer.nullWriter())).setErr(new PrintWriter(err, true)).execute(args);
      assertEquals(StrataCommand.EXIT_BAD_INPUT, code, args[0] + ": " + err);
      String message = err.toString().strip();
      assertEquals(1, message.lines().count(), message);
      assertTrue(message.contains("--token") && message.contains("0.0.0.0"), message);
    }
    assertTrue(!Files.exists(runs.resolve("refused")), "nothing is created for a refused run");
  }
}
