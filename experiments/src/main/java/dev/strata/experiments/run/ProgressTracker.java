package dev.strata.experiments.run;

import dev.strata.search.trial.Direction;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A run's counts and clocks for the progress display and the closing log line: trials finished
 * (and how many this session), the elapsed time over all sessions, the ETA from this session's
 * rate, the busy share of the workers, and the best value per strategy. Runner thread only.
 */
final class ProgressTracker {

  private final int total;
  private final int parallel;
  private final Direction direction;
  private final long startNanos = System.nanoTime();
  private final Map<String, Double> best = new TreeMap<>();
  private long elapsedBeforeMs;
  private int done;
  private int doneAtStart;
  private double busySeconds;

  ProgressTracker(int total, int parallel, Direction direction) {
    this.total = total;
    this.parallel = parallel;
    this.direction = direction;
  }

  /** Elapsed time of earlier sessions of the run (resume). */
  void elapsedBefore(long ms) {
    elapsedBeforeMs = ms;
  }

  /** Trials that reached a final status. */
  void finished(int trials) {
    done += trials;
  }

  /** From here on, finished trials count toward this session's rate. */
  void sessionStarts() {
    doneAtStart = done;
  }

  /** Worker-seconds a job took. */
  void busy(double seconds) {
    busySeconds += seconds;
  }

  /** A COMPLETED value at the maximum resource of one of {@code strategy}'s studies. */
  void completed(String strategy, double value) {
    best.merge(strategy, value, (a, v) -> direction.isBetter(v, a) ? v : a);
  }

  int done() {
    return done;
  }

  Map<String, Double> best() {
    return best;
  }

  /** Wall-clock time of the run, earlier sessions included. */
  Duration elapsed() {
    return Duration.ofMillis(elapsedBeforeMs + (System.nanoTime() - startNanos) / 1_000_000);
  }

  /** This session's wall-clock seconds. */
  double sessionSeconds() {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  /** Busy worker-seconds over {@code parallel} times this session's wall-clock seconds (0..1). */
  double utilisation() {
    double wall = sessionSeconds();
    return wall <= 0 ? 0 : Math.min(1, busySeconds / (parallel * wall));
  }

  RunProgress snapshot(int running) {
    Optional<Duration> eta = Optional.empty();
    int doneNow = done - doneAtStart;
    if (doneNow > 0 && total > 0) {
      double perTrial = sessionSeconds() / doneNow;
      eta = Optional.of(Duration.ofMillis((long) (Math.max(0, total - done) * perTrial * 1000)));
    }
    return new RunProgress(done, running, total, elapsed(), eta, best);
  }
}
