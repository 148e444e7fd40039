package dev.strata.dashboard;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Debian Chromium driven through Selenium, for the browser tests of this module and of
 * {@code experiments} (through this module's test jar): {@code STRATA_CHROMIUM} /
 * {@code STRATA_CHROMEDRIVER}, default {@code /usr/bin/chromium} and {@code /usr/bin/chromedriver}.
 * No browser is ever downloaded. Without one, {@link #open} fails under {@code CI=true} and
 * otherwise aborts the test class with a loud message.
 */
public final class Browser implements AutoCloseable {

  public final ChromeDriver driver;
  private final Path profile;

  private Browser(ChromeDriver driver, Path profile) {
    this.driver = driver;
    this.profile = profile;
  }

  public static Browser open(String testName, int width, int height) throws IOException {
    String chromium = Optional.ofNullable(System.getenv("STRATA_CHROMIUM")).orElse("/usr/bin/chromium");
    String chromedriver = Optional.ofNullable(System.getenv("STRATA_CHROMEDRIVER")).orElse("/usr/bin/chromedriver");
    if (!new File(chromium).canExecute() || !new File(chromedriver).canExecute()) {
      String message = "NO BROWSER: " + chromium + " or " + chromedriver + " is missing; install them with "
          + "'apt-get install -y chromium chromium-driver' (or set STRATA_CHROMIUM / STRATA_CHROMEDRIVER)";
      if ("true".equals(System.getenv("CI"))) {
        fail(message + " — the browser test must run in CI");
      }
      System.err.println("\n**********\n* SKIPPING " + testName + ": " + message + "\n**********\n");
      Assumptions.abort(message);
    }
    System.setProperty("webdriver.chrome.driver", chromedriver); // a given driver: Selenium Manager stays idle
    Path profile = Files.createTempDirectory("strata-chromium-");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium);
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
        "--hide-scrollbars", "--window-size=" + width + "," + height, "--user-data-dir=" + profile);
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(chromedriver)).usingAnyFreePort().build();
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
    return new Browser(driver, profile);
  }

  public WebDriverWait waitUpTo(int seconds) {
    return new WebDriverWait(driver, Duration.ofSeconds(seconds), Duration.ofMillis(100));
  }

  public Object js(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  /** Saves what the window shows as {@code dir/name.png}. */
  public Path screenshot(Path dir, String name) throws IOException {
    Files.createDirectories(dir);
    File shot = driver.getScreenshotAs(OutputType.FILE);
    Path to = dir.resolve(name + ".png");
    Files.copy(shot.toPath(), to, StandardCopyOption.REPLACE_EXISTING);
    return to;
  }

  /**
   * Saves the page from its top down to its end or {@code maxHeight} CSS pixels, whichever comes
   * first, by resizing the window for the shot (no blank space below short pages).
   */
  public Path screenshot(Path dir, String name, int maxHeight) throws IOException, InterruptedException {
    Dimension before = driver.manage().window().getSize();
    // The end of <main> plus its bottom padding; the document itself is at least the window's height.
    long content = ((Number) js("window.scrollTo(0, 0); var m = document.querySelector('main');"
        + " return Math.ceil(m.getBoundingClientRect().bottom + 16);")).longValue();
    long chrome = ((Number) js("return Math.max(0, window.outerHeight - window.innerHeight);")).longValue();
    driver.manage().window().setSize(new Dimension(before.getWidth(), (int) (Math.min(maxHeight, content) + chrome)));
    try {
      Thread.sleep(300); // charts follow the resize on their next frame
      return screenshot(dir, name);
    } finally {
      driver.manage().window().setSize(before);
    }
  }

  @Override
  public void close() throws IOException {
    driver.quit();
    try (var files = Files.walk(profile)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
