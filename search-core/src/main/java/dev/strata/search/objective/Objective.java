package dev.strata.search.objective;

import dev.strata.search.space.SearchSpace;
import dev.strata.search.trial.Configuration;
import dev.strata.search.trial.Direction;
import java.util.OptionalDouble;

/**
 * A black-box function over a search space, for tests, benchmarks and {@code strata optimize}.
 * Implementations are immutable and thread-safe.
 */
public interface Objective {

  /** A short name, e.g. {@code "branin"}. */
  String name();

  /** The space the function is defined on. */
  SearchSpace space();

  Direction direction();

  /** The value of a configuration of {@link #space()}. */
  double evaluate(Configuration configuration);

  /** The known best value, when there is one (regret is measured against it). */
  OptionalDouble optimum();
}
