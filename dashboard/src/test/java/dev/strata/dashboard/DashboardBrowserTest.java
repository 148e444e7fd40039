package dev.strata.dashboard;

import dev.strata.runs.RunState;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real headless Chromium (Debian's chromium and chromium-driver), watching a
 * fake experiment that grows every 100 ms: the leaderboard fills without reload, the comparison
 * chart has one series per strategy, and a trial page draws its architecture. Screenshots go to
 * {@code target/screenshots/}.
 *
 * <p>Without a browser the test is skipped loudly, except under {@code CI=true}, where it fails.
 * Browser and driver paths: {@code STRATA_CHROMIUM} / {@code STRATA_CHROMEDRIVER}, default
 * {@code /usr/bin/chromium} and {@code /usr/bin/chromedriver}. No browser is ever downloaded.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserTest {

  static final List<String> STRATEGIES = List.of("random", "evolution", "bayesian");
  static final String TOKEN = "browser-test-token";
  static final Path SCREENSHOTS = Path.of("target", "screenshots");

  static FakeExperiment experiment;
  static Dashboard dashboard;
  static Browser browser;
  static ChromeDriver driver;

  @BeforeAll
  static void start() throws Exception {
    browser = Browser.open("DashboardBrowserTest", 1400, 2600);
    driver = browser.driver;
    Files.createDirectories(SCREENSHOTS);

    experiment = new FakeExperiment("live-run", STRATEGIES, List.of(1L, 2L), 400, 11).startGrowing(100);
    long now = System.currentTimeMillis();
    experiment.run.setWorkers(List.of(
        new dev.strata.runs.WorkerRecord("local-1", "coordinator", 1, 3, List.of(), now, "active", true),
        new dev.strata.runs.WorkerRecord("local-2", "gpu-a.lab", 4, 9, List.of(1L, 2L), now - 5000, "active", false),
        new dev.strata.runs.WorkerRecord("cpu-b", "cpu-b.lab", 2, 1, List.of(), now - 600_000, "lost", false)));
    dashboard = Dashboard.start(DashboardOptions.builder().port(0).token(TOKEN).build(),
        RunCatalog.single("live-run", RunHandle.live(experiment.run, experiment.run, () -> experiment.run.setState(RunState.STOPPING))
            .withImportance(ParetoImportanceApiTest.IMPORTANCE)),
        java.util.Optional.of(new TrialAnalysesTest.CountingInspector()))
        .await();

  }

  @AfterAll
  static void stop() throws Exception {
    if (browser != null) {
      browser.close();
    }
    if (dashboard != null) {
      dashboard.close().await();
    }
    if (experiment != null) {
      experiment.close();
    }
  }

  static WebDriverWait waitUpTo(int seconds) {
    return new WebDriverWait(driver, Duration.ofSeconds(seconds), Duration.ofMillis(100));
  }

  static Object js(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  static void screenshot(String name) throws IOException {
    File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
    Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
  }

  @Test
  @Order(1)
  void tokenLinkSetsTheCookieAndTheOverviewListsTheRun() throws IOException {
    driver.get(dashboard.url());
    assertTrue(!driver.getCurrentUrl().contains("token="), "the token leaves the address bar: " + driver.getCurrentUrl());
    waitUpTo(10).until(d -> !d.findElements(By.cssSelector("tr[data-run='live-run']")).isEmpty());
    String row = driver.findElement(By.cssSelector("tr[data-run='live-run']")).getText();
    assertTrue(row.contains("running"), row);
    for (String s : STRATEGIES) {
      assertTrue(row.contains(s), row);
    }
    screenshot("overview");
  }

  @Test
  @Order(2)
  void leaderboardGrowsLiveAndTheComparisonHasOneSeriesPerStrategy() throws IOException {
    driver.get("http://127.0.0.1:" + dashboard.actualPort() + "/run.html?name=live-run");
    waitUpTo(10).until(d -> !d.findElements(By.cssSelector("#lb-body tr[data-trial-id]")).isEmpty());
    js("window.__sameDocument = true;");
    long first = total();
    waitUpTo(15).until(d -> total() > first + 5);
    assertEquals(Boolean.TRUE, js("return window.__sameDocument === true;"), "the page must update without reloading");
    waitUpTo(10).until(d -> (Boolean) js("return document.querySelectorAll('#lb-body tr.fresh').length > 0;"));
    assertEquals("live", driver.findElement(By.id("live")).getText());

    waitUpTo(15).until(d -> lineSeriesNames("comparison").size() == STRATEGIES.size());
    assertEquals(STRATEGIES.stream().sorted().toList(), lineSeriesNames("comparison").stream().sorted().toList());
    JsonArray declared = new JsonArray((String) js("return document.getElementById('comparison').dataset.strategies;"));
    assertEquals(STRATEGIES.size(), declared.size());

    waitUpTo(10).until(d -> !lineSeriesNames("running").isEmpty());
    waitUpTo(10).until(d -> ((Number) js("return echarts.getInstanceByDom(document.getElementById('pareto')).getOption().series.length;")).intValue()
        == STRATEGIES.size() + 1);
    // The Pareto panel names its pair of goals with their directions; a single objective is drawn against params.
    waitUpTo(10).until(d -> "params".equals(js("return document.getElementById('pareto').dataset.x;")));
    assertTrue(Integer.parseInt((String) js("return document.getElementById('pareto').dataset.front;")) > 0);
    String paretoInfo = driver.findElement(By.id("pareto-info")).getText();
    assertTrue(paretoInfo.contains("(minimize)") && paretoInfo.contains("on the front"), paretoInfo);
    // The importance panel draws the server's ranking, names its method and how many trials it used.
    waitUpTo(10).until(d -> "lr".equals(js("return document.getElementById('importance').dataset.top;")));
    assertEquals(2L, ((Number) js("return echarts.getInstanceByDom(document.getElementById('importance')).getOption().yAxis[0].data.length;"))
        .longValue());
    String importanceInfo = driver.findElement(By.id("imp-info")).getText();
    assertTrue(importanceInfo.startsWith("PED-ANOVA") && importanceInfo.contains("completed feasible trials"), importanceInfo);
    new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("imp-method"))).selectByValue("fanova");
    waitUpTo(10).until(d -> "fanova".equals(js("return document.getElementById('importance').dataset.method;")));
    waitUpTo(10).until(d -> ((Number) js("var o = echarts.getInstanceByDom(document.getElementById('parallel')).getOption();"
        + " return o.parallelAxis ? o.parallelAxis.length : 0;")).intValue() > 3);
    String counts = driver.findElement(By.id("counts")).getText();
    for (String status : List.of("completed", "failed", "diverged", "rejected", "pruned", "interrupted")) {
      assertTrue(counts.contains(status), counts);
    }
    // The workers panel: one row per worker, with host, state and a heartbeat age that ticks.
    waitUpTo(10).until(d -> d.findElements(By.cssSelector("#workers-table tbody tr")).size() == 3);
    // Read in one script: the table is rebuilt whenever results arrive.
    String gpu = (String) js("return document.querySelector(\"#workers-table tr[data-worker='local-2']\").innerText;");
    assertTrue(gpu.contains("gpu-a.lab") && gpu.contains("active") && gpu.contains("#1"), gpu);
    assertTrue(gpu.matches("(?s).*\\b\\d+ s ago.*"), gpu);
    String age = "return document.querySelector(\"#workers-table tr[data-worker='local-2'] td.age\").textContent;";
    String firstAge = (String) js(age);
    waitUpTo(5).until(d -> !firstAge.equals(js(age)));
    assertEquals("lost", js("return document.querySelector(\"#workers-table tr[data-worker='cpu-b']\").dataset.state;"));
    assertTrue(driver.findElement(By.id("workers-info")).getText().contains("2 active"));
    screenshot("experiment");

    // Strategies toggle from the keyboard: Space on a checkbox hides its lines.
    browser_focusAndSpace("#cmp-toggles input[value='random']");
    waitUpTo(5).until(d -> Boolean.FALSE.equals(js("return echarts.getInstanceByDom(document.getElementById('comparison')).getOption().legend[0].selected.random;")));
    browser_focusAndSpace("#cmp-toggles input[value='random']");
    waitUpTo(5).until(d -> Boolean.TRUE.equals(js("return echarts.getInstanceByDom(document.getElementById('comparison')).getOption().legend[0].selected.random;")));

    // Switch the comparison to training time: still one line per strategy.
    new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("cmp-axis"))).selectByValue("seconds");
    waitUpTo(5).until(d -> ((String) js("return echarts.getInstanceByDom(document.getElementById('comparison')).getOption().xAxis[0].name;"))
        .contains("training time"));
    assertEquals(STRATEGIES.size(), lineSeriesNames("comparison").size());
  }

  @Test
  @Order(3)
  void keyboardOpensATrialAndItsArchitectureIsDrawn() throws IOException {
    driver.get("http://127.0.0.1:" + dashboard.actualPort() + "/run.html?name=live-run");
    waitUpTo(10).until(d -> !d.findElements(By.cssSelector("#lb-body tr[data-trial-id]")).isEmpty());
    // Sort by id ascending: trial 1 (whose first block is residual) comes first.
    driver.findElement(By.cssSelector("#lb-head th:first-child button")).click();
    waitUpTo(10).until(d -> "1".equals(js("var r = document.querySelector('#lb-body tr'); return r ? r.dataset.trialId : null;")));
    // Rows are replaced as results arrive (focus is kept on the same trial): retry if one goes stale.
    waitUpTo(10).ignoring(StaleElementReferenceException.class).until(d -> {
      WebElement row = d.findElement(By.cssSelector("#lb-body tr[data-trial-id='1']"));
      js("arguments[0].focus();", row);
      d.switchTo().activeElement().sendKeys(Keys.ENTER);
      return true;
    });
    waitUpTo(10).until(d -> d.getCurrentUrl().contains("/trial.html"));
    waitUpTo(10).until(d -> !d.findElements(By.cssSelector("svg.architecture g.block")).isEmpty());

    JsonObject spec = new JsonObject(experiment.run.networkSpecJson(1).orElseThrow());
    JsonArray blocks = spec.getJsonArray("blocks");
    long residual = blocks.stream().filter(b -> "residual".equals(((JsonObject) b).getString("type"))).count();
    long inception = blocks.stream().filter(b -> "inception".equals(((JsonObject) b).getString("type"))).count();
    int branches = blocks.stream().filter(b -> "inception".equals(((JsonObject) b).getString("type")))
        .mapToInt(b -> ((JsonObject) b).getJsonArray("branches").size()).sum();
    assertTrue(residual >= 1, "trial 1 starts with a residual block");
    assertEquals(blocks.size(), driver.findElements(By.cssSelector("svg.architecture g.block")).size());
    assertEquals(residual, driver.findElements(By.cssSelector("svg.architecture g.block[data-type='residual']")).size());
    assertEquals(residual, driver.findElements(By.cssSelector("svg.architecture path.shortcut")).size());
    assertEquals(inception, driver.findElements(By.cssSelector("svg.architecture g.block[data-type='inception']")).size());
    assertEquals(branches, driver.findElements(By.cssSelector("svg.architecture g.branch")).size());
    assertEquals(inception, driver.findElements(By.cssSelector("svg.architecture g.merge")).size());
    assertTrue(driver.findElement(By.id("export-trial")).getText().contains("strata export runs/live-run"));
    // Trial 1 ran on local-2, recorded as a remote worker on gpu-a.lab.
    assertEquals("gpu-a.lab", driver.findElement(By.id("ran-on")).getDomAttribute("data-host"));
    assertTrue(driver.findElement(By.id("ran-on")).getText().contains("local-2 on gpu-a.lab"));
    // The mean-field panel: both charts hold one point per analysed layer (the fake inspector's: one per block).
    waitUpTo(10).until(d -> d.findElement(By.id("init")).getDomAttribute("data-layers") != null);
    assertEquals(String.valueOf(blocks.size()), driver.findElement(By.id("init")).getDomAttribute("data-layers"));
    assertEquals(List.of("q theory", "q measured"), lineSeriesNames("init-variance"));
    assertEquals(List.of("gradient norm"), lineSeriesNames("init-gradients"));
    assertEquals(((Number) blocks.size()).longValue(), js("return echarts.getInstanceByDom(document.getElementById('init-variance'))"
        + ".getOption().series[1].data.filter(function (p) { return p[1] != null; }).length;"));
    String verdict = driver.findElement(By.id("init-verdict")).getText();
    assertTrue(verdict.startsWith("critical (χ₁ = 1.00): <b>fake</b>"), "the reason shown as text, never as HTML: " + verdict);
    screenshot("trial-1");

    // A trial with an inception block, if the fake has made one by now.
    Map<Long, JsonObject> withInception = new java.util.TreeMap<>();
    for (long id = 2; id <= 60 && withInception.isEmpty(); id++) {
      experiment.run.networkSpecJson(id).map(JsonObject::new)
          .filter(s -> s.getJsonArray("blocks").stream().anyMatch(b -> "inception".equals(((JsonObject) b).getString("type"))))
          .ifPresent(s -> withInception.put(0L, s));
      if (!withInception.isEmpty()) {
        driver.get("http://127.0.0.1:" + dashboard.actualPort() + "/trial.html?run=live-run&id=" + id);
        waitUpTo(10).until(d -> !d.findElements(By.cssSelector("svg.architecture g.branch")).isEmpty());
        screenshot("trial-inception");
      }
    }
    assertTrue(!withInception.isEmpty(), "the fake makes inception blocks");
  }

  @Test
  @Order(4)
  void darkModeIsReadable() throws IOException {
    driver.executeCdpCommand("Emulation.setEmulatedMedia",
        Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", "dark"))));
    try {
      driver.get("http://127.0.0.1:" + dashboard.actualPort() + "/run.html?name=live-run");
      waitUpTo(10).until(d -> !d.findElements(By.cssSelector("#lb-body tr[data-trial-id]")).isEmpty());
      waitUpTo(15).until(d -> lineSeriesNames("comparison").size() == STRATEGIES.size());
      // WCAG contrast of text on its background: body text, muted text and links on panels.
      double body = contrast("body", "body");
      double muted = contrast(".muted", ".panel");
      double link = contrast("#lb-body a", ".panel");
      assertTrue(body >= 7, "body text contrast " + body);
      assertTrue(muted >= 4.5, "muted text contrast " + muted);
      assertTrue(link >= 4.5, "link contrast " + link);
      assertTrue(luminance("body", "backgroundColor") < 0.05, "a dark background");
      assertEquals(Boolean.TRUE, js("return echarts.getInstanceByDom(document.getElementById('comparison')).getOption().darkMode === true;"),
          "charts use the dark theme");
      screenshot("experiment-dark");
    } finally {
      driver.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features", List.of()));
    }
    driver.get("http://127.0.0.1:" + dashboard.actualPort() + "/run.html?name=live-run");
    waitUpTo(10).until(d -> !d.findElements(By.cssSelector("#lb-body tr[data-trial-id]")).isEmpty());
    assertTrue(contrast("body", "body") >= 7 && contrast(".muted", ".panel") >= 4.5, "light mode is readable too");
    assertTrue(luminance("body", "backgroundColor") > 0.8, "a light background");
  }

  static final String LUMINANCE = "function lum(c) { var m = c.match(/[\\d.]+/g).map(Number);"
      + " var f = function (v) { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };"
      + " return 0.2126 * f(m[0]) + 0.7152 * f(m[1]) + 0.0722 * f(m[2]); }";

  /** Relative luminance of a colour property of the first element matching the selector. */
  static double luminance(String selector, String property) {
    return ((Number) js(LUMINANCE + " return lum(getComputedStyle(document.querySelector(arguments[0]))[arguments[1]]);",
        selector, property)).doubleValue();
  }

  /** Contrast ratio of the text colour of {@code text} against the background of {@code background}. */
  static double contrast(String text, String background) {
    double a = luminance(text, "color");
    double b = luminance(background, "backgroundColor");
    return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  }

  static void browser_focusAndSpace(String selector) {
    waitUpTo(10).until(d -> !d.findElements(By.cssSelector(selector)).isEmpty());
    js("document.querySelector(arguments[0]).focus();", selector);
    driver.switchTo().activeElement().sendKeys(Keys.SPACE);
  }

  @SuppressWarnings("unchecked")
  static List<String> lineSeriesNames(String id) {
    Object names = js("var i = echarts.getInstanceByDom(document.getElementById(arguments[0]));"
        + " if (!i) return [];"
        + " var s = i.getOption().series || [];"
        + " return s.filter(function (x) { return x.type === 'line'; }).map(function (x) { return x.name; });", id);
    return (List<String>) names;
  }

  static long total() {
    String t = (String) js("return document.getElementById('leaderboard').dataset.total || '0';");
    return Long.parseLong(t);
  }
}
