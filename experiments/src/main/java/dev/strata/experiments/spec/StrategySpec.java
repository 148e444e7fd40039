package dev.strata.experiments.spec;

import java.util.Map;
import java.util.Objects;

/** A strategy by registry name with its options as written in the file. Immutable. */
public record StrategySpec(String name, Map<String, Object> options) {

  public StrategySpec {
    Objects.requireNonNull(name, "name");
    options = Map.copyOf(options);
  }

  public static StrategySpec of(String name) {
    return new StrategySpec(name, Map.of());
  }
}
