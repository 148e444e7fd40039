package dev.strata.runs;

import dev.strata.search.trial.EpochRecord;
import dev.strata.search.trial.StudyRecord;
import dev.strata.search.trial.TrialRecord;
import dev.strata.search.trial.TrialStatus;
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

  /**
   * Up to {@code limit} trials with id > {@code afterId}, in id order: keyset paging, so that reading
   * a whole run costs one index range per page however deep it goes. The default pages by offset;
   * a store should override it.
   */
  default List<TrialRecord> trialsAfter(long afterId, int limit) {
    List<TrialRecord> out = new java.util.ArrayList<>();
    int offset = 0;
    while (out.size() < limit) {
      Page<TrialRecord> p = trials(new TrialQuery(Optional.empty(), Optional.empty(), Optional.empty(), "id", true, offset, 1000));
      for (TrialRecord t : p.items()) {
        if (t.id() > afterId && out.size() < limit) {
          out.add(t);
        }
      }
      offset += p.items().size();
      if (p.items().isEmpty() || offset >= p.total()) {
        break;
      }
    }
    return out;
  }

  /**
   * Like {@link #trialsAfter(long, int)}, but the records may leave out the configuration, the
   * metrics but the constraint violation ({@link TrialRecord#isFeasible()} must still answer), and
   * the tags (empty), which a caller that only aggregates values does not need and a store need
   * not parse. The default returns the full records.
   */
  default List<TrialRecord> slimTrialsAfter(long afterId, int limit) {
    return trialsAfter(afterId, limit);
  }

  /**
   * The number of trials per study id and status (absent: none). The default counts with one
   * query per study and status; a store should answer it with one grouped query.
   */
  default java.util.Map<Long, java.util.Map<TrialStatus, Long>> statusCounts() {
    java.util.Map<Long, java.util.Map<TrialStatus, Long>> out = new java.util.LinkedHashMap<>();
    for (StudyRecord s : studies()) {
      java.util.Map<TrialStatus, Long> counts = new java.util.EnumMap<>(TrialStatus.class);
      for (TrialStatus st : TrialStatus.values()) {
        long n = trials(new TrialQuery(Optional.of(s.strategy()), Optional.of(s.seed()), Optional.of(st), "id", true, 0, 1)).total();
        if (n > 0) {
          counts.put(st, n);
        }
      }
      out.put(s.id(), counts);
    }
    return out;
  }

  /**
   * Each study's finished count, training seconds and best-so-far change points, as the store
   * maintains them while trials finish (so reading them costs the number of change points, not
   * of trials), or as it computes them once for a run stored before it maintained them, in study
   * id order; empty when the store can do neither (a reader then computes them from the trials).
   */
  default Optional<List<StudyProgress>> studyProgress() {
    return Optional.empty();
  }

  /**
   * The Pareto front in (objective, parameter count) as the store maintains (or, for an older
   * run, computes) it, by increasing parameter count (slim records: no configuration, metrics or
   * tags); empty when the store can do neither.
   */
  default Optional<List<TrialRecord>> paretoFront() {
    return Optional.empty();
  }

  /**
   * At most {@code max} trials spread evenly over the run's ids (any status), in id order, with
   * their configurations: a bounded sample for plots. The default reads every trial; a store
   * should look the chosen ids up.
   */
  default List<TrialRecord> sample(int max) {
    List<TrialRecord> all = new java.util.ArrayList<>();
    for (long after = 0; ; ) {
      List<TrialRecord> page = trialsAfter(after, 1000);
      all.addAll(page);
      if (page.size() < 1000) {
        break;
      }
      after = page.getLast().id();
    }
    if (all.size() <= max) {
      return all;
    }
    List<TrialRecord> out = new java.util.ArrayList<>(max);
    for (int i = 0; i < max; i++) {
      out.add(all.get((int) ((long) i * all.size() / max)));
    }
    return out;
  }

  /** The run's trial workers as last recorded, local slots first; empty when none were recorded. */
  default List<WorkerRecord> workers() {
    return List.of();
  }

  @Override
  void close();
}
