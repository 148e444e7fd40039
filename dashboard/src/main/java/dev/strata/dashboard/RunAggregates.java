package dev.strata.dashboard;

import dev.strata.runs.RunEvent;
import dev.strata.runs.RunReader;
import dev.strata.search.trial.Configuration;
import dev.strata.search.trial.Objectives;
import dev.strata.search.trial.TrialRecord;
import dev.strata.search.trial.TrialStatus;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The finished trials of one run, kept up to date incrementally, from which the whole-run views
 * (comparison, Pareto set, parameters) are computed: the table is read once, by id in pages
 * (keyset, {@link RunReader#trialsAfter}), and afterwards only the trials named by new {@code
 * trial-finished} events are read. A finished trial never changes (the store refuses), so a trial
 * is added once and never updated. Thread-safe: {@link #refresh} and the readers synchronise.
 *
 * <p>Memory stays small at 100,000 trials and more: each finished trial is kept as a slim {@link
 * TrialRecord} (no configuration, tags or times, and of its metrics only a constraint violation
 * and, for a multi-objective run, its goals; the first read asks the store for slim
 * rows, {@link RunReader#slimTrialsAfter}), and configurations only for a bounded, deterministic
 * sample of completed trials (ids divisible by a stride that doubles whenever the sample outgrows
 * {@link #SAMPLE_CAP}), for the parallel-coordinates plot, read when first needed.
 */
final class RunAggregates {

  /** The most configurations kept for the parameters view. */
  static final int SAMPLE_CAP = 2 * RunService.MAX_PLOT_POINTS;
  private static final int PAGE = 1000;
  private static final Configuration NONE = Configuration.of(Map.of());

  /** The metrics kept of each trial besides its violation: a multi-objective run's goals, for the Pareto view. */
  private final Set<String> keptMetrics;
  private final Map<Long, TrialRecord> finished = new HashMap<>();
  private final TreeMap<Long, Configuration> sample = new TreeMap<>();
  private long stride = 1;
  private boolean loaded;
  private long eventCursor;
  private long version;

  /** Aggregates that keep no metric but a trial's constraint violation. */
  RunAggregates() {
    this(Set.of());
  }

  /** Aggregates that also keep these metrics of every finished trial (then read in full rows, not slim ones). */
  RunAggregates(Set<String> keptMetrics) {
    this.keptMetrics = Set.copyOf(keptMetrics);
  }

  /** Brings the aggregates up to the reader's newest event; returns the version (changes with the data). */
  synchronized long refresh(RunReader reader) {
    if (!loaded) {
      eventCursor = reader.lastEventId(); // events after this are replayed below: adding is idempotent
      long after = 0;
      while (true) {
        List<TrialRecord> page = keptMetrics.isEmpty() ? reader.slimTrialsAfter(after, PAGE) : reader.trialsAfter(after, PAGE);
        page.forEach(this::add);
        if (page.size() < PAGE) {
          break;
        }
        after = page.getLast().id();
      }
      loaded = true;
      version++;
    }
    while (true) {
      List<RunEvent> events = reader.eventsAfter(eventCursor, 5000);
      if (events.isEmpty()) {
        return version;
      }
      Set<Long> ids = new LinkedHashSet<>();
      for (RunEvent e : events) {
        if (e.type().equals("trial-finished")) {
          Object id = new JsonObject(e.json()).getValue("trialId");
          if (id instanceof Number n) {
            ids.add(n.longValue());
          }
        }
      }
      for (long id : ids) {
        if (!finished.containsKey(id)) {
          reader.trial(id).ifPresent(this::add);
        }
      }
      eventCursor = events.getLast().id();
      if (!ids.isEmpty()) {
        version++;
      }
      if (events.size() < 5000) {
        return version;
      }
    }
  }

  private void add(TrialRecord t) {
    if (!t.status().isFinished() || finished.containsKey(t.id())) {
      return;
    }
    finished.put(t.id(), new TrialRecord(t.id(), t.studyId(), t.index(), NONE, t.status(), t.value(), keptOf(t),
        t.parameters(), t.flops(), t.trainSeconds(), null, null, "", "", Map.of()));
    if (t.status() == TrialStatus.COMPLETED && Double.isFinite(t.value()) && t.id() % stride == 0) {
      // A slim record has no configuration: it is read when the sample is first used.
      sample.put(t.id(), t.configuration().values().isEmpty() ? null : t.configuration());
      while (sample.size() > SAMPLE_CAP) {
        stride *= 2;
        sample.keySet().removeIf(id -> id % stride != 0);
      }
    }
  }

  /** The finished trials (slim: no configuration, metrics, tags or times), in id order. */
  synchronized List<TrialRecord> finishedTrials() {
    List<TrialRecord> out = new ArrayList<>(finished.values());
    out.sort((a, b) -> Long.compare(a.id(), b.id()));
    return out;
  }

  /** How many finished trials are known. */
  synchronized int size() {
    return finished.size();
  }

  /** The sampled completed trials with their configurations (read from {@code reader} once), in id order. */
  synchronized List<TrialRecord> sampled(RunReader reader) {
    for (var e : sample.entrySet()) {
      if (e.getValue() == null) {
        e.setValue(reader.trial(e.getKey()).map(TrialRecord::configuration).orElse(NONE));
      }
    }
    List<TrialRecord> out = new ArrayList<>(sample.size());
    sample.forEach((id, config) -> {
      TrialRecord t = finished.get(id);
      out.add(new TrialRecord(t.id(), t.studyId(), t.index(), config, t.status(), t.value(), t.metrics(), t.parameters(), 0,
          t.trainSeconds(), null, null, "", "", Map.of()));
    });
    return out;
  }

  /** Of a trial's metrics, those kept: its constraint violation (which decides whether it counts) and the kept ones. */
  private Map<String, Double> keptOf(TrialRecord t) {
    if (keptMetrics.isEmpty()) {
      return t.isFeasible() ? Map.of() : Map.of(Objectives.VIOLATION, t.violation());
    }
    Map<String, Double> out = new HashMap<>();
    t.metrics().forEach((k, v) -> {
      if (keptMetrics.contains(k) || k.equals(Objectives.VIOLATION)) {
        out.put(k, v);
      }
    });
    return Map.copyOf(out);
  }

  /** Completed trials with a finite value, the population the sample was drawn from. */
  synchronized long completed() {
    return finished.values().stream().filter(t -> t.status() == TrialStatus.COMPLETED && Double.isFinite(t.value())).count();
  }
}
