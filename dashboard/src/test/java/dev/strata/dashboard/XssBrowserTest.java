package dev.strata.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.runs.WorkerRecord;
import dev.strata.search.trial.Configuration;
import dev.strata.search.trial.Direction;
import dev.strata.search.trial.TrialStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * Stored XSS, in a real headless Chromium: every text field a run stores (run name, metric,
 * strategy, parameter names and values, failure reason, worker name and host, network layer
 * fields) holds a script-carrying tag. The overview, experiment and trial pages are opened and
 * every chart's tooltip is shown; the tags must appear as text (so the field did reach the page)
 * and never as elements, and their handlers never run.
 *
 * <p>The check is on the DOM, not only on whether script ran: the Content-Security-Policy would
 * stop the inline handler even where escaping failed, and this test must catch that failure too.
 */
class XssBrowserTest {

  /** A tag whose presence as an element, or whose handler running, is the failure. No quotes: it stays valid JSON. */
  static String payload(int i) {
    return "<img src=x data-xss=" + i + " onerror=window.__xss=" + i + ">";
  }

  static final String RUN = "run" + payload(0);
  static InMemoryRun run;
  static Dashboard dashboard;
  static Browser browser;
  static long finishedId;

  @BeforeAll
  static void start() throws Exception {
    browser = Browser.open("XssBrowserTest", 1300, 2400);
    run = new InMemoryRun(RUN, "acc" + payload(1), Direction.MAXIMIZE);
    String evil = "evo" + payload(2);
    List<Long> studies = new ArrayList<>();
    for (String strategy : List.of(evil, "random")) {
      for (long seed : List.of(1L, 2L)) {
        studies.add(run.addStudy(strategy, seed, 10).id());
      }
    }
    String spec = "{\"inputs\":4,\"outputs\":2,\"blocks\":[{\"type\":\"plain\",\"width\":8,\"layers\":1,\"activation\":\"relu"
        + payload(3) + "\",\"dropout\":0.0}]}";
    int n = 0;
    for (long study : studies) {
      for (int i = 0; i < 6; i++) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("opt" + payload(4), "adam" + payload(5));
        config.put("lr", 0.001 * (i + 1));
        long id = run.startTrial(study, i, Configuration.of(config), spec, "w" + payload(6));
        run.addEpoch(id, 1, 1.0, 1.1, 0.3 + 0.01 * n, 0.1);
        run.finishTrial(id, TrialStatus.COMPLETED, 0.3 + 0.01 * n++, 1000L * (i + 1), 0.2, "");
        if (finishedId == 0) {
          finishedId = id; // a trial of the strategy with the planted name
        }
      }
    }
    long failed = run.startTrial(studies.getFirst(), 6, Configuration.of(Map.of("lr", 0.5)), null, "w" + payload(6));
    run.finishTrial(failed, TrialStatus.FAILED, Double.NaN, 0, 0.1, "oom" + payload(7));
    long running = run.startTrial(studies.getFirst(), 7, Configuration.of(Map.of("lr", 0.2)), spec, "w" + payload(6));
    run.addEpoch(running, 1, 1.0, 1.0, 0.5, 0.1);
    run.setWorkers(List.of(new WorkerRecord("w" + payload(6), "host" + payload(8), 2, 3, List.of(running),
        System.currentTimeMillis(), "active", false)));
    dashboard = Dashboard.start(DashboardOptions.builder().port(0).build(),
        RunCatalog.single(RUN, RunHandle.live(run, run, () -> { }))).await();
  }

  @AfterAll
  static void stop() throws Exception {
    if (browser != null) {
      browser.close();
    }
    if (dashboard != null) {
      dashboard.close().await();
    }
  }

  String base() {
    return "http://127.0.0.1:" + dashboard.actualPort();
  }

  void assertNothingRan(String where) {
    Object planted = browser.js("return document.querySelectorAll('[data-xss]').length + ' ' + String(window.__xss);");
    assertEquals("0 undefined", planted, where + ": a stored string became markup or ran");
  }

  @Test
  void theOverviewShowsStoredTextAsText() {
    browser.driver.get(base() + "/");
    browser.waitUpTo(10).until(d -> !d.findElements(By.cssSelector("#runs-table tbody tr")).isEmpty());
    String text = browser.driver.findElement(By.id("runs")).getText();
    assertTrue(text.contains(payload(0)) && text.contains(payload(2)), text);
    assertNothingRan("overview");
  }

  @Test
  void theExperimentPageAndEveryTooltipShowStoredTextAsText() {
    browser.driver.get(base() + "/run.html?name=" + java.net.URLEncoder.encode(RUN, java.nio.charset.StandardCharsets.UTF_8));
    browser.waitUpTo(10).until(d -> !d.findElements(By.cssSelector("#lb-body tr[data-trial-id]")).isEmpty());
    browser.waitUpTo(10).until(d -> (Boolean) browser.js(
        "const o = echarts.getInstanceByDom(document.getElementById('comparison')).getOption(); return !!(o && o.series && o.series.length);"));
    browser.waitUpTo(10).until(d -> (Boolean) browser.js(
        "const o = echarts.getInstanceByDom(document.getElementById('pareto')).getOption(); return !!(o && o.series && o.series.length);"));
    browser.waitUpTo(10).until(d -> (Boolean) browser.js(
        "const o = echarts.getInstanceByDom(document.getElementById('running')).getOption(); return !!(o && o.series && o.series.length);"));
    String page = browser.driver.findElement(By.tagName("main")).getText();
    for (int i : new int[] {1, 2, 6, 8}) {
      assertTrue(page.contains(payload(i)), "field " + i + " shown as text: " + page);
    }
    // Show each chart's tooltip on its first point, then read the tooltip as text.
    for (String chart : List.of("comparison", "pareto", "running")) {
      String tip = (String) browser.js(
          "const dom = document.getElementById(arguments[0]); const c = echarts.getInstanceByDom(dom);"
              + " c.dispatchAction({type: 'showTip', seriesIndex: 0, dataIndex: 0});"
              + " return new Promise((ok) => setTimeout(() => ok(dom.innerText), 300));", chart);
      assertTrue(tip.contains("<img src=x data-xss="), chart + " tooltip shows the stored name as text: " + tip);
      assertNothingRan(chart + " tooltip");
    }
    assertNothingRan("experiment page");
  }

  @Test
  void theTrialPageShowsStoredTextAsText() {
    browser.driver.get(base() + "/trial.html?run=" + java.net.URLEncoder.encode(RUN, java.nio.charset.StandardCharsets.UTF_8)
        + "&id=" + finishedId);
    browser.waitUpTo(10).until(d -> !d.findElements(By.cssSelector("#facts dd")).isEmpty());
    browser.waitUpTo(10).until(d -> (Boolean) browser.js(
        "const o = echarts.getInstanceByDom(document.getElementById('curve')); return !!o;"));
    String page = browser.driver.findElement(By.tagName("main")).getText();
    for (int i : new int[] {1, 2, 3, 4, 5, 6, 8}) {
      assertTrue(page.contains(payload(i)), "field " + i + " shown as text: " + page);
    }
    browser.js("const c = echarts.getInstanceByDom(document.getElementById('curve'));"
        + " c.dispatchAction({type: 'showTip', seriesIndex: 0, dataIndex: 0});");
    assertNothingRan("trial page");
  }
}
