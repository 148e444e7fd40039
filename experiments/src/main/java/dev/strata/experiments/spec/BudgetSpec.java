package dev.strata.experiments.spec;

import java.time.Duration;
import java.util.Objects;

/**
 * How much the search may spend. New trials stop starting at whichever limit is reached first;
 * running trials finish. Immutable.
 *
 * @param trials trials per study (one strategy with one seed), 0 for no count limit
 * @param time wall-clock time of the whole run (counted across resumes), {@link Duration#ZERO}
 *     for none; from {@code hours}, {@code minutes} and {@code seconds}, added up
 * @param trainSeconds cumulative training seconds per study, 0 for none (a fair budget when
 *     strategies compete: each gets the same compute)
 * @param maxEpochs the most epochs one trial trains for (the top fidelity of a scheduler), 0 for
 *     the configuration's own {@code epochs}
 * @param trialSeconds the most seconds one trial may take, 0 for no limit
 */
public record BudgetSpec(int trials, Duration time, double trainSeconds, int maxEpochs, double trialSeconds) {

  public BudgetSpec {
    Objects.requireNonNull(time, "time");
    if (trials < 0 || time.isNegative() || !(trainSeconds >= 0) || maxEpochs < 0 || !(trialSeconds >= 0)) {
      throw new IllegalArgumentException("budget values must be >= 0, got trials=" + trials + ", time=" + time
          + ", trainSeconds=" + trainSeconds + ", maxEpochs=" + maxEpochs + ", trialSeconds=" + trialSeconds);
    }
    if (trials == 0 && time.isZero() && trainSeconds == 0) {
      throw new IllegalArgumentException("a budget needs trials, a time limit or training seconds");
    }
  }
}
