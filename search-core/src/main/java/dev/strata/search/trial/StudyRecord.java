package dev.strata.search.trial;

import java.util.Map;
import java.util.Objects;

/**
 * One study: one strategy run with one seed inside an experiment. Immutable.
 *
 * @param budgetTrials the number of trials the study runs to (0 when only time-bounded)
 * @param options the strategy's options as given in the experiment file
 */
public record StudyRecord(long id, String strategy, long seed, int budgetTrials, Map<String, Object> options) {

  public StudyRecord {
    Objects.requireNonNull(strategy, "strategy");
    options = options == null ? Map.of() : Map.copyOf(options);
  }

  /** A short label for tables and charts, e.g. {@code bayesian/s2}. */
  public String label() {
    return strategy + "/s" + seed;
  }
}
