package dev.strata.experiments.run;

import dev.strata.search.trial.Outcome;
import dev.strata.search.trial.TrialStatus;
import dev.strata.trainer.train.TrainingStatus;
import java.util.Locale;

/**
 * The one classification of a finished trial: how a training ends as a trial status, how an
 * evaluator's {@link TrialResult} becomes the {@link Outcome} the store commits and the strategy
 * is told, and the wording of a time-out. Stateless and thread-safe.
 *
 * <p>The rules of {@link #outcome}, in order: an evaluator that threw is FAILED with the
 * exception; a trial the scheduler stopped is PRUNED at its last reported value; a COMPLETED
 * result without the objective metric is FAILED, with a non-finite one DIVERGED; FAILED, DIVERGED
 * and REJECTED keep their own status; a trial that ended INTERRUPTED after its time limit is
 * FAILED ("timed out after N s"), and INTERRUPTED without a stop request is FAILED too (only the
 * runner decides that a trial runs again).
 */
public final class TrialClassification {

  private TrialClassification() {}

  /** A training's ending as a trial status (paused and early-stopped trainings completed). */
  public static TrialStatus of(TrainingStatus status) {
    return switch (status) {
      case COMPLETED, EARLY_STOPPED, PAUSED -> TrialStatus.COMPLETED;
      case DIVERGED -> TrialStatus.DIVERGED;
      case REJECTED -> TrialStatus.REJECTED;
      case TIMED_OUT -> TrialStatus.FAILED;
      case STOPPED, CANCELLED -> TrialStatus.INTERRUPTED;
    };
  }

  /** The reason of a trial stopped at its time limit: {@code timed out after 120 s[: detail]}. */
  public static String timedOut(double seconds, String detail) {
    return "timed out after " + seconds(seconds) + " s" + (detail == null || detail.isEmpty() ? "" : ": " + detail);
  }

  /**
   * What the store commits and the strategy is told for a trial that ended.
   *
   * @param result the evaluator's result, or null when it threw {@code error}
   * @param metric the objective metric
   * @param pruned the scheduler asked the trial to stop
   * @param timedOut the runner stopped the trial at {@code maxSeconds}
   * @param lastValue the last finite metric value the trial reported (NaN for none)
   * @param scheduler the scheduler's name, for the reason of a pruned trial
   */
  public static Outcome outcome(TrialResult result, Throwable error, String metric, boolean pruned, boolean timedOut,
      double lastValue, String scheduler, double maxSeconds) {
    if (error != null) {
      String message = error.getMessage();
      return Outcome.failed(TrialStatus.FAILED, error.getClass().getSimpleName() + (message == null ? "" : ": " + message));
    }
    TrialResult r = result;
    double pruneValue = Double.isFinite(lastValue) ? lastValue : r.metrics().getOrDefault(metric, Double.NaN);
    String pruneReason = "stopped early by " + scheduler;
    return switch (r.status()) {
      case COMPLETED -> {
        if (pruned) {
          yield new Outcome(TrialStatus.PRUNED, pruneValue, r.metrics(), pruneReason);
        }
        Double v = r.metrics().get(metric);
        if (v == null) {
          yield new Outcome(TrialStatus.FAILED, Double.NaN, r.metrics(),
              "the evaluator reported no '" + metric + "' (it reported " + r.metrics().keySet() + ")");
        }
        if (!Double.isFinite(v)) {
          yield new Outcome(TrialStatus.DIVERGED, Double.NaN, r.metrics(), "'" + metric + "' is " + v);
        }
        yield Outcome.completed(v, r.metrics());
      }
      case PRUNED -> new Outcome(TrialStatus.PRUNED, pruneValue, r.metrics(), r.reason().isEmpty() ? pruneReason : r.reason());
      case FAILED, DIVERGED, REJECTED, UNTRAINABLE -> new Outcome(r.status(), Double.NaN, r.metrics(),
          r.reason().isEmpty() ? r.status().name().toLowerCase(Locale.ROOT) : r.reason());
      case INTERRUPTED, PENDING, RUNNING -> {
        if (pruned) {
          yield new Outcome(TrialStatus.PRUNED, pruneValue, r.metrics(), pruneReason);
        }
        if (timedOut) {
          yield new Outcome(TrialStatus.FAILED, Double.NaN, r.metrics(), timedOut(maxSeconds, ""));
        }
        yield new Outcome(TrialStatus.FAILED, Double.NaN, r.metrics(),
            "the evaluator returned " + r.status() + " without a stop request");
      }
    };
  }

  /** Whole seconds without a decimal point, others as they are. */
  static String seconds(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }
}
