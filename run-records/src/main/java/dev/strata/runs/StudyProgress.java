package dev.strata.runs;

import dev.strata.search.trial.StudyRecord;
import java.util.List;
import java.util.Objects;

/**
 * One study's best-so-far as a store keeps it while trials finish: how many trials finished, the
 * training seconds they spent, and the change points of its best-so-far curve ({@link BestSoFar}
 * ordering: finished trials in index order, numbered 1, 2, ...). Between two steps the curve keeps
 * the earlier step's value; before the first it is undefined. Immutable.
 *
 * @param finished the study's finished trials
 * @param seconds their training seconds (negative or non-finite ones count 0)
 * @param steps every change of the best, in trial-number order: each value strictly better than
 *     the one before
 */
public record StudyProgress(long studyId, long finished, double seconds, List<Step> steps) {

  /**
   * One change point: finished trial number {@code trial} (1-based, index order) set the best to
   * {@code value}; {@code seconds} is the cumulative training time of trials 1..trial.
   */
  public record Step(long trial, long trialId, double value, double seconds) {}

  public StudyProgress {
    steps = List.copyOf(Objects.requireNonNull(steps, "steps"));
  }

  /**
   * The study's {@link BestSoFar.StudyCurve}, for the spread over seeds ({@link BestSoFar#byTrials},
   * {@link BestSoFar#bySeconds}): exact for {@code atTrial}, {@code atSeconds} and {@code
   * totalSeconds}. Its {@code seconds} array holds, at each trial, the time of the step in force
   * (the last entry: the study's total), which is all {@code atSeconds} needs: the best at time t
   * is the value of the last step whose time is at most t.
   */
  public BestSoFar.StudyCurve curve(StudyRecord study) {
    int n = (int) finished;
    double[] best = new double[n];
    double[] secs = new double[n];
    double value = Double.NaN;
    double at = 0;
    int next = 0;
    for (int i = 0; i < n; i++) {
      while (next < steps.size() && steps.get(next).trial() <= i + 1) {
        value = steps.get(next).value();
        at = steps.get(next).seconds();
        next++;
      }
      best[i] = value;
      secs[i] = at;
    }
    if (n > 0) {
      secs[n - 1] = Math.max(secs[n - 1], seconds);
    }
    return new BestSoFar.StudyCurve(study, best, secs);
  }
}
