package dev.strata.experiments.cluster;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One worker as the coordinator sees it, for the dashboard's worker table. Immutable snapshot.
 *
 * @param name the worker's name as stored in each trial's {@code worker} field
 * @param host the machine it runs on (as the worker reported it)
 * @param threads trials it trains at once
 * @param trialsDone results it returned and the coordinator accepted
 * @param currentTrials ids of the trials it trains now
 * @param lastHeartbeat when it last reported (for local slots: now)
 * @param state {@code active}, {@code lost} (silent or gone; its trials ran elsewhere) or {@code left}
 * @param local whether it is a thread of the coordinator itself ({@code --local-workers})
 */
public record WorkerInfo(
    String name,
    String host,
    int threads,
    long trialsDone,
    List<Long> currentTrials,
    Instant lastHeartbeat,
    String state,
    boolean local) {

  public WorkerInfo {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(state, "state");
    currentTrials = List.copyOf(currentTrials);
  }
}
