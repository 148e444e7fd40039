package dev.strata.runs;

import java.util.List;
import java.util.Objects;

/**
 * One trial worker of a run as last recorded by its coordinator: a local slot or a remote
 * cluster worker. Immutable.
 *
 * @param name the worker's name, as in each trial's {@code worker} field
 * @param host the machine it runs on, as the worker reported it
 * @param threads trials it trains at once
 * @param trialsDone results it returned that the coordinator accepted
 * @param currentTrials ids of the trials it trains now
 * @param lastHeartbeatMs epoch milliseconds of its last heartbeat
 * @param state {@code active}, {@code lost} (silent or gone; its trials ran elsewhere) or {@code left}
 * @param local whether it is a thread of the coordinator itself
 */
public record WorkerRecord(
    String name,
    String host,
    int threads,
    long trialsDone,
    List<Long> currentTrials,
    long lastHeartbeatMs,
    String state,
    boolean local) {

  public WorkerRecord {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(state, "state");
    currentTrials = List.copyOf(currentTrials);
  }
}
