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

/**
 * The run-level log, {@code runs/NAME/strata.log}: one line per event, appended and flushed, so it
 * survives a kill. Thread-safe. Write failures are swallowed: a full disk must not stop a search.
 */
public final class RunLog implements AutoCloseable {

  /** The log file inside a run directory. */
  public static final String FILE = "strata.log";

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

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
    line("INFO", message);
  }

  public void warn(String message) {
    line("WARN", message);
  }

  public void error(String message, Throwable error) {
    StringWriter trace = new StringWriter();
    if (error != null) {
      error.printStackTrace(new PrintWriter(trace));
    }
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
