package dev.strata.search.strategy;

import dev.strata.search.space.SearchSpace;
import dev.strata.search.trial.Direction;
import dev.strata.search.trial.Objectives;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The registry of built-in strategies by name: {@code random}, {@code sobol}, {@code evolution},
 * {@code regularized-evolution}, {@code bayesian}, {@code tpe}, {@code grid}, {@code cma-es}, {@code nsga2}. Each strategy's class
 * comment lists its options and their defaults. With several goals ({@link Objectives}), only
 * the {@link #multiObjectiveNames() multi-objective ones} may be built.
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
    FACTORIES.put(Nsga2Strategy.NAME, Nsga2Strategy::create);
  }

  /** The strategies that search for a Pareto front of several goals. */
  private static final List<String> MULTI_OBJECTIVE = List.of(Nsga2Strategy.NAME, BayesianStrategy.NAME,
      TpeStrategy.NAME, RandomStrategy.NAME, SobolStrategy.NAME, GridStrategy.NAME);

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

  /**
   * A fresh strategy for these goals and constraints: it judges told outcomes against the
   * constraints itself, and with several goals searches for their Pareto front.
   *
   * @throws IllegalArgumentException as {@link #create(String, SearchSpace, Direction, long, Map)},
   *     or for several goals and a strategy that optimises one
   */
  public static Strategy create(String name, SearchSpace space, Objectives objectives, long seed,
      Map<String, Object> options) {
    Strategy s = create(name, space, objectives.direction(), seed, options);
    if (s instanceof AbstractStrategy a) {
      a.useObjectives(objectives);
    } else if (!objectives.isPlain()) {
      throw new IllegalArgumentException("strategy '" + name + "' takes no goals or constraints");
    }
    return s;
  }

  /** The names of the strategies that search for a Pareto front of several goals. */
  public static List<String> multiObjectiveNames() {
    return MULTI_OBJECTIVE;
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
