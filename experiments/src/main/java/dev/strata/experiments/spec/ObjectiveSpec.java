package dev.strata.experiments.spec;

import dev.strata.search.trial.Direction;
import dev.strata.search.trial.Objectives;
import java.util.Objects;

/**
 * What a search optimises and what produces it. Immutable.
 *
 * @param metric the primary metric's name, e.g. {@code val_accuracy}
 * @param direction minimise or maximise it
 * @param source what computes it
 * @param objectives every goal (the primary one first) and the feasibility constraints, from the
 *     experiment's {@code objectives} and {@code constraints} (see {@link GoalsReader})
 */
public record ObjectiveSpec(String metric, Direction direction, ObjectiveSource source, Objectives objectives) {

  public ObjectiveSpec {
    Objects.requireNonNull(metric, "metric");
    Objects.requireNonNull(direction, "direction");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(objectives, "objectives");
    if (!objectives.primary().metric().equals(metric) || objectives.direction() != direction) {
      throw new IllegalArgumentException("the primary goal " + objectives.primary() + " is not " + metric + " ("
          + direction + ")");
    }
  }

  /** One goal, no constraints. */
  public ObjectiveSpec(String metric, Direction direction, ObjectiveSource source) {
    this(metric, direction, source, Objectives.of(metric, direction));
  }

  /** This objective with these goals and constraints (the first goal must be this metric). */
  public ObjectiveSpec withObjectives(Objectives value) {
    return new ObjectiveSpec(metric, direction, source, value);
  }
}
