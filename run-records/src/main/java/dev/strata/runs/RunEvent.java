package dev.strata.runs;

import java.time.Instant;
import java.util.Objects;

/**
 * One entry of a run's event log, as streamed to dashboards. Immutable.
 *
 * <p>Ids increase strictly within a run and have no gaps in the store, so a client that saw id
 * {@code n} can ask for everything after {@code n}.
 *
 * @param type {@code trial-started}, {@code epoch}, {@code trial-finished} or {@code experiment}
 * @param json the payload, a JSON object
 */
public record RunEvent(long id, String type, Instant time, String json) {

  public RunEvent {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(json, "json");
  }
}
