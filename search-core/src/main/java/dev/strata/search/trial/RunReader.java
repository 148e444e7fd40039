package dev.strata.search.trial;

import java.util.List;
import java.util.Optional;

/**
 * Read access to one run: what the dashboard and reports need, nothing that writes.
 *
 * <p>The experiments module's SQLite store implements it; the dashboard only sees this interface.
 * Implementations are thread-safe; every call sees a consistent snapshot of committed data.
 */
public interface RunReader extends AutoCloseable {

  ExperimentRecord experiment();

  List<StudyRecord> studies();

  /** A page of trials matching the query. */
  Page<TrialRecord> trials(TrialQuery query);

  Optional<TrialRecord> trial(long id);

  /** The trial's learning curve, by epoch. */
  List<EpochRecord> curve(long trialId);

  /** The network spec the trial trained, as JSON, when it was a network. */
  Optional<String> networkSpecJson(long trialId);

  /** Events with id > {@code afterId}, oldest first, at most {@code limit}. */
  List<RunEvent> eventsAfter(long afterId, int limit);

  /** The id of the newest event, 0 when none. */
  long lastEventId();

  /** The run's trial workers as last recorded, local slots first; empty when none were recorded. */
  default List<WorkerRecord> workers() {
    return List.of();
  }

  @Override
  void close();
}
