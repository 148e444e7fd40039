package dev.strata.dashboard;

import dev.strata.runs.ExperimentRecord;
import dev.strata.runs.Page;
import dev.strata.runs.RunEvent;
import dev.strata.runs.RunEventSource;
import dev.strata.runs.RunReader;
import dev.strata.runs.RunState;
import dev.strata.runs.TrialQuery;
import dev.strata.runs.WorkerRecord;
import dev.strata.search.trial.Configuration;
import dev.strata.search.trial.Direction;
import dev.strata.search.trial.EpochRecord;
import dev.strata.search.trial.StudyRecord;
import dev.strata.search.trial.TrialRecord;
import dev.strata.search.trial.TrialStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A run held in memory, both store and event source, as the experiments module's SQLite store and
 * runner would present it. Thread-safe: writers are serialised, readers see committed state, and
 * listeners hear each event after it is stored, in id order, on the writer's thread.
 *
 * <p>Event payloads follow docs/dashboard.md: {@code trial-started} {trialId, studyId, index,
 * strategy, seed}, {@code epoch} {trialId, epoch, trainLoss, valLoss, valMetric, seconds}, {@code
 * trial-finished} {trialId, studyId, status, value, parameters, trainSeconds}, {@code experiment}
 * {state}.
 */
class InMemoryRun implements RunReader, RunEventSource {

  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private final List<Consumer<RunEvent>> listeners = new CopyOnWriteArrayList<>();
  private ExperimentRecord experiment;
  private final List<StudyRecord> studies = new ArrayList<>();
  private final List<TrialRecord> trials = new ArrayList<>(); // index = id - 1
  private final Map<Long, List<EpochRecord>> curves = new HashMap<>();
  private final Map<Long, String> specs = new HashMap<>();
  private final List<RunEvent> events = new ArrayList<>(); // index = id - 1
  private volatile boolean closed;
  private volatile List<WorkerRecord> workers = List.of();
  /** Filtered and sorted trial lists by query shape, valid until the next write (like a store's indexes). */
  private final Map<String, List<TrialRecord>> views = new java.util.concurrent.ConcurrentHashMap<>();

  InMemoryRun(String name, String metric, Direction direction) {
    Instant now = Instant.now();
    this.experiment = new ExperimentRecord(name, RunState.RUNNING, metric, direction, now, now,
        "{\"name\":\"" + name + "\",\"objective\":{\"metric\":\"" + metric + "\"}}");
  }

  // ---- writing (the fake runner's side) ----

  /** Replaces the stored experiment file's JSON. */
  synchronized void setSpecJson(String json) {
    ExperimentRecord e = experiment;
    experiment = new ExperimentRecord(e.name(), e.state(), e.metric(), e.direction(), e.created(), e.updated(), json);
  }

  /** Replaces a trial's tags (as a strategy would have proposed them). */
  synchronized void setTags(long trialId, Map<String, String> tags) {
    lock.writeLock().lock();
    try {
      TrialRecord t = trials.get((int) trialId - 1);
      trials.set((int) trialId - 1, new TrialRecord(t.id(), t.studyId(), t.index(), t.configuration(), t.status(),
          t.value(), t.metrics(), t.parameters(), t.flops(), t.trainSeconds(), t.started(), t.finished(), t.worker(),
          t.reason(), tags));
      views.clear();
    } finally {
      lock.writeLock().unlock();
    }
  }

  synchronized StudyRecord addStudy(String strategy, long seed, int budgetTrials) {
    StudyRecord s;
    lock.writeLock().lock();
    try {
      s = new StudyRecord(studies.size() + 1, strategy, seed, budgetTrials, Map.of("population", 8));
      studies.add(s);
      views.clear();
    } finally {
      lock.writeLock().unlock();
    }
    return s;
  }

  synchronized long startTrial(long studyId, int index, Configuration config, String networkSpecJson) {
    return startTrial(studyId, index, config, networkSpecJson, null);
  }

  /** Starts a trial on a named worker; null picks local-1 or local-2 by id. */
  synchronized long startTrial(long studyId, int index, Configuration config, String networkSpecJson, String worker) {
    StudyRecord study = studies.get((int) studyId - 1);
    long id;
    RunEvent e;
    lock.writeLock().lock();
    try {
      id = trials.size() + 1;
      trials.add(new TrialRecord(id, studyId, index, config, TrialStatus.RUNNING, Double.NaN, Map.of(), 0, 0, 0,
          Instant.now(), null, worker != null ? worker : "local-" + (id % 2 + 1), "", Map.of("generation", String.valueOf(index / 8))));
      if (networkSpecJson != null) {
        specs.put(id, networkSpecJson);
      }
      e = appendEvent("trial-started", "{\"trialId\":" + id + ",\"studyId\":" + studyId + ",\"index\":" + index
          + ",\"strategy\":\"" + study.strategy() + "\",\"seed\":" + study.seed() + "}");
    } finally {
      lock.writeLock().unlock();
    }
    notify(e);
    return id;
  }

  synchronized void addEpoch(long trialId, int epoch, double trainLoss, double valLoss, double valMetric, double seconds) {
    RunEvent e;
    lock.writeLock().lock();
    try {
      curves.computeIfAbsent(trialId, k -> new ArrayList<>()).add(new EpochRecord(trialId, epoch, trainLoss, valLoss, valMetric, seconds));
      e = appendEvent("epoch", String.format(Locale.ROOT,
          "{\"trialId\":%d,\"epoch\":%d,\"trainLoss\":%s,\"valLoss\":%s,\"valMetric\":%s,\"seconds\":%s}",
          trialId, epoch, json(trainLoss), json(valLoss), json(valMetric), json(seconds)));
    } finally {
      lock.writeLock().unlock();
    }
    notify(e);
  }

  synchronized void finishTrial(long trialId, TrialStatus status, double value, long parameters, double trainSeconds, String reason) {
    finishTrial(trialId, status, value, parameters, trainSeconds, reason, Map.of());
  }

  /** As above, with more metrics (e.g. other goals, or a constraint violation). */
  synchronized void finishTrial(long trialId, TrialStatus status, double value, long parameters, double trainSeconds, String reason,
      Map<String, Double> more) {
    RunEvent e;
    lock.writeLock().lock();
    try {
      TrialRecord t = trials.get((int) trialId - 1);
      Map<String, Double> metrics = new java.util.HashMap<>(more);
      if (Double.isFinite(value)) {
        metrics.put(experiment.metric(), value);
        metrics.put("train_loss", 1 - value * 0.9);
      }
      trials.set((int) trialId - 1, new TrialRecord(t.id(), t.studyId(), t.index(), t.configuration(), status,
          value, metrics, parameters, parameters * 2.0, trainSeconds, t.started(), Instant.now(), t.worker(), reason, t.tags()));
      e = appendEvent("trial-finished", String.format(Locale.ROOT,
          "{\"trialId\":%d,\"studyId\":%d,\"status\":\"%s\",\"value\":%s,\"parameters\":%d,\"trainSeconds\":%s}",
          trialId, t.studyId(), status.name(), json(value), parameters, json(trainSeconds)));
    } finally {
      lock.writeLock().unlock();
    }
    notify(e);
  }

  /** Replaces the recorded workers (heartbeats are not events, as in the store). */
  void setWorkers(List<WorkerRecord> newWorkers) {
    workers = List.copyOf(newWorkers);
  }

  @Override
  public List<WorkerRecord> workers() {
    return workers;
  }

  synchronized void setState(RunState state) {
    RunEvent e;
    lock.writeLock().lock();
    try {
      experiment = new ExperimentRecord(experiment.name(), state, experiment.metric(), experiment.direction(),
          experiment.created(), Instant.now(), experiment.specJson());
      e = appendEvent("experiment", "{\"state\":\"" + state.label() + "\"}");
    } finally {
      lock.writeLock().unlock();
    }
    notify(e);
  }

  /** Appends an event of any type (tests use it to publish many events fast). */
  synchronized RunEvent emit(String type, String json) {
    RunEvent e;
    lock.writeLock().lock();
    try {
      e = appendEvent(type, json);
    } finally {
      lock.writeLock().unlock();
    }
    notify(e);
    return e;
  }

  private RunEvent appendEvent(String type, String json) {
    views.clear();
    RunEvent e = new RunEvent(events.size() + 1, type, Instant.now(), json);
    events.add(e);
    return e;
  }

  private void notify(RunEvent e) {
    for (Consumer<RunEvent> l : listeners) {
      l.accept(e);
    }
  }

  private static String json(double v) {
    return Double.isFinite(v) ? Double.toString(v) : "null";
  }

  int listenerCount() {
    return listeners.size();
  }

  boolean isClosed() {
    return closed;
  }

  // ---- RunEventSource ----

  @Override
  public AutoCloseable subscribe(Consumer<RunEvent> listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  // ---- RunReader ----

  @Override
  public ExperimentRecord experiment() {
    return read(() -> experiment);
  }

  @Override
  public List<StudyRecord> studies() {
    return read(() -> List.copyOf(studies));
  }

  @Override
  public Page<TrialRecord> trials(TrialQuery q) {
    return read(() -> {
      Map<Long, StudyRecord> byId = new HashMap<>();
      studies.forEach(s -> byId.put(s.id(), s));
      Predicate<TrialRecord> match = t -> {
        StudyRecord s = byId.get(t.studyId());
        return q.strategy().map(x -> x.equals(s.strategy())).orElse(true)
            && q.seed().map(x -> x == s.seed()).orElse(true)
            && q.status().map(x -> x == t.status()).orElse(true);
      };
      String key = q.strategy().orElse("") + "|" + q.seed().map(String::valueOf).orElse("") + "|"
          + q.status().map(Enum::name).orElse("") + "|" + q.sort() + "|" + q.ascending();
      List<TrialRecord> matched = views.computeIfAbsent(key,
          k -> trials.stream().filter(match).sorted(comparator(q.sort(), q.ascending())).toList());
      if (q.keyset()) {
        // Keyset as the SQLite store pages: after (or before) the anchor's position in the order.
        int at = q.beforeId() == TrialQuery.LAST ? matched.size() : -1;
        long anchor = q.afterId() != 0 ? q.afterId() : q.beforeId();
        for (int i = 0; i < matched.size() && at < 0; i++) {
          if (matched.get(i).id() == anchor) {
            at = i;
          }
        }
        if (at < 0) {
          throw new IllegalArgumentException("no trial " + anchor + " to page from");
        }
        int from = q.afterId() != 0 ? at + 1 : Math.max(0, at - q.limit());
        int to = q.afterId() != 0 ? Math.min(matched.size(), from + q.limit()) : at;
        return new Page<>(matched.subList(from, to), matched.size(), from, q.limit(), from > 0, to < matched.size());
      }
      int from = Math.min(q.offset(), matched.size());
      int to = Math.min(from + q.limit(), matched.size());
      return new Page<>(matched.subList(from, to), matched.size(), q.offset(), q.limit());
    });
  }

  private static Comparator<TrialRecord> comparator(String sort, boolean ascending) {
    Comparator<TrialRecord> key = switch (sort) {
      case "value" -> nanLast(TrialRecord::value, ascending);
      case "parameters" -> Comparator.comparingLong(TrialRecord::parameters);
      case "trainSeconds" -> Comparator.comparingDouble(TrialRecord::trainSeconds);
      case "finished" -> Comparator.comparing(TrialRecord::finished, Comparator.nullsLast(Comparator.naturalOrder()));
      default -> Comparator.comparingLong(TrialRecord::id);
    };
    if (!sort.equals("value") && !ascending) {
      key = key.reversed();
    }
    return key.thenComparingLong(TrialRecord::id);
  }

  private static Comparator<TrialRecord> nanLast(java.util.function.ToDoubleFunction<TrialRecord> f, boolean ascending) {
    return (a, b) -> {
      double x = f.applyAsDouble(a);
      double y = f.applyAsDouble(b);
      boolean nx = Double.isNaN(x);
      boolean ny = Double.isNaN(y);
      if (nx || ny) {
        return nx == ny ? 0 : nx ? 1 : -1;
      }
      return ascending ? Double.compare(x, y) : Double.compare(y, x);
    };
  }

  @Override
  public Optional<TrialRecord> trial(long id) {
    return read(() -> id >= 1 && id <= trials.size() ? Optional.of(trials.get((int) id - 1)) : Optional.empty());
  }

  @Override
  public List<EpochRecord> curve(long trialId) {
    return read(() -> List.copyOf(curves.getOrDefault(trialId, List.of())));
  }

  @Override
  public Optional<String> networkSpecJson(long trialId) {
    return read(() -> Optional.ofNullable(specs.get(trialId)));
  }

  @Override
  public List<RunEvent> eventsAfter(long afterId, int limit) {
    return read(() -> {
      int from = (int) Math.max(0, Math.min(afterId, events.size()));
      int to = Math.min(events.size(), from + limit);
      return List.copyOf(events.subList(from, to));
    });
  }

  @Override
  public long lastEventId() {
    return read(() -> (long) events.size());
  }

  @Override
  public void close() {
    closed = true;
  }

  private <T> T read(java.util.function.Supplier<T> f) {
    lock.readLock().lock();
    try {
      return f.get();
    } finally {
      lock.readLock().unlock();
    }
  }
}
