package dev.strata.experiments.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.trainer.spec.SpecNames;
import java.util.List;

/**
 * Reads the {@code search.scheduler} section of an experiment (a type name, or an object with the
 * type and its options) into a {@link SchedulerSpec}, checked against the budget's top fidelity.
 * Records every mistake in the given {@link JsonCheck}. Part of {@link ExperimentReader};
 * stateless.
 */
final class SchedulerReader {

  static final List<String> KEYS = List.of("type", "minResource", "eta", "iterations", "minTrials");

  private SchedulerReader() {}

  /**
   * Reads the section at {@code /search/scheduler}; null after recording a problem.
   *
   * @param budget the budget, or null when it is unusable
   */
  static SchedulerSpec read(JsonCheck c, JsonNode node, BudgetSpec budget) {
    String ptr = "/search/scheduler";
    ObjectNode o;
    if (node.isTextual()) {
      o = JsonNodeFactory.instance.objectNode().put("type", node.asText());
    } else {
      o = c.object(ptr, node, "{\"type\": \"asha\", \"minResource\": 1, \"eta\": 3}");
    }
    if (o == null) {
      return null;
    }
    c.keys(ptr, o, KEYS);
    if (!c.require(ptr, o, "type", "\"asha\"")) {
      return null;
    }
    String typePtr = node.isTextual() ? ptr : ptr + "/type";
    String type = c.string(typePtr, o.get("type"), "use asha, hyperband, median-stop or successive-halving");
    if (type == null) {
      return null;
    }
    if (!SchedulerSpec.TYPES.contains(type)) {
      String near = SpecNames.suggest(type, SchedulerSpec.TYPES);
      c.problem(typePtr, "unknown scheduler '" + type + "'" + (near == null ? "" : " (did you mean '" + near + "'?)")
          + "; use one of " + String.join(", ", SchedulerSpec.TYPES));
      return null;
    }
    int minResource = 1;
    double eta = 3;
    int iterations = 0;
    int minTrials = 3;
    Long v;
    Double d;
    if (o.has("minResource") && (v = c.integer(ptr + "/minResource", o.get("minResource"), 1, 1_000_000,
        "use the fewest epochs a trial trains for, e.g. 1")) != null) {
      minResource = v.intValue();
    }
    if (o.has("eta") && (d = c.number(ptr + "/eta", o.get("eta"), 1.0001, 100, "use a reduction factor such as 3")) != null) {
      eta = d;
    }
    if (o.has("iterations") && (v = c.integer(ptr + "/iterations", o.get("iterations"), 0, 1_000_000,
        "use 0 for as many as the budget allows")) != null) {
      iterations = v.intValue();
    }
    if (o.has("minTrials") && (v = c.integer(ptr + "/minTrials", o.get("minTrials"), 1, 1_000_000,
        "use the number of trials needed before stopping any, e.g. 3")) != null) {
      minTrials = v.intValue();
    }
    if (budget != null && budget.maxEpochs() == 0) {
      c.problem("/search/budget", "a scheduler needs \"maxEpochs\" in the budget (the top fidelity); add e.g."
          + " \"maxEpochs\": 27");
      return null;
    }
    if (budget != null && minResource > budget.maxEpochs()) {
      c.problem(ptr + "/minResource", "minResource " + minResource + " is above the budget's maxEpochs "
          + budget.maxEpochs() + "; lower it");
      return null;
    }
    return new SchedulerSpec(type, minResource, eta, iterations, minTrials);
  }
}
