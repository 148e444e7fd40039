package dev.strata.search.strategy;

import dev.strata.search.space.SearchSpace;
import dev.strata.search.trial.Direction;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The registry of built-in strategies by name: {@code random}, {@code sobol}, {@code evolution},
 * {@code regularized-evolution}, {@code bayesian}, {@code tpe}, {@code grid}, {@code cma-es}. Each strategy's class comment
 * lists its options and their defaults.
 *
 * <p>Immutable and thread-safe.
 */
public final class Strategies {

  private static final Map<String, StrategyFactory> FACTORIES = new LinkedHashMap<>();

  static {
    FACTORIES.put(RandomStrategy.NAME, (space, direction, seed, options) -> {
      Options.of(RandomStrategy.NAME, options, Set.of());
      return new RandomStrategy(space, direction, seed);
    });
    FACTORIES.put(SobolStrategy.NAME, (space, direction, seed, options) -> {
      Options.of(SobolStrategy.NAME, options, Set.of());
      return new SobolStrategy(space, direction, seed);
    });
    FACTORIES.put(EvolutionStrategy.NAME, EvolutionStrategy::create);
    FACTORIES.put(RegularizedEvolutionStrategy.NAME, RegularizedEvolutionStrategy::create);
    FACTORIES.put(BayesianStrategy.NAME, BayesianStrategy::create);
    FACTORIES.put(TpeStrategy.NAME, TpeStrategy::create);
    FACTORIES.put(GridStrategy.NAME, GridStrategy::create);
    FACTORIES.put(CmaEsStrategy.NAME, CmaEsStrategy::create);
  }

  private Strategies() {}

  /** The registered names, in a stable order. */
  public static List<String> names() {
    return List.copyOf(FACTORIES.keySet());
  }

  /**
   * A fresh strategy.
   *
   * @throws IllegalArgumentException for an unknown name (with a suggestion and the known names)
   *     or an unknown or invalid option
   */
  public static Strategy create(String name, SearchSpace space, Direction direction, long seed,
      Map<String, Object> options) {
    return factory(name).create(space, direction, seed, options == null ? Map.of() : options);
  }

  /** The factory registered under {@code name}. */
  public static StrategyFactory factory(String name) {
    StrategyFactory factory = FACTORIES.get(name);
    if (factory == null) {
      throw new IllegalArgumentException("unknown strategy '" + name + "'" + Options.didYouMean(name, FACTORIES.keySet())
          + "; known: " + String.join(", ", FACTORIES.keySet()));
    }
    return factory;
  }
}
