package dev.strata.search.study;

import dev.strata.search.trial.Configuration;
import java.util.Map;
import java.util.Objects;

/**
 * A trial as a strategy proposed it, before the store gives it an id. Immutable.
 *
 * @param index the trial index within its study
 * @param seed the trial's seed (see {@code dev.strata.experiments.run.Seeds})
 * @param tags strategy bookkeeping, e.g. {@code generation}
 */
public record NewTrial(int index, Configuration configuration, long seed, Map<String, String> tags) {

  public NewTrial {
    if (index < 0) {
      throw new IllegalArgumentException("index must be >= 0, got " + index);
    }
    Objects.requireNonNull(configuration, "configuration");
    tags = tags == null ? Map.of() : Map.copyOf(tags);
  }
}
