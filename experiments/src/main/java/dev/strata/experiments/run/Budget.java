package dev.strata.experiments.run;

import java.time.Duration;
import java.util.Objects;

/**
 * When a run stops asking for new trials. Immutable.
 *
 * <p>Per study: {@code trialsPerStudy} configurations (each study asks its strategy exactly that
 * many; every one ends in a finished status, re-run after an interruption) and {@code
 * trainSecondsPerStudy} cumulative training seconds (the sum of the trials' {@code trainSeconds};
 * once reached no new trial starts, the running ones finish). For the whole run: {@code
 * wallClock}, counted across resumes; once reached no new trial starts and the running ones
 * finish (each is bounded by the plan's per-trial maximum). Zero means no limit of that kind; at
 * least one limit must be set.
 */
public record Budget(int trialsPerStudy, double trainSecondsPerStudy, Duration wallClock) {

  public Budget {
    Objects.requireNonNull(wallClock, "wallClock (Duration.ZERO for none)");
    if (trialsPerStudy < 0) {
      throw new IllegalArgumentException("trials per study must be >= 0, got " + trialsPerStudy);
    }
    if (!(trainSecondsPerStudy >= 0)) {
      throw new IllegalArgumentException("training seconds per study must be >= 0, got " + trainSecondsPerStudy);
    }
    if (wallClock.isNegative()) {
      throw new IllegalArgumentException("wall-clock budget must be >= 0, got " + wallClock);
    }
    if (trialsPerStudy == 0 && trainSecondsPerStudy == 0 && wallClock.isZero()) {
      throw new IllegalArgumentException("a budget needs trials, training seconds or a wall-clock limit");
    }
  }

  /** A budget of {@code n} trials per study. */
  public static Budget trials(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("trials per study must be >= 1, got " + n);
    }
    return new Budget(n, 0, Duration.ZERO);
  }

  public Budget withWallClock(Duration limit) {
    return new Budget(trialsPerStudy, trainSecondsPerStudy, limit);
  }

  public Budget withTrainSeconds(double seconds) {
    return new Budget(trialsPerStudy, seconds, wallClock);
  }
}
