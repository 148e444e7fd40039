package dev.strata.dashboard;

import dev.strata.runs.RunState;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.runs.ExperimentRecord;
import dev.strata.search.trial.Configuration;
import dev.strata.search.trial.Direction;
import dev.strata.search.trial.TrialStatus;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * The page explains itself, in headless Chromium: a failing summary is shown and retried until it
 * loads; the strategies are ranked with the test's verdict; when the run ends the banner says so
 * with the command that names the actual runs folder; a thinned comparison says so and draws every
 * change point on a click.
 */
class PageStatesBrowserTest {

  static InMemoryRun run;
  static Dashboard dashboard;
  static Browser browser;
  static final AtomicInteger failuresLeft = new AtomicInteger();

  /** A run whose experiment() fails while {@link #failuresLeft} is positive. */
  static final class Flaky extends InMemoryRun {
    Flaky() {
      super("flaky", "acc", Direction.MAXIMIZE);
    }

    @Override
    public ExperimentRecord experiment() {
      if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        throw new IllegalStateException("store busy (simulated)");
      }
      return super.experiment();
    }
  }

  @BeforeAll
  static void start() throws Exception {
    browser = Browser.open("PageStatesBrowserTest", 1300, 2000);
    run = new Flaky();
    for (String s : List.of("random", "tpe")) {
      for (long seed = 1; seed <= 3; seed++) {
        long study = run.addStudy(s, seed, 10).id();
        for (int i = 0; i < 5; i++) {
          long id = run.startTrial(study, i, Configuration.of(Map.of("x", i)), null);
          run.finishTrial(id, TrialStatus.COMPLETED, (s.equals("tpe") ? 0.9 : 0.8) + 0.01 * seed + 0.001 * i, 100 + i, 0.1, "");
        }
      }
    }
    Map<String, RunHandle> runs = new java.util.LinkedHashMap<>();
    runs.put("flaky", RunHandle.live(run, run, () -> { }).withDirectory("/data/my runs/flaky"));
    runs.put("climb", RunHandle.of(TestRuns.climb(1200)));
    dashboard = Dashboard.start(DashboardOptions.builder().port(0).build(), RunCatalog.of(runs)).await();
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

  @Test
  void aFailedSummaryIsShownAndRetriedThenRankingAndTheEndOfTheRunAreExplained() {
    failuresLeft.set(1);
    browser.driver.get("http://127.0.0.1:" + dashboard.actualPort() + "/run.html?name=flaky");
    browser.waitUpTo(10).until(d -> d.findElement(By.id("banner")).isDisplayed());
    String message = browser.driver.findElement(By.id("banner")).getText();
    assertTrue(message.contains("Could not load the run summary") && message.contains("store busy") && message.contains("Retrying"), message);
    browser.waitUpTo(10).until(d -> d.findElement(By.id("run-name")).getText().equals("flaky"));
    assertTrue(!browser.driver.findElement(By.id("banner")).isDisplayed(), "the message goes once the summary loads");

    browser.waitUpTo(10).until(d -> !d.findElements(By.id("ranking-verdict")).isEmpty());
    String verdict = browser.driver.findElement(By.id("ranking-verdict")).getText();
    assertTrue(verdict.contains("tpe leads by") && verdict.contains("not significant") && verdict.contains("add seeds"), verdict);
    assertEquals("tpe", browser.driver.findElement(By.cssSelector("#ranking-table tbody tr td:nth-child(2)")).getText());

    run.setState(RunState.FINISHED);
    browser.waitUpTo(10).until(d -> "true".equals(d.findElement(By.id("banner")).getDomAttribute("data-ended")));
    String ended = browser.driver.findElement(By.id("banner")).getText();
    assertTrue(ended.contains("This run has ended"), ended);
    assertEquals("strata dashboard '/data/my runs'", browser.driver.findElement(By.id("browse-command")).getText());
  }

  @Test
  void aThinnedComparisonSaysSoAndDrawsEveryChangePointOnAClick() {
    browser.driver.get("http://127.0.0.1:" + dashboard.actualPort() + "/run.html?name=climb");
    String line = "return echarts.getInstanceByDom(document.getElementById('comparison')).getOption().series[0].data.length;";
    browser.waitUpTo(10).until(d -> d.findElement(By.id("cmp-thinned")).isDisplayed());
    String note = browser.driver.findElement(By.id("cmp-thinned")).getText();
    assertTrue(note.startsWith("Thinned for drawing: 1,200 change points"), note);
    assertTrue(((Number) browser.js(line)).intValue() <= RunService.MAX_SERIES_POINTS);
    browser.driver.findElement(By.id("cmp-full")).click();
    browser.waitUpTo(10).until(d -> d.findElement(By.id("cmp-thinned")).getText().startsWith("All 1,200 change points are drawn"));
    assertEquals(1200, ((Number) browser.js(line)).intValue(), "the median line has every point");
    browser.driver.findElement(By.id("cmp-full")).click();
    browser.waitUpTo(10).until(d -> d.findElement(By.id("cmp-thinned")).getText().startsWith("Thinned"));
  }
}
