package dev.strata.runs;

import dev.strata.search.trial.Direction;
import java.time.Instant;
import java.util.Objects;

/**
 * An experiment (one run directory) as stored. Immutable.
 *
 * @param name the run name (the run directory's name)
 * @param state where the run is in its life (see {@link RunState})
 * @param metric the objective metric, e.g. {@code val_accuracy}
 * @param specJson the experiment file as given, for provenance
 */
public record ExperimentRecord(
    String name, RunState state, String metric, Direction direction, Instant created, Instant updated, String specJson) {

  public ExperimentRecord {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(metric, "metric");
    Objects.requireNonNull(direction, "direction");
  }
}
