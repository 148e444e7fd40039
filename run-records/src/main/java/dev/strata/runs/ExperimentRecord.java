package dev.strata.runs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.search.trial.Constraint;
import dev.strata.search.trial.Direction;
import dev.strata.search.trial.Goal;
import dev.strata.search.trial.Objectives;
import java.util.ArrayList;
import java.util.List;
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

  /**
   * The goals and constraints of the stored experiment ({@code objectives}, {@code constraints}):
   * the first goal is always {@code metric} in {@code direction}; a later goal without a direction
   * minimises {@code params}, {@code flops} and anything not named like an accuracy. The one goal
   * {@code metric} when the spec has none; empty when the JSON cannot be read.
   */
  public java.util.Optional<Objectives> objectives() {
    if (specJson == null || specJson.isBlank()) {
      return java.util.Optional.of(Objectives.of(metric, direction));
    }
    try {
      JsonNode root = new ObjectMapper().readTree(specJson);
      List<Goal> goals = new ArrayList<>();
      goals.add(new Goal(metric, direction));
      JsonNode list = root.path("objectives");
      for (int i = 1; i < list.size(); i++) {
        JsonNode g = list.get(i);
        String name = g.path("metric").asText();
        Direction d = g.has("direction") ? Direction.parse(g.get("direction").asText())
            : name.equals("params") || name.equals("flops") ? Direction.MINIMIZE
            : name.contains("acc") ? Direction.MAXIMIZE : Direction.MINIMIZE;
        goals.add(new Goal(name, d));
      }
      List<Constraint> constraints = new ArrayList<>();
      for (JsonNode c : root.path("constraints")) {
        constraints.add(new Constraint(c.path("metric").asText(),
            c.has("min") ? c.get("min").asDouble() : Double.NEGATIVE_INFINITY,
            c.has("max") ? c.get("max").asDouble() : Double.POSITIVE_INFINITY));
      }
      return java.util.Optional.of(new Objectives(goals, constraints));
    } catch (Exception e) {
      return java.util.Optional.empty();
    }
  }
}
