package dev.strata.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.search.trial.Configuration;
import dev.strata.search.trial.Direction;
import dev.strata.search.trial.TrialStatus;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The trial page draws a convolutional network in headless Chromium (js/architecture.js): stages
 * with the resolutions the trainer computes, residual shortcuts with a strided 1x1 projection where
 * the channels change, inception branches side by side, and a cell's DAG with one labelled arrow
 * per edge and none for 'none' edges.
 */
class ArchitectureBrowserTest {

  /**
   * 28x28 grey: a stem, two identity residual units, a stage that doubles the channels and halves the
   * resolution (projection), inception, a 'valid' strided conv (floor((14 - 3) / 2) + 1 = 6), a
   * cell, a padded pool ((6 + 2 - 3) / 2 + 1 = 3), a 'same' strided conv (3 -> 2, rounding up),
   * global pooling and a dense block.
   */
  static final String SPEC = """
      {"image": {"channels": 1, "height": 28, "width": 28}, "outputs": 10, "blocks": [
        {"type": "conv", "filters": 16, "kernel": 3, "batchNorm": true},
        {"type": "conv_residual", "filters": 16, "repeat": 2},
        {"type": "conv_residual", "filters": 32, "stride": 2, "repeat": 2},
        {"type": "conv_inception", "branches": [{"filters": 16}, {"reduce": 8, "kernel": 3, "filters": 16},
          {"reduce": 4, "kernel": 5, "filters": 8}, {"pool": "max", "poolSize": 3, "filters": 8}]},
        {"type": "conv", "filters": 48, "kernel": 3, "stride": 2, "padding": "valid"},
        {"type": "cell", "nodes": 4, "repeat": 2,
         "edges": ["conv_3x3", "skip_connect", "none", "none", "sep_conv_3x3", "avg_pool_3x3"]},
        {"type": "pool", "mode": "max", "size": 3, "stride": 2, "padding": 1},
        {"type": "conv", "filters": 64, "kernel": 3, "stride": 2},
        {"type": "pool", "mode": "global"},
        {"type": "plain", "width": 32}
      ]}""";

  static InMemoryRun run;
  static Dashboard dashboard;
  static Browser browser;
  static long trial;

  @BeforeAll
  static void start() throws Exception {
    browser = Browser.open("ArchitectureBrowserTest", 1300, 1600);
    run = new InMemoryRun("convs", "val_accuracy", Direction.MAXIMIZE);
    long study = run.addStudy("random", 1, 1).id();
    trial = run.startTrial(study, 0, Configuration.of(Map.of("stem", 16)), SPEC);
    run.finishTrial(trial, TrialStatus.COMPLETED, 0.9, 12345, 1.0, "");
    dashboard = Dashboard.start(DashboardOptions.builder().port(0).build(),
        RunCatalog.single("convs", RunHandle.live(run, run, () -> { }))).await();
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

  private List<String> attrs(String css, String attr) {
    return browser.driver.findElements(By.cssSelector(css)).stream().map(e -> e.getDomAttribute(attr)).toList();
  }

  private List<String> texts(String css) {
    return browser.driver.findElements(By.cssSelector(css)).stream().map(e -> e.getDomProperty("textContent")).toList();
  }

  @Test
  void aConvolutionalTrialIsDrawnWithStagesShortcutsBranchesAndItsCell() throws Exception {
    browser.driver.get("http://127.0.0.1:" + dashboard.actualPort() + "/trial.html?run=convs&id=" + trial);
    browser.waitUpTo(10).until(d -> !d.findElements(By.cssSelector("svg.architecture g.block")).isEmpty());

    assertEquals(List.of("conv", "conv_residual", "conv_residual", "conv_inception", "conv", "cell", "pool", "conv",
        "pool", "plain"), attrs("svg.architecture g.block", "data-type"));
    // Output shapes, block by block, as the trainer computes them.
    assertEquals(List.of("28×28 · 16 ch", "28×28 · 16 ch", "14×14 · 32 ch", "14×14 · 48 ch", "6×6 · 48 ch",
        "6×6 · 48 ch", "3×3 · 48 ch", "2×2 · 64 ch", "1×1 · 64 ch → flatten · 64"), texts("svg.architecture text.shape"));
    assertEquals(List.of("28×28", "14×14", "6×6", "3×3", "2×2", "1×1"), attrs("svg.architecture g.stage", "data-resolution"));
    assertEquals(List.of("28×28", "14×14", "6×6", "3×3", "2×2", "1×1"), texts("svg.architecture g.stage text.resolution"));

    // Residual: the 16 -> 16 stage is one identity unit drawn once, x2; the 16 -> 32 stride-2 stage
    // has a 1x1 /2 projection on its first unit, then one identity unit.
    String identity = "svg.architecture g.block[data-index='1'] ";
    assertEquals(List.of("2"), attrs(identity + "g.unit", "data-repeat"));
    assertEquals(1, browser.driver.findElements(By.cssSelector(identity + "path.shortcut")).size());
    assertEquals(0, browser.driver.findElements(By.cssSelector(identity + "path.shortcut.projection")).size());
    String down = "svg.architecture g.block[data-index='2'] ";
    assertEquals(List.of("true", "false"), attrs(down + "g.unit", "data-projection"));
    assertEquals(List.of("1x1"), attrs(down + "path.shortcut.projection", "data-projection"));
    assertEquals(List.of("1×1 /2"), texts(down + "g.projection text"));
    assertEquals(3, browser.driver.findElements(By.cssSelector("svg.architecture g.block path.shortcut")).size());

    // Inception: four branches side by side, then the concatenation of 48 channels.
    String inception = "svg.architecture g.block[data-type='conv_inception'] ";
    assertEquals(List.of("1x1", "3x3", "5x5", "pool"), attrs(inception + "g.branch", "data-kind"));
    assertEquals(List.of("16", "16", "8", "8"), attrs(inception + "g.branch", "data-filters"));
    List<WebElement> branches = browser.driver.findElements(By.cssSelector(inception + "g.branch"));
    for (int i = 1; i < branches.size(); i++) {
      assertTrue(branches.get(i).findElement(By.cssSelector("rect.layer")).getRect().getX()
          > branches.get(i - 1).findElement(By.cssSelector("rect.layer")).getRect().getX(), "branches stand side by side");
    }
    assertEquals(List.of("1×1 → 16", "1×1 → 8", "3×3 → 16", "1×1 → 4", "5×5 → 8", "max pool 3×3", "1×1 → 8"),
        texts(inception + "g.branch rect.layer + text"));
    assertTrue(texts(inception + "g.merge text").contains("concat · 48 ch"));

    // The cell: 4 nodes, its 4 edges that are not 'none', each labelled with its op.
    String cell = "svg.architecture g.block[data-type='cell'] ";
    assertEquals("2", browser.driver.findElement(By.cssSelector(cell)).getDomAttribute("data-repeat"));
    assertEquals(List.of("0", "1", "2", "3"), attrs(cell + "g.cell-node", "data-node"));
    assertEquals(List.of("1-0:conv_3x3", "2-0:skip_connect", "3-1:sep_conv_3x3", "3-2:avg_pool_3x3"),
        browser.driver.findElements(By.cssSelector(cell + "g.cell-edge")).stream()
            .map(e -> e.getDomAttribute("data-to") + "-" + e.getDomAttribute("data-from") + ":" + e.getDomAttribute("data-op")).toList());
    assertEquals(List.of("conv_3x3", "skip_connect", "sep_conv_3x3", "avg_pool_3x3"), texts(cell + "g.cell-edge text.op"));
    assertEquals(0, browser.driver.findElements(By.cssSelector("svg.architecture g.cell-edge[data-op='none']")).size());
    assertTrue(texts(cell + "text").contains("2 none edges not drawn"));
    browser.js("document.getElementById('architecture').scrollIntoView()");
    browser.screenshot(Path.of("target", "screenshots"), "trial-conv");
  }
}
