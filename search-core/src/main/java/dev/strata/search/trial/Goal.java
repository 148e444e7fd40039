package dev.strata.search.trial;

import java.util.Objects;

/**
 * One objective of a search: a metric and whether it is minimised or maximised, e.g. {@code
 * val_accuracy} maximised or {@code params} minimised. Immutable and thread-safe.
 *
 * @param metric the metric's name as trials report it
 */
public record Goal(String metric, Direction direction) {

  public Goal {
    Objects.requireNonNull(metric, "metric");
    Objects.requireNonNull(direction, "direction");
    if (metric.isBlank()) {
      throw new IllegalArgumentException("a goal needs a metric name");
    }
  }

  /** {@code "val_accuracy (maximize)"}. */
  @Override
  public String toString() {
    return metric + " (" + direction.name().toLowerCase(java.util.Locale.ROOT) + ")";
  }
}
