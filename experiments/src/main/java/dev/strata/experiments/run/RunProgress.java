package dev.strata.experiments.run;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * A snapshot of a run for a progress bar. Immutable.
 *
 * @param done trials in a finished status (all studies)
 * @param running trials training now
 * @param total the trials the budget allows (studies × trials per study), 0 when only time-bounded
 * @param elapsed wall-clock time of this run, including earlier sessions of a resumed run
 * @param eta the estimated time left, from the rate of this session; empty until a trial finished
 * @param bestByStrategy the best COMPLETED objective value per strategy name (over its seeds)
 */
public record RunProgress(
    int done, int running, int total, Duration elapsed, Optional<Duration> eta, Map<String, Double> bestByStrategy) {

  public RunProgress {
    bestByStrategy = Map.copyOf(bestByStrategy);
  }
}
