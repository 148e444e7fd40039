package dev.strata.experiments.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class RunLogTest {

  @TempDir Path dir;

  @Test
  void linesGoToTheRunsFileWithTheirLevel() throws IOException {
    try (RunLog log = RunLog.open(dir)) {
      log.info("first");
      log.warn("second");
      log.error("third", new IllegalStateException("boom"));
    }
    List<String> lines = Files.readAllLines(dir.resolve(RunLog.FILE));
    assertTrue(lines.get(0).contains(" INFO [") && lines.get(0).endsWith("first"), lines.get(0));
    assertTrue(lines.get(1).contains(" WARN [") && lines.get(1).endsWith("second"), lines.get(1));
    assertTrue(lines.get(2).contains(" ERROR [") && lines.get(2).endsWith("third"), lines.get(2));
    assertTrue(lines.stream().anyMatch(l -> l.contains("IllegalStateException: boom")), "the stack trace follows");
  }

  @Test
  void theApplicationShipsAnSlf4jBindingThatKeepsStrataQuiet() {
    String factory = LoggerFactory.getILoggerFactory().getClass().getName();
    assertEquals("org.slf4j.simple.SimpleLoggerFactory", factory, "slf4j-simple is the binding, not NOP");
    assertFalse(LoggerFactory.getLogger(RunLog.class).isWarnEnabled(), "Strata's own lines are in strata.log only");
    assertFalse(LoggerFactory.getLogger("io.vertx.core").isErrorEnabled(), "no library stack traces on the command's stderr");
  }
}
