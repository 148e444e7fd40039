package dev.strata.experiments.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.dashboard.Browser;
import dev.strata.experiments.run.Budget;
import dev.strata.experiments.run.Fixtures;
import dev.strata.experiments.run.RunPlan;
import dev.strata.experiments.run.Runner;
import dev.strata.experiments.run.StudyPlan;
import dev.strata.experiments.run.TrialEvaluator;
import dev.strata.experiments.run.TrialResult;
import dev.strata.experiments.store.RunStore;
import dev.strata.runs.RunReader;
import dev.strata.search.trial.Direction;
import dev.strata.search.trial.TrialStatus;
import dev.strata.trainer.spec.NetworkSpec;
import dev.strata.trainer.spec.NetworkSpecs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The report draws the best architectures with the dashboard's own diagram code, inlined: the page
 * carries the script and each spec (escaped so no spec can end its element), and in headless
 * Chromium, opened from the file with no server, it draws the best trial's conv network with the
 * trainer's own shapes block by block.
 */
class ArchitectureFiguresTest {

  /** A conv network through every image block type, stored as the trainer writes it (defaults filled in). */
  static final String CONV = NetworkSpecs.toJson(NetworkSpecs.fromJson("""
      {"image": {"channels": 1, "height": 28, "width": 28}, "outputs": 10, "blocks": [
        {"type": "conv", "filters": 16, "kernel": 5, "padding": "valid"},
        {"type": "conv_residual", "filters": 32, "stride": 2, "repeat": 2},
        {"type": "conv_inception", "branches": [{"filters": 8}, {"reduce": 8, "kernel": 3, "filters": 16},
          {"pool": "avg", "filters": 8}]},
        {"type": "pool", "mode": "max", "size": 3, "stride": 2},
        {"type": "cell", "edges": ["conv_3x3", "none", "skip_connect", "max_pool_3x3", "none", "conv_1x1"]},
        {"type": "conv", "filters": 32, "kernel": 3, "stride": 2, "separable": true},
        {"type": "pool", "mode": "global"}
      ]}"""));

  /** A stored spec no trainer would write, trying to end the script element. */
  static final String HOSTILE = """
      {"inputs": 4, "outputs": 2, "blocks": [{"type": "plain", "width": 8,
       "activation": "</script><script>window.pwned = 1</script><!--"}]}""";

  @TempDir static Path tmp;
  static Path index;

  @BeforeAll
  static void writeReport() throws Exception {
    // Trial 1 is the run's best and has the conv network; every other trial the hostile spec.
    TrialEvaluator evaluator = (configuration, context) -> new TrialResult(TrialStatus.COMPLETED,
        Map.of("loss", context.trialId() == 1 ? 0.1 : 5.0 + context.trialId()), 1000, 1000, 0.01,
        context.trialId() == 1 ? CONV : HOSTILE, "");
    RunPlan plan = Fixtures.plan().studies(List.of(StudyPlan.of("random", 1), StudyPlan.of("random", 2)))
        .parallel(1).budget(Budget.trials(2)).build();
    Path dir = tmp.resolve("convs");
    try (RunStore store = RunStore.create(dir, "convs", "loss", Direction.MINIMIZE, "{}")) {
      Runner.builder(plan, evaluator, store).strategies(Fixtures.STRATEGIES).build().run();
    }
    try (RunReader reader = RunStore.openReader(dir)) {
      index = HtmlReport.write(reader, tmp.resolve("report"));
    }
  }

  private static int count(String s, String part) {
    int n = 0;
    for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }

  @Test
  void theReportInlinesTheDashboardsDiagramCodeAndEachSpecSafely() throws Exception {
    String html = Files.readString(index);
    assertTrue(html.contains("<h2>Architecture</h2>"));
    assertTrue(html.contains(ArchitectureFigures.forElement(ArchitectureFigures.resource(ArchitectureFigures.SCRIPT))),
        "the dashboard's architecture.js, inlined whole");
    assertTrue(html.contains("export function drawArchitecture") && html.contains("svg.architecture text"));
    assertTrue(html.contains("<script type=\"application/json\" id=\"arch-spec-1\">" + CONV.replace("<", "\\u003c")
        .replace(">", "\\u003e").replace("&", "\\u0026") + "</script>"), "the best trial's stored spec");
    assertEquals(2, count(html, "<script type=\"application/json\""), "the best, and the other study's best");
    assertTrue(html.contains("\\u003c/script\\u003e\\u003cscript\\u003ewindow.pwned = 1\\u003c/script\\u003e\\u003c!--"));
    assertFalse(html.contains("<script>window.pwned"));
    assertEquals(count(html.toLowerCase(), "<script"), count(html.toLowerCase(), "</script"), "every script ends where it should");
    assertEquals("a<\\/script>b<\\/STYLE <\\!--", ArchitectureFigures.forElement("a</script>b</STYLE <!--"));
  }

  @Test
  void aRunWithoutNetworksHasNoScript() throws Exception {
    Path dir = tmp.resolve("branin");
    RunPlan plan = Fixtures.plan().studies(List.of(StudyPlan.of("random", 1))).parallel(1).budget(Budget.trials(2)).build();
    try (RunStore store = RunStore.create(dir, "branin", "loss", Direction.MINIMIZE, "{}")) {
      Runner.builder(plan, Fixtures.branin(1, 0), store).strategies(Fixtures.STRATEGIES).build().run();
    }
    try (RunReader reader = RunStore.openReader(dir)) {
      String html = Files.readString(HtmlReport.write(reader, tmp.resolve("branin-report")));
      assertFalse(html.contains("<script") || html.contains("Architecture"));
    }
  }

  @Test
  void chromiumDrawsTheBestArchitectureFromTheFileWithTheTrainersShapes() throws Exception {
    try (Browser browser = Browser.open("ArchitectureFiguresTest", 1200, 1600)) {
      browser.driver.get(index.toUri().toString());
      browser.waitUpTo(10).until(d -> d.findElements(By.cssSelector("svg.architecture")).size() == 2);
      WebElement best = browser.driver.findElements(By.cssSelector("figure.arch svg.architecture")).getFirst();
      NetworkSpec spec = NetworkSpecs.fromJson(CONV);
      List<String> expected = new ArrayList<>();
      for (NetworkSpec.Shape s : spec.shapes()) {
        expected.add(s.image().channels() + "x" + s.image().height() + "x" + s.image().width());
      }
      List<String> drawn = best.findElements(By.cssSelector("g.block")).stream()
          .map(g -> g.getDomAttribute("data-channels") + "x" + g.getDomAttribute("data-height") + "x" + g.getDomAttribute("data-width"))
          .toList();
      assertEquals(expected, drawn, "the diagram follows the shapes as the trainer computes them");
      assertEquals(List.of("24×24", "12×12", "5×5", "3×3", "1×1"),
          best.findElements(By.cssSelector("g.stage")).stream().map(g -> g.getDomAttribute("data-resolution")).toList());
      assertEquals(1, best.findElements(By.cssSelector("path.shortcut.projection")).size());
      assertEquals(List.of("conv_3x3", "skip_connect", "max_pool_3x3", "conv_1x1"),
          best.findElements(By.cssSelector("g.cell-edge")).stream().map(g -> g.getDomAttribute("data-op")).toList());
      // The hostile spec is drawn as text, and its script never ran.
      WebElement other = browser.driver.findElements(By.cssSelector("figure.arch svg.architecture")).get(1);
      assertTrue(other.getDomProperty("textContent").contains("</script><script>window.pwned = 1</script>"));
      assertEquals(null, browser.js("return window.pwned === undefined ? null : window.pwned;"));
      browser.js("document.querySelector('figure.arch').scrollIntoView()");
      browser.screenshot(Path.of("target", "screenshots"), "report-architecture");
    }
  }
}
