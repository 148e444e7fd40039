package dev.strata.experiments.spec;

import java.time.Duration;
import java.util.Objects;

/**
 * How much each study (one strategy with one seed) may spend. A study stops at whichever limit
 * it reaches first. Immutable.
 *
 * @param trials trials per study, 0 for no count limit (then {@code time} must be set)
 * @param time wall-clock time per study, {@link Duration#ZERO} for none
 * @param maxEpochs the most epochs one trial trains for (the top fidelity), 0 for the space's own
 * @param trialSeconds the most seconds one trial may take, 0 for no limit
 */
public record BudgetSpec(int trials, Duration time, int maxEpochs, double trialSeconds) {

  public BudgetSpec {
    Objects.requireNonNull(time, "time");
    if (trials < 0 || time.isNegative() || maxEpochs < 0 || !(trialSeconds >= 0)) {
      throw new IllegalArgumentException("budget values must be >= 0, got trials=" + trials + ", time=" + time
          + ", maxEpochs=" + maxEpochs + ", trialSeconds=" + trialSeconds);
    }
    if (trials == 0 && time.isZero()) {
      throw new IllegalArgumentException("a budget needs trials or a time limit; set \"trials\" or \"minutes\"");
    }
  }
}
