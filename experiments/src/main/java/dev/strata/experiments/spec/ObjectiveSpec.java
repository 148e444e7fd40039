package dev.strata.experiments.spec;

import dev.strata.search.trial.Direction;
import java.util.Objects;

/**
 * The metric a search optimises and what produces it. Immutable.
 *
 * @param metric the metric name, e.g. {@code val_accuracy}
 * @param direction minimise or maximise it
 * @param source what computes it
 */
public record ObjectiveSpec(String metric, Direction direction, ObjectiveSource source) {

  public ObjectiveSpec {
    Objects.requireNonNull(metric, "metric");
    Objects.requireNonNull(direction, "direction");
    Objects.requireNonNull(source, "source");
  }
}
