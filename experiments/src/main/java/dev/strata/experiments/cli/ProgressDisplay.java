package dev.strata.experiments.cli;

import dev.strata.experiments.run.RunProgress;
import dev.strata.experiments.report.Comparison;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Shows a run's progress: on a terminal a progress bar (trials done of the budget, trials running,
 * ETA, best so far per strategy); otherwise (a pipe, a log file, a test) one plain line at most
 * every {@link #PLAIN_INTERVAL_MS} ms. Fed by the runner's progress listener on the coordinator
 * thread; {@link #close()} after the run. Not thread-safe beyond that.
 */
final class ProgressDisplay implements Consumer<RunProgress>, AutoCloseable {

  static final long PLAIN_INTERVAL_MS = 10_000;

  private final ProgressBar bar;
  private final PrintWriter plain;
  /** The run's wall-clock cap (counted across resumes, like {@link RunProgress#elapsed()}); zero for none. */
  private volatile Duration cap = Duration.ZERO;
  private volatile RunProgress latest;
  private long lastPlainMs;
  private int lastPlainDone = -1;

  private ProgressDisplay(ProgressBar bar, PrintWriter plain) {
    this.bar = bar;
    this.plain = plain;
  }

  /** A bar on the terminal when stderr is one, else plain lines to {@code err}. */
  static ProgressDisplay open(String task, PrintWriter err, boolean terminal) {
    if (!terminal) {
      return new ProgressDisplay(null, err);
    }
    ProgressDisplay[] self = new ProgressDisplay[1];
    ProgressBar bar = new ProgressBarBuilder()
        .setTaskName(task)
        .setInitialMax(-1)
        .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
        .setUpdateIntervalMillis(500)
        .setMaxRenderedLength(160)
        .setConsumer(new ConsoleProgressBarConsumer(new PrintStream(System.err, true), 160))
        .setEtaFunction(state -> self[0] == null || self[0].latest == null ? Optional.empty()
            : eta(self[0].latest, self[0].cap))
        .build();
    self[0] = new ProgressDisplay(bar, null);
    return self[0];
  }

  /** The run's wall-clock cap, which bounds the ETA: no trial starts after it. */
  ProgressDisplay withCap(Duration cap) {
    this.cap = cap == null ? Duration.ZERO : cap;
    return this;
  }

  /**
   * The ETA respecting the cap: the runner's estimate from the trials done, but never past the
   * moment the cap stops new trials (running ones then finish; their time is not known).
   */
  static Optional<Duration> eta(RunProgress p, Duration cap) {
    if (cap.isZero()) {
      return p.eta();
    }
    Duration remaining = cap.minus(p.elapsed());
    Duration left = remaining.isNegative() ? Duration.ZERO : remaining;
    return Optional.of(p.eta().map(e -> e.compareTo(left) < 0 ? e : left).orElse(left));
  }

  /** Whether this process writes to an interactive terminal. */
  static boolean isTerminal() {
    var console = System.console();
    return console != null && console.isTerminal() && System.getenv("STRATA_NO_PROGRESS") == null;
  }

  @Override
  public void accept(RunProgress p) {
    latest = p;
    if (bar != null) {
      bar.maxHint(p.total() > 0 ? p.total() : -1);
      bar.stepTo(p.done());
      bar.setExtraMessage(extra(p));
      return;
    }
    long now = System.currentTimeMillis();
    if (p.done() != lastPlainDone && now - lastPlainMs >= PLAIN_INTERVAL_MS) {
      lastPlainMs = now;
      lastPlainDone = p.done();
      plain.println(line(p, cap));
      plain.flush();
    }
  }

  static String line(RunProgress p) {
    return line(p, Duration.ZERO);
  }

  static String line(RunProgress p, Duration cap) {
    Optional<Duration> eta = eta(p, cap);
    boolean capped = !cap.isZero() && eta.isPresent() && !eta.equals(p.eta());
    return "progress: " + p.done() + (p.total() > 0 ? "/" + p.total() : "") + " trials done, " + p.running()
        + " running, elapsed " + Durations.format(p.elapsed())
        + eta.map(e -> ", ETA " + Durations.format(e) + (capped ? " (wall-clock cap " + Durations.format(cap) + ")" : ""))
            .orElse("") + (p.bestByStrategy().isEmpty() ? "" : "; " + best(p));
  }

  private static String extra(RunProgress p) {
    return p.running() + " running" + (p.bestByStrategy().isEmpty() ? "" : " | best " + best(p));
  }

  private static String best(RunProgress p) {
    StringBuilder b = new StringBuilder();
    for (Map.Entry<String, Double> e : p.bestByStrategy().entrySet()) {
      if (!b.isEmpty()) {
        b.append(", ");
      }
      b.append(e.getKey()).append(' ').append(Comparison.num(e.getValue()).toLowerCase(Locale.ROOT));
    }
    return b.toString();
  }

  private boolean closed;

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (bar != null) {
      bar.close();
    } else if (latest != null && latest.done() != lastPlainDone) {
      plain.println(line(latest));
      plain.flush();
    }
  }
}
