package dev.strata.experiments.cluster;

import java.time.Instant;
import java.util.Objects;

/**
 * Something that happened in the cluster, for the run log and the dashboard's event stream.
 * Immutable.
 *
 * @param type {@code worker-joined}, {@code worker-lost}, {@code worker-left}, {@code
 *     trial-requeued}, {@code late-result} or {@code message-rejected}
 * @param worker the worker concerned, or empty
 * @param trialId the trial concerned, or 0
 * @param detail a human sentence
 */
public record ClusterEvent(String type, Instant time, String worker, long trialId, String detail) {

  public ClusterEvent {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(time, "time");
    worker = worker == null ? "" : worker;
    detail = detail == null ? "" : detail;
  }

  @Override
  public String toString() {
    return type + (worker.isEmpty() ? "" : " " + worker) + (trialId == 0 ? "" : " trial " + trialId)
        + (detail.isEmpty() ? "" : ": " + detail);
  }
}
