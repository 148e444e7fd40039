package dev.strata.search.fidelity;

import dev.strata.search.strategy.Strategy;
import dev.strata.search.trial.Direction;
import dev.strata.search.trial.Outcome;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The median stopping rule (Golovin et al. 2017, Google Vizier): every configuration is started
 * for the maximum resource; at each intermediate report at step t (a resource) a trial is stopped
 * when its best value so far is strictly worse than the median, over the other trials that have
 * reached t, of their running averages up to t:
 *
 * <pre>
 *   avg_j(t) = mean { v_j(s) : s ≤ t }       for every other trial j with a report at ≥ t
 *   stop  ⇔  best_{s ≤ t} v_i(s)  worse than  median_j avg_j(t)
 * </pre>
 *
 * <p>Warm-up: no trial is stopped at a step below {@link Fidelity#min()}, nor while fewer than
 * {@code minTrials} other trials have reached the step. A stopped trial's job ends with a PRUNED
 * outcome, which the strategy is told with its last reported value. Not thread-safe; see {@link
 * Scheduler}.
 */
public final class MedianStoppingScheduler extends SchedulerBase {

  /** The default number of other trials needed before anything is stopped. */
  public static final int DEFAULT_MIN_TRIALS = 3;

  private final int minTrials;

  public MedianStoppingScheduler(Strategy strategy, Direction direction, Fidelity fidelity,
      int minTrials) {
    super(strategy, direction, fidelity);
    if (minTrials < 1) {
      throw new IllegalArgumentException("minTrials must be >= 1, got " + minTrials);
    }
    this.minTrials = minTrials;
  }

  public static MedianStoppingScheduler of(Strategy strategy, Direction direction,
      Fidelity fidelity) {
    return new MedianStoppingScheduler(strategy, direction, fidelity, DEFAULT_MIN_TRIALS);
  }

  @Override
  String ruleName() {
    return "median-stopping";
  }

  @Override
  public List<Job> next(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("n must be >= 1, got " + n);
    }
    List<Job> jobs = new ArrayList<>();
    Job job;
    while (jobs.size() < n && (job = startNew(fidelity.max(), 0)) != null) {
      jobs.add(job);
    }
    return List.copyOf(jobs);
  }

  @Override
  Decision decide(Trial trial, double step, double value) {
    if (step < fidelity.min() && !Fidelity.same(step, fidelity.min())) {
      return Decision.CONTINUE;
    }
    double best = Double.NaN;
    for (double[] r : trial.reports) {
      if (r[0] <= step && Double.isFinite(r[1])
          && (Double.isNaN(best) || direction.isBetter(r[1], best))) {
        best = r[1];
      }
    }
    double[] averages = new double[trials.size()];
    int count = 0;
    for (Trial other : trials.values()) {
      if (other == trial || other.reports.isEmpty() || other.reports.getLast()[0] < step) {
        continue;
      }
      double sum = 0;
      int m = 0;
      for (double[] r : other.reports) {
        if (r[0] <= step && Double.isFinite(r[1])) {
          sum += r[1];
          m++;
        }
      }
      if (m > 0) {
        averages[count++] = sum / m;
      }
    }
    if (count < minTrials) {
      return Decision.CONTINUE;
    }
    double median = median(Arrays.copyOf(averages, count));
    if (Double.isNaN(best) || direction.isBetter(median, best)) {
      return Decision.STOP;
    }
    return Decision.CONTINUE;
  }

  static double median(double[] xs) {
    Arrays.sort(xs);
    int n = xs.length;
    return n % 2 == 1 ? xs[n / 2] : (xs[n / 2 - 1] + xs[n / 2]) / 2;
  }

  @Override
  void completed(Trial t, Outcome outcome) {
    t.closed = true;
    tellPaused(t, "stopped at resource " + t.reached);
  }

  @Override
  public boolean isFinished() {
    return running() == 0 && exhausted();
  }
}
