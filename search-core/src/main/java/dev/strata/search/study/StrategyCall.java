package dev.strata.search.study;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import dev.strata.search.trial.Outcome;
import dev.strata.search.trial.TrialStatus;
import java.util.Map;
import java.util.Optional;

/**
 * One entry of a study's call log: a call to the study's scheduler (for a plain strategy, a thin
 * adapter: {@code next} is {@code ask}, {@code complete} is {@code tell}). Resume replays the log
 * into a fresh strategy and scheduler. Immutable.
 *
 * @param seq position in the study's log, 0, 1, 2, ...
 * @param index NEXT: the first trial index returned (-1 for none); REPORT and COMPLETE: the trial
 * @param requested NEXT: the {@code n} passed to {@code next(n)}; 1 otherwise
 * @param resource REPORT and COMPLETE: the resource reached; NaN for NEXT
 * @param value REPORT: the reported value; NaN otherwise
 * @param detailJson NEXT: the jobs returned, a JSON array; COMPLETE: the outcome as JSON, or null
 *     when it is the trial row's final state (logs migrated from schema version 1)
 */
public record StrategyCall(
    long studyId, int seq, Kind kind, int index, int requested, double resource, double value, String detailJson) {

  /** Which scheduler method was called. */
  public enum Kind {
    NEXT,
    REPORT,
    COMPLETE
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The outcome a COMPLETE entry carries; empty when it must be read from the trial row. */
  public Optional<Outcome> outcome() {
    if (kind != Kind.COMPLETE || detailJson == null) {
      return Optional.empty();
    }
    JsonNode node = parse();
    JsonNode v = node.path("value");
    Map<String, Double> metrics = new java.util.TreeMap<>();
    node.path("metrics").properties().forEach(e -> metrics.put(e.getKey(),
        e.getValue().isNumber() ? e.getValue().doubleValue() : Double.NaN));
    return Optional.of(new Outcome(TrialStatus.valueOf(node.path("status").asText()),
        v.isNumber() ? v.doubleValue() : Double.NaN, metrics, node.path("reason").asText("")));
  }

  /** The trial indices a NEXT entry's jobs had, in order (for checking a replay). */
  public List<Integer> jobIndices() {
    List<Integer> out = new ArrayList<>();
    if (kind == Kind.NEXT && detailJson != null) {
      for (JsonNode job : parse()) {
        out.add(job.get("index").asInt());
      }
    }
    return out;
  }

  /** The JSON a COMPLETE entry stores for an outcome. */
  public static String outcomeJson(Outcome outcome) {
    ObjectNode json = JSON.createObjectNode().put("status", outcome.status().name());
    if (Double.isFinite(outcome.value())) {
      json.put("value", outcome.value());
    } else {
      json.putNull("value");
    }
    ObjectNode metrics = json.putObject("metrics");
    new java.util.TreeMap<>(outcome.metrics()).forEach((k, m) -> {
      if (Double.isFinite(m)) {
        metrics.put(k, m);
      } else {
        metrics.putNull(k);
      }
    });
    json.put("reason", outcome.reason());
    return json.toString();
  }

  private JsonNode parse() {
    try {
      return JSON.readTree(detailJson);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("study " + studyId + ": corrupt call log entry " + seq + ": " + e.getOriginalMessage(),
          e);
    }
  }
}
