package dev.strata.experiments.run;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The run-level log, {@code runs/NAME/strata.log}: one line per event, appended and flushed, so it
 * survives a kill. Every line also goes to the SLF4J logger {@code dev.strata.experiments.run.RunLog}
 * at the same level, so an application that embeds the runner sees it through its own binding
 * (the {@code strata} command's binding, slf4j-simple, keeps Strata's own lines quiet: they are
 * in the file already). Thread-safe. Write failures are swallowed: a full disk must not stop a
 * search.
 */
public final class RunLog implements AutoCloseable {

  /** The log file inside a run directory. */
  public static final String FILE = "strata.log";

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

  private static final Logger LOG = LoggerFactory.getLogger(RunLog.class);

  private final BufferedWriter out;

  private RunLog(BufferedWriter out) {
    this.out = out;
  }

  /** Opens (appending) the log of a run directory. */
  public static RunLog open(Path runDir) {
    try {
      Files.createDirectories(runDir);
      return new RunLog(Files.newBufferedWriter(runDir.resolve(FILE), StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND));
    } catch (IOException e) {
      return new RunLog(null);
    }
  }

  /** A log that writes nothing. */
  public static RunLog none() {
    return new RunLog(null);
  }

  public void info(String message) {
    LOG.info(message);
    line("INFO", message);
  }

  public void warn(String message) {
    LOG.warn(message);
    line("WARN", message);
  }

  public void error(String message, Throwable error) {
    StringWriter trace = new StringWriter();
    if (error != null) {
      error.printStackTrace(new PrintWriter(trace));
    }
    LOG.error(message, error);
    line("ERROR", message + (error == null ? "" : System.lineSeparator() + trace));
  }

  private synchronized void line(String level, String message) {
    if (out == null) {
      return;
    }
    try {
      out.write(LocalDateTime.now().format(TIME) + " " + level + " [" + Thread.currentThread().getName() + "] "
          + message);
      out.newLine();
      out.flush();
    } catch (IOException ignored) {
      // see the class comment
    }
  }

  @Override
  public synchronized void close() {
    if (out != null) {
      try {
        out.close();
      } catch (IOException ignored) {
        // nothing left to do
      }
    }
  }
}
