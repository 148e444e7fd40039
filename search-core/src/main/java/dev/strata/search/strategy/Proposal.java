package dev.strata.search.strategy;

import dev.strata.search.trial.Configuration;
import java.util.Map;
import java.util.Objects;

/**
 * One configuration proposed by {@link Strategy#ask(int)}.
 *
 * @param index the trial index within its study, assigned by the strategy: 0, 1, 2, ... in ask
 *     order; {@link Strategy#tell(int, dev.strata.search.trial.Outcome)} refers to it
 * @param tags strategy bookkeeping stored with the trial (for example {@code generation}), shown to
 *     users; never needed for replay
 */
public record Proposal(int index, Configuration configuration, Map<String, String> tags) {

  public Proposal {
    if (index < 0) {
      throw new IllegalArgumentException("index must be >= 0, got " + index);
    }
    Objects.requireNonNull(configuration, "configuration");
    tags = tags == null ? Map.of() : Map.copyOf(tags);
  }

  public static Proposal of(int index, Configuration configuration) {
    return new Proposal(index, configuration, Map.of());
  }
}
