package dev.strata.experiments.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.dashboard.Browser;
import dev.strata.experiments.cli.ErrorHandler;
import dev.strata.experiments.cli.StrataCommand;
import dev.strata.experiments.store.RunStore;
import dev.strata.runs.RunReader;
import dev.strata.trainer.analysis.InitAnalysis;
import dev.strata.trainer.analysis.InitReport;
import dev.strata.trainer.spec.NetworkSpecs;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.Alert;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.support.ui.ExpectedConditions;
import picocli.CommandLine;

/**
 * The dashboard of a real search, in a real browser: {@code strata run FILE --dashboard --port 0
 * --token T} runs in this JVM (a small digits search over residual and plain blocks, three
 * strategies × two seeds, two trials in parallel) while headless Chromium watches it. The budget
 * is far more than the test needs, so the search is still running at every check; the last check
 * stops it with the page's own "Stop experiment" button.
 *
 * <p>Screenshots go to {@code target/screenshots/live-experiment/} (the README's come from here).
 * Without a browser this fails under {@code CI=true} and is skipped loudly elsewhere.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LiveExperimentBrowserTest {

  static final String NAME = "live-digits";
  static final List<String> STRATEGIES = List.of("random", "evolution", "tpe");
  static final String TOKEN = "live-browser-token";
  static final Path SCREENSHOTS = Path.of("target", "screenshots", "live-experiment");
  static final Pattern URL = Pattern.compile("dashboard: (http://\\S+)");

  static final String EXPERIMENT = """
      {
        "name": "%s",
        "seed": 7,
        "dataset": {"source": "digits", "split": {"validation": 0.2, "test": 0.2}, "preprocess": ["standardize"]},
        "objective": {"metric": "val_accuracy", "direction": "maximize"},
        "space": {
          "blocks": {"repeat": {"min": 1, "max": 3}, "of": {
            "type": {"choice": ["residual", "plain"]},
            "width": {"choice": [32, 64]},
            "layers": {"int": [1, 2]},
            "activation": {"choice": ["relu", "tanh"]}}},
          "optimizer": {"choice": ["adam", "momentum"]},
          "learningRate": {"float": [0.001, 0.1], "log": true},
          "batchSize": {"choice": [32, 64]},
          "epochs": 6
        },
        "search": {"strategies": %s, "budget": {"trials": 200}, "parallel": 2, "seeds": [1, 2]}
      }
      """;

  static Path dir;
  static Path runDir;
  static Browser browser;
  static Thread search;
  static final AtomicInteger exitCode = new AtomicInteger(Integer.MIN_VALUE);
  static final StringBuffer out = new StringBuffer();
  static final StringBuffer err = new StringBuffer();
  static String url;
  static String base;

  @BeforeAll
  static void start() throws Exception {
    // The browser first (it takes seconds), so that the search is young when the page opens.
    browser = Browser.open("LiveExperimentBrowserTest", 1280, 1500);
    dir = Files.createTempDirectory("strata-live-");
    Path file = dir.resolve("experiment.json");
    Files.writeString(file, EXPERIMENT.formatted(NAME, new JsonArray(STRATEGIES).encode()));
    runDir = dir.resolve("runs").resolve(NAME);
    search = Thread.ofPlatform().name("strata-run").start(() -> exitCode.set(
        ErrorHandler.install(new CommandLine(new StrataCommand()))
            .setOut(new PrintWriter(into(out), true))
            .setErr(new PrintWriter(into(err), true))
            .execute("run", file.toString(), "--runs-dir", dir.resolve("runs").toString(),
                "--dashboard", "--port", "0", "--token", TOKEN)));
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (url == null) {
      Matcher m = URL.matcher(err);
      if (m.find()) {
        url = m.group(1);
      } else if (!search.isAlive() || System.nanoTime() > deadline) {
        throw new AssertionError("strata run printed no dashboard address (exit " + exitCode.get() + "):\n" + out + err);
      } else {
        Thread.sleep(20);
      }
    }
    assertTrue(url.endsWith("?token=" + TOKEN), url);
    base = url.substring(0, url.indexOf('?'));
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (search != null && search.isAlive()) {
        // A check failed before the stop button was pressed: stop the search through the API.
        try {
          var http = java.net.http.HttpClient.newHttpClient();
          http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "api/runs/" + NAME + "/stop"))
              .header("Authorization", "Bearer " + TOKEN).POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(),
              java.net.http.HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
          System.err.println("could not stop the search: " + e);
        }
        search.join(Duration.ofSeconds(30));
      }
    } finally {
      if (browser != null) {
        browser.close();
      }
      if (dir != null) {
        try (var files = Files.walk(dir)) {
          files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    }
  }

  static Writer into(StringBuffer buffer) {
    return new Writer() {
      @Override
      public void write(char[] chars, int off, int len) {
        buffer.append(chars, off, len);
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
  }

  static Object js(String script, Object... args) {
    return browser.js(script, args);
  }

  static long total() {
    return Long.parseLong((String) js("return document.getElementById('leaderboard').dataset.total || '0';"));
  }

  @SuppressWarnings("unchecked")
  static List<String> lineSeriesNames(String id) {
    return (List<String>) js("var i = echarts.getInstanceByDom(document.getElementById(arguments[0]));"
        + " if (!i) return [];"
        + " return (i.getOption().series || []).filter(function (x) { return x.type === 'line'; }).map(function (x) { return x.name; });", id);
  }

  /** The rows the leaderboard shows, as the page counted them. */
  static int rows() {
    return ((Number) js("return document.querySelectorAll('#lb-body tr[data-trial-id]').length;")).intValue();
  }

  /** The fewest points with a value among the comparison's lines. */
  static int minLinePoints() {
    return ((Number) js("var i = echarts.getInstanceByDom(document.getElementById('comparison'));"
        + " var s = i ? (i.getOption().series || []).filter(function (x) { return x.type === 'line'; }) : [];"
        + " if (s.length === 0) return 0;"
        + " return Math.min.apply(null, s.map(function (x) { return x.data.filter(function (p) { return p[1] != null; }).length; }));"))
        .intValue();
  }

  static String state() {
    try (RunReader reader = RunStore.openReader(runDir)) {
      return reader.experiment().state().label();
    }
  }

  @Test
  @Order(1)
  void theOverviewListsTheRunningSearch() throws IOException {
    browser.driver.get(url);
    assertTrue(!browser.driver.getCurrentUrl().contains("token="), "the token leaves the address bar");
    browser.waitUpTo(15).until(d -> !d.findElements(By.cssSelector("tr[data-run='" + NAME + "']")).isEmpty());
    browser.waitUpTo(15).until(d -> {
      String row = d.findElement(By.cssSelector("tr[data-run='" + NAME + "']")).getText();
      return row.contains("running") && STRATEGIES.stream().allMatch(row::contains);
    });
    browser.screenshot(SCREENSHOTS, "overview-start");
  }

  @Test
  @Order(2)
  void leaderboardGrowsWithoutReloadAndTheComparisonHasOneSeriesPerStrategy() throws Exception {
    browser.driver.get(base + "run.html?name=" + NAME);
    browser.waitUpTo(20).until(d -> !d.findElements(By.cssSelector("#lb-body tr[data-trial-id]")).isEmpty());
    js("window.__sameDocument = true;");
    long first = total();
    int firstRows = rows();
    browser.waitUpTo(30).until(d -> total() >= first + 2);
    assertEquals(Boolean.TRUE, js("return window.__sameDocument === true;"), "the page must update without reloading");
    // The page of 50 fills up as trials arrive.
    browser.waitUpTo(20).until(d -> rows() > firstRows || rows() == 50);
    browser.waitUpTo(20).until(d -> (Boolean) js("return document.querySelectorAll('#lb-body tr.fresh').length > 0;"));
    assertEquals("running", state(), "the search is still running: the rows came live");

    // Every strategy gets its line once each has a completed trial.
    browser.waitUpTo(45).until(d -> lineSeriesNames("comparison").size() == STRATEGIES.size());
    assertEquals(STRATEGIES.stream().sorted().toList(), lineSeriesNames("comparison").stream().sorted().toList());
    // The chart says what it plots, with units.
    JsonObject axes = new JsonObject((String) js("var o = echarts.getInstanceByDom(document.getElementById('comparison')).getOption();"
        + " return JSON.stringify({x: o.xAxis[0].name, y: o.yAxis[0].name});"));
    assertTrue(axes.getString("x").contains("[count]"), axes.encode());
    assertTrue(axes.getString("y").contains("val_accuracy"), axes.encode());
    // A local run: "local only", or its local slots once the store records them.
    browser.waitUpTo(10).until(d -> js("return document.getElementById('workers').dataset.count;") != null);
    String workers = (String) js("return document.getElementById('workers-fact').textContent;");
    assertTrue(workers.startsWith("local only") || workers.contains("active"), workers);
    // Every strategy's line has data.
    browser.waitUpTo(20).until(d -> minLinePoints() >= 1);
  }

  @Test
  @Order(3)
  void clickingATrialDrawsItsResidualArchitecture() throws Exception {
    if (!browser.driver.getCurrentUrl().contains("/run.html")) {
      browser.driver.get(base + "run.html?name=" + NAME);
    }
    browser.waitUpTo(20).until(d -> !d.findElements(By.cssSelector("#lb-body tr[data-trial-id]")).isEmpty());
    // The leaderboard's best trial whose network has a residual block, as the store has it.
    String[] chosen = {null};
    JsonObject[] spec = {null};
    browser.waitUpTo(45).until(d -> {
      @SuppressWarnings("unchecked")
      List<String> shown = (List<String>) js("return Array.from(document.querySelectorAll('#lb-body tr[data-trial-id]'),"
          + " function (r) { return r.dataset.trialId; });");
      try (RunReader reader = RunStore.openReader(runDir)) {
        for (String id : shown) {
          Optional<JsonObject> s = reader.networkSpecJson(Long.parseLong(id)).map(JsonObject::new);
          if (s.isPresent() && s.get().getJsonArray("blocks").stream().anyMatch(b -> "residual".equals(((JsonObject) b).getString("type")))) {
            chosen[0] = id;
            spec[0] = s.get();
            return true;
          }
        }
      }
      return false;
    });
    JsonArray blocks = spec[0].getJsonArray("blocks");
    long residual = blocks.stream().filter(b -> "residual".equals(((JsonObject) b).getString("type"))).count();
    String id = chosen[0];
    // Rows are replaced as results arrive: retry a click that lands on a replaced row.
    browser.waitUpTo(20).ignoring(StaleElementReferenceException.class).until(d -> {
      var rows = d.findElements(By.cssSelector("#lb-body tr[data-trial-id='" + id + "']"));
      if (rows.isEmpty()) {
        return false;
      }
      rows.getFirst().click();
      return true;
    });
    browser.waitUpTo(15).until(d -> d.getCurrentUrl().contains("/trial.html") && d.getCurrentUrl().contains("id=" + id));
    browser.waitUpTo(15).until(d -> !d.findElements(By.cssSelector("svg.architecture g.block")).isEmpty());

    assertEquals(blocks.size(), browser.driver.findElements(By.cssSelector("svg.architecture g.block")).size());
    assertEquals(String.valueOf(blocks.size()), browser.driver.findElement(By.cssSelector("svg.architecture")).getDomAttribute("data-blocks"));
    assertEquals(residual, browser.driver.findElements(By.cssSelector("svg.architecture g.block[data-type='residual']")).size());
    assertEquals(residual, browser.driver.findElements(By.cssSelector("svg.architecture path.shortcut")).size(),
        "one shortcut arrow around each residual block");
    // Each block's layers are drawn with the spec's widths.
    for (int i = 0; i < blocks.size(); i++) {
      JsonObject b = blocks.getJsonObject(i);
      var layers = browser.driver.findElements(By.cssSelector("svg.architecture g.block[data-index='" + i + "'] rect.layer"));
      assertEquals(b.getInteger("layers", 1), layers.size(), "layers of block " + i);
      assertEquals(String.valueOf(b.getInteger("width")), layers.getFirst().getDomAttribute("data-width"), "width of block " + i);
    }
    String text = browser.driver.findElement(By.tagName("main")).getText();
    assertTrue(text.contains("strata export " + runDir + " --trial " + id), "export command names the actual run directory: " + text);
    assertTrue(browser.driver.findElement(By.id("ran-on")).getText().startsWith("local"), "a local trial slot");
    browser.waitUpTo(10).until(d -> js("var c = document.getElementById('curve'); var i = c && echarts.getInstanceByDom(c);"
        + " return i ? i.getOption().series.length : 0;") instanceof Number n && n.intValue() >= 2);
    // The mean-field panel: the trainer's analysis of this trial's network, one point per weighted layer.
    InitReport expected = InitAnalysis.inspectSynthetic(NetworkSpecs.fromJson(spec[0].encode()), 16);
    browser.waitUpTo(30).until(d -> d.findElement(By.id("init")).getDomAttribute("data-layers") != null);
    assertEquals(String.valueOf(expected.layers().size()), browser.driver.findElement(By.id("init")).getDomAttribute("data-layers"));
    assertEquals(expected.verdict().phase().toString(), browser.driver.findElement(By.id("init")).getDomAttribute("data-phase"));
    @SuppressWarnings("unchecked")
    List<Number> measured = (List<Number>) js("return echarts.getInstanceByDom(document.getElementById('init-variance'))"
        + ".getOption().series[1].data.map(function (p) { return p[1]; });");
    assertEquals(expected.layers().size(), measured.size());
    for (int i = 0; i < measured.size(); i++) {
      assertEquals(expected.layers().get(i).measuredQ(), measured.get(i).doubleValue(), 1e-6 * expected.layers().get(i).measuredQ(),
          "measured q of " + expected.layers().get(i).name());
    }
    browser.screenshot(SCREENSHOTS, "trial", 1700);
  }

  @Test
  @Order(4)
  void theStopButtonStopsTheSearch() throws Exception {
    // By now every strategy has a best: the overview as the README shows it.
    browser.driver.get(base);
    browser.waitUpTo(20).until(d -> {
      String row = d.findElement(By.cssSelector("tr[data-run='" + NAME + "']")).getText();
      return !row.contains("none yet") && row.contains("running");
    });
    browser.screenshot(SCREENSHOTS, "overview", 1700);

    // The experiment as the README shows it: a few trials per strategy by now.
    browser.driver.get(base + "run.html?name=" + NAME);
    browser.waitUpTo(20).until(d -> !d.findElements(By.cssSelector("#lb-body tr[data-trial-id]")).isEmpty());
    browser.waitUpTo(30).until(d -> lineSeriesNames("comparison").size() == STRATEGIES.size() && minLinePoints() >= 4);
    browser.screenshot(SCREENSHOTS, "experiment", 1700);

    // The button shows once the page knows the run is stoppable.
    browser.waitUpTo(20).until(ExpectedConditions.visibilityOfElementLocated(By.id("stop"))).click();
    Alert confirm = browser.waitUpTo(5).until(ExpectedConditions.alertIsPresent());
    assertTrue(confirm.getText().contains("strata resume"), confirm.getText());
    confirm.accept();
    search.join(Duration.ofSeconds(40));
    assertTrue(!search.isAlive(), "the search stops");
    assertEquals(ErrorHandler.EXIT_INTERRUPTED, exitCode.get(), out + "\n" + err);
    assertTrue(err.toString().contains("strata resume"), err.toString());
    assertEquals("stopped", state());
  }
}
