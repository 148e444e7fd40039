package dev.strata.experiments.run;

import dev.strata.runs.RunState;
import dev.strata.search.trial.TrialStatus;
import java.time.Duration;
import java.util.Map;

/**
 * How a call of {@link Runner#run()} ended. Immutable.
 *
 * @param state {@link RunState#FINISHED} (every study spent its budget), {@link RunState#STOPPED}
 *     (stop requested; resume continues) or {@link RunState#CRASHED}
 * @param byStatus trials per status in the store at the end
 * @param bestByStrategy the best COMPLETED value per strategy name
 */
public record RunSummary(
    RunState state, Map<TrialStatus, Integer> byStatus, Duration elapsed, Map<String, Double> bestByStrategy) {

  public RunSummary {
    byStatus = Map.copyOf(byStatus);
    bestByStrategy = Map.copyOf(bestByStrategy);
  }

  public int count(TrialStatus status) {
    return byStatus.getOrDefault(status, 0);
  }
}
