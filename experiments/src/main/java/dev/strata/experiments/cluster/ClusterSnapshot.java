package dev.strata.experiments.cluster;

import dev.strata.runs.WorkerRecord;
import java.util.List;

/**
 * The coordinator's view of its cluster at one moment, for the dashboard and the log. Immutable.
 *
 * @param workers every worker that registered in this session, local slots first, then by name
 * @param queued trials waiting for a worker
 * @param running trials handed to a worker and not yet back
 * @param requeued times a trial was taken back from a lost worker and queued again
 * @param lateResults results that arrived for a trial already requeued or finished (ignored)
 * @param rejectedMessages messages refused for a wrong cluster name or signature
 */
public record ClusterSnapshot(
    List<WorkerRecord> workers, int queued, int running, long requeued, long lateResults, long rejectedMessages) {

  public ClusterSnapshot {
    workers = List.copyOf(workers);
  }

  /** Workers currently active. */
  public long activeWorkers() {
    return workers.stream().filter(w -> w.state().equals("active")).count();
  }
}
