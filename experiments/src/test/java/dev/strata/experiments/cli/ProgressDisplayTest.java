package dev.strata.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.experiments.run.RunProgress;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The ETA respects a wall-clock cap and says so. */
class ProgressDisplayTest {

  private static RunProgress progress(int done, Duration elapsed, Duration eta) {
    return new RunProgress(done, 2, 420, elapsed, Optional.ofNullable(eta), Map.of());
  }

  @Test
  void theCapBoundsTheEtaAndTheLineNamesIt() {
    RunProgress p = progress(100, Duration.ofMinutes(2), Duration.ofMinutes(9));
    assertEquals(Optional.of(Duration.ofMinutes(9)), ProgressDisplay.eta(p, Duration.ZERO));
    assertEquals(Optional.of(Duration.ofMinutes(4)), ProgressDisplay.eta(p, Duration.ofMinutes(6)));
    assertEquals(Optional.of(Duration.ofMinutes(9)), ProgressDisplay.eta(p, Duration.ofMinutes(60)));
    assertEquals(Optional.of(Duration.ZERO), ProgressDisplay.eta(progress(1, Duration.ofMinutes(7), null), Duration.ofMinutes(6)));
    String line = ProgressDisplay.line(p, Duration.ofMinutes(6));
    assertTrue(line.contains("ETA") && line.contains("(wall-clock cap"), line);
    assertTrue(!ProgressDisplay.line(p, Duration.ofMinutes(60)).contains("cap"), "an unreached cap is not mentioned");
  }
}
