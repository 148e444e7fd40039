package dev.strata.experiments.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.search.trial.Constraint;
import dev.strata.search.trial.Direction;
import dev.strata.search.trial.Goal;
import dev.strata.trainer.spec.SpecNames;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the {@code objectives} and {@code constraints} sections of an experiment:
 * <pre>
 * "objectives":  [{"metric": "val_accuracy", "direction": "maximize"},
 *                 {"metric": "params", "direction": "minimize"}],
 * "constraints": [{"metric": "params", "max": 100000}, {"metric": "val_accuracy", "min": 0.8}]
 * </pre>
 * The first objective is the primary one (it replaces {@code objective.metric} and {@code
 * direction}); with two or more the search is multi-objective. Metric names are checked against
 * the objective's source by {@link ObjectiveReader}. Records every mistake in the given {@link
 * JsonCheck}. Part of {@link ExperimentReader}; stateless.
 */
final class GoalsReader {

  static final List<String> GOAL_KEYS = List.of("metric", "direction");
  static final List<String> CONSTRAINT_KEYS = List.of("metric", "min", "max");

  /** A goal and where it was written. */
  record Located<T>(T value, String pointer) {}

  private GoalsReader() {}

  /** The {@code objectives} list; empty when absent or unusable. */
  static List<Located<Goal>> goals(JsonCheck c, ObjectNode root) {
    List<Located<Goal>> out = new ArrayList<>();
    if (!root.has("objectives")) {
      return out;
    }
    JsonNode list = root.get("objectives");
    String example = "[{\"metric\": \"val_accuracy\", \"direction\": \"maximize\"}, {\"metric\": \"params\","
        + " \"direction\": \"minimize\"}]";
    if (!list.isArray() || list.isEmpty()) {
      c.problem("/objectives", "expected a non-empty list of {metric, direction}, got " + JsonCheck.kind(list)
          + "; write for example " + example);
      return out;
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      String ptr = JsonCheck.child("/objectives", i);
      ObjectNode o = c.object(ptr, list.get(i), "{\"metric\": \"params\", \"direction\": \"minimize\"}");
      if (o == null) {
        continue;
      }
      c.keys(ptr, o, GOAL_KEYS);
      if (!c.require(ptr, o, "metric", "\"metric\": \"params\"")) {
        continue;
      }
      String metric = c.string(ptr + "/metric", o.get("metric"), "name the metric, e.g. \"params\"");
      if (metric == null) {
        continue;
      }
      if (!seen.add(metric)) {
        c.problem(ptr + "/metric", "objective '" + metric + "' is given twice; remove one");
        continue;
      }
      Direction direction = null;
      if (o.has("direction")) {
        direction = direction(c, ptr + "/direction", o.get("direction"));
        if (direction == null) {
          continue;
        }
      } else {
        direction = metric.equals("params") || metric.equals("flops") ? Direction.MINIMIZE
            : ObjectiveReader.inferDirection(metric);
        if (direction == null) {
          c.problem(ptr, "missing required key 'direction' (cannot tell from the metric '" + metric
              + "'); add \"direction\": \"maximize\" or \"minimize\"");
          continue;
        }
      }
      out.add(new Located<>(new Goal(metric, direction), ptr));
    }
    return out;
  }

  /** The {@code constraints} list; empty when absent or unusable. */
  static List<Located<Constraint>> constraints(JsonCheck c, ObjectNode root) {
    List<Located<Constraint>> out = new ArrayList<>();
    if (!root.has("constraints")) {
      return out;
    }
    JsonNode list = root.get("constraints");
    if (!list.isArray()) {
      c.problem("/constraints", "expected a list of {metric, min, max}, got " + JsonCheck.kind(list)
          + "; write for example [{\"metric\": \"params\", \"max\": 100000}]");
      return out;
    }
    for (int i = 0; i < list.size(); i++) {
      String ptr = JsonCheck.child("/constraints", i);
      ObjectNode o = c.object(ptr, list.get(i), "{\"metric\": \"params\", \"max\": 100000}");
      if (o == null) {
        continue;
      }
      c.keys(ptr, o, CONSTRAINT_KEYS);
      if (!c.require(ptr, o, "metric", "\"metric\": \"params\"")) {
        continue;
      }
      String metric = c.string(ptr + "/metric", o.get("metric"), "name the metric, e.g. \"params\"");
      Double min = o.has("min") ? c.number(ptr + "/min", o.get("min"), -Double.MAX_VALUE, Double.MAX_VALUE,
          "write a number") : null;
      Double max = o.has("max") ? c.number(ptr + "/max", o.get("max"), -Double.MAX_VALUE, Double.MAX_VALUE,
          "write a number") : null;
      if (metric == null || (o.has("min") && min == null) || (o.has("max") && max == null)) {
        continue;
      }
      if (min == null && max == null) {
        c.problem(ptr, "a constraint needs \"min\" or \"max\"; write for example {\"metric\": \"" + metric
            + "\", \"max\": 100000}");
        continue;
      }
      if (min != null && max != null && min > max) {
        c.problem(ptr + "/min", "min " + min + " is above max " + max + "; swap them");
        continue;
      }
      out.add(new Located<>(new Constraint(metric, min == null ? Double.NEGATIVE_INFINITY : min,
          max == null ? Double.POSITIVE_INFINITY : max), ptr));
    }
    return out;
  }

  private static Direction direction(JsonCheck c, String ptr, JsonNode node) {
    String d = c.string(ptr, node, "use \"minimize\" or \"maximize\"");
    if (d == null) {
      return null;
    }
    try {
      return Direction.parse(d);
    } catch (IllegalArgumentException e) {
      String near = SpecNames.suggest(d, List.of("minimize", "maximize"));
      c.problem(ptr, "unknown direction '" + d + "'" + (near == null ? "" : " (did you mean '" + near + "'?)")
          + "; use \"minimize\" or \"maximize\"");
      return null;
    }
  }
}
