package dev.strata.experiments.run;

import java.util.Map;
import java.util.Objects;

/**
 * One study of a run: a strategy by registry name, a seed and the strategy's options. Immutable.
 * A run's studies are unique by (strategy, seed).
 */
public record StudyPlan(String strategy, long seed, Map<String, Object> options) {

  public StudyPlan {
    Objects.requireNonNull(strategy, "strategy");
    if (strategy.isBlank()) {
      throw new IllegalArgumentException("a study needs a strategy name");
    }
    options = options == null ? Map.of() : Map.copyOf(options);
  }

  public static StudyPlan of(String strategy, long seed) {
    return new StudyPlan(strategy, seed, Map.of());
  }

  /** E.g. {@code bayesian/s2}, as in {@link dev.strata.search.trial.StudyRecord#label()}. */
  public String label() {
    return strategy + "/s" + seed;
  }
}
