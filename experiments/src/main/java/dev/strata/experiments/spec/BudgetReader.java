package dev.strata.experiments.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;

/**
 * Reads the {@code search.budget} section of an experiment into a {@link BudgetSpec}; {@code
 * hours}, {@code minutes} and {@code seconds} add up to one wall-clock limit. Records every
 * mistake in the given {@link JsonCheck}. Part of {@link ExperimentReader}; stateless.
 */
final class BudgetReader {

  static final List<String> KEYS = List.of("trials", "hours", "minutes", "seconds", "trainMinutes", "maxEpochs",
      "trialSeconds");

  private BudgetReader() {}

  /** Reads the section at {@code /search/budget}; null after recording a problem. */
  static BudgetSpec read(JsonCheck c, JsonNode node) {
    String ptr = "/search/budget";
    ObjectNode o = c.object(ptr, node, "{\"trials\": 50, \"minutes\": 30}");
    if (o == null) {
      return null;
    }
    c.keys(ptr, o, KEYS);
    int trials = 0;
    Long v;
    Double d;
    if (o.has("trials") && (v = c.integer(ptr + "/trials", o.get("trials"), 1, 10_000_000,
        "use the number of trials per strategy and seed, e.g. 50")) != null) {
      trials = v.intValue();
    }
    double seconds = 0;
    if (o.has("hours") && (d = c.number(ptr + "/hours", o.get("hours"), 0, 10_000, "use hours such as 8 or 0.5")) != null) {
      seconds += d * 3600;
    }
    if (o.has("minutes") && (d = c.number(ptr + "/minutes", o.get("minutes"), 0, 1e6, "use minutes such as 30")) != null) {
      seconds += d * 60;
    }
    if (o.has("seconds") && (d = c.number(ptr + "/seconds", o.get("seconds"), 0, 1e8, "use seconds such as 90")) != null) {
      seconds += d;
    }
    double trainSeconds = 0;
    if (o.has("trainMinutes") && (d = c.number(ptr + "/trainMinutes", o.get("trainMinutes"), 0.001, 1e7,
        "use minutes of training per strategy and seed, e.g. 10")) != null) {
      trainSeconds = d * 60;
    }
    int maxEpochs = 0;
    if (o.has("maxEpochs") && (v = c.integer(ptr + "/maxEpochs", o.get("maxEpochs"), 1, 1_000_000,
        "use a number of epochs such as 20")) != null) {
      maxEpochs = v.intValue();
    }
    double trialSeconds = 0;
    if (o.has("trialSeconds") && (d = c.number(ptr + "/trialSeconds", o.get("trialSeconds"), 0.001, 1e8,
        "use seconds such as 120")) != null) {
      trialSeconds = d;
    }
    if (!o.has("trials") && !o.has("hours") && !o.has("minutes") && !o.has("seconds") && !o.has("trainMinutes")) {
      c.problem(ptr, "the budget has no limit; add \"trials\" (per strategy and seed) and/or \"hours\"/\"minutes\"");
      return null;
    }
    if (trials == 0 && seconds == 0 && trainSeconds == 0) {
      if (c.ok()) {
        c.problem(ptr, "the budget is zero; give a positive \"trials\", \"hours\", \"minutes\" or \"trainMinutes\"");
      }
      return null;
    }
    return new BudgetSpec(trials, Duration.ofMillis(Math.round(seconds * 1000)), trainSeconds, maxEpochs, trialSeconds);
  }
}
