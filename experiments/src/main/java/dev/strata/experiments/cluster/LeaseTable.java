package dev.strata.experiments.cluster;

import dev.strata.runs.WorkerRecord;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Who runs what in a cluster: tasks waiting for a worker, the workers (remote sessions and the
 * coordinator's local slots), the leases they hold, and the workers waiting for a task (long polls).
 *
 * <p>A task handed to a worker is a <em>lease</em>. It ends when the worker's result is {@link
 * #release released}, or is taken back (the task queued again, first in line) when its worker is
 * {@link #lose lost} or stops reporting it ({@link #revokeUnreported}). A result for a lease that
 * was taken back is late: {@link #release} refuses it and counts it.
 *
 * <p>Pure bookkeeping: no threads, no I/O, no clock (callers pass {@code System.nanoTime()} and
 * epoch milliseconds), nothing delivered (a hand-off to a waiting worker is returned for the caller
 * to deliver). Not thread-safe: the coordinator calls it under one lock.
 *
 * @param <T> the task
 */
final class LeaseTable<T> {

  static final String ACTIVE = "active";
  static final String LOST = "lost";
  static final String LEFT = "left";

  /** A registered worker: a remote session or a local slot. Mutable, owned by its table. */
  static final class Worker {
    final String session;
    final String name;
    final String nodeId;
    final String host;
    final int threads;
    final boolean local;
    private final Set<String> leases = new LinkedHashSet<>();
    private long trialsDone;
    private long lastHeartbeatNanos;
    private long lastHeartbeatMs;
    private String state = ACTIVE;

    private Worker(String session, String name, String nodeId, String host, int threads, boolean local, long nanos,
        long ms) {
      this.session = session;
      this.name = name;
      this.nodeId = nodeId;
      this.host = host;
      this.threads = threads;
      this.local = local;
      this.lastHeartbeatNanos = nanos;
      this.lastHeartbeatMs = ms;
    }

    boolean active() {
      return state.equals(ACTIVE);
    }

    String state() {
      return state;
    }

    long trialsDone() {
      return trialsDone;
    }
  }

  /** A task handed to a worker. */
  record Lease<T>(String id, T task, Worker worker, long sinceNanos) {}

  /** A worker's long poll: gets the next task that is queued while it waits. */
  record Waiter<T>(Worker worker, Consumer<Lease<T>> deliver) {}

  /** A task given to a waiting worker: the caller delivers {@code lease} to {@code waiter}. */
  record Handoff<T>(Waiter<T> waiter, Lease<T> lease) {
    void deliver() {
      waiter.deliver().accept(lease);
    }
  }

  private final ArrayDeque<T> queued = new ArrayDeque<>();
  private final ArrayDeque<Waiter<T>> waiters = new ArrayDeque<>();
  private final Map<String, Lease<T>> leases = new HashMap<>();
  private final Map<String, Worker> workers = new LinkedHashMap<>();
  private long requeued;
  private long lateResults;

  /**
   * Adds a worker under {@code baseName}, or {@code baseName-2}, {@code -3}… when an active worker
   * or a local slot has that name.
   */
  Worker add(String session, String baseName, String nodeId, String host, int threads, boolean local, long nanos,
      long ms) {
    Set<String> taken = new HashSet<>();
    for (Worker w : workers.values()) {
      if (w.active() || w.local) {
        taken.add(w.name);
      }
    }
    String name = baseName;
    for (int i = 2; taken.contains(name); i++) {
      name = baseName + "-" + i;
    }
    Worker w = new Worker(session, name, nodeId, host, Math.max(1, threads), local, nanos, ms);
    workers.put(session, w);
    return w;
  }

  /** A fresh session id. */
  static String newSession() {
    return UUID.randomUUID().toString();
  }

  /** The active remote workers of one cluster node (a worker process that registers again replaces them). */
  List<Worker> activeOnNode(String nodeId) {
    return workers.values().stream().filter(w -> !w.local && w.active() && w.nodeId.equals(nodeId)).toList();
  }

  /** The active remote worker of this session with its heartbeat refreshed; null when unknown, lost or left. */
  Worker alive(String session, long nanos, long ms) {
    Worker w = session == null ? null : workers.get(session);
    if (w == null || w.local || !w.active()) {
      return null;
    }
    w.lastHeartbeatNanos = nanos;
    w.lastHeartbeatMs = ms;
    return w;
  }

  /** The worker of a session, in any state; null when unknown. */
  Worker worker(String session) {
    return session == null ? null : workers.get(session);
  }

  /** The local slots. */
  List<Worker> localSlots() {
    return workers.values().stream().filter(w -> w.local).toList();
  }

  /**
   * Gives a task to the first waiting active worker, or queues it ({@code first}: at the head, for a
   * task taken back from a worker).
   */
  Optional<Handoff<T>> enqueue(T task, boolean first, long nanos) {
    Waiter<T> w;
    while ((w = waiters.poll()) != null) {
      if (w.worker().active()) {
        return Optional.of(new Handoff<>(w, lease(task, w.worker(), nanos)));
      }
    }
    if (first) {
      queued.addFirst(task);
    } else {
      queued.addLast(task);
    }
    return Optional.empty();
  }

  /** The next queued task as a lease of {@code worker}, or null when none is queued. */
  Lease<T> take(Worker worker, long nanos) {
    T task = queued.poll();
    return task == null ? null : lease(task, worker, nanos);
  }

  /** Registers a worker's long poll, served by the next {@link #enqueue}. */
  void await(Waiter<T> waiter) {
    waiters.add(waiter);
  }

  /** Ends a long poll that got nothing; false when it was served meanwhile. */
  boolean dropWaiter(Waiter<T> waiter) {
    return waiters.remove(waiter);
  }

  /** Every long poll, removed (the coordinator is closing). */
  List<Waiter<T>> drainWaiters() {
    List<Waiter<T>> all = new ArrayList<>(waiters);
    waiters.clear();
    return all;
  }

  /** Takes a task out of the queue before any worker got it; false when it is not queued. */
  boolean dequeue(T task) {
    return queued.remove(task);
  }

  /** The lease with this id while it is current; null once it was released or taken back. */
  Lease<T> current(String leaseId) {
    return leases.get(leaseId);
  }

  /**
   * Ends a lease with its worker's result and counts it as the worker's; returns null (and counts a
   * late result) when the lease is no longer current.
   */
  Lease<T> release(String leaseId) {
    Lease<T> l = leases.remove(leaseId);
    if (l == null) {
      lateResults++;
      return null;
    }
    l.worker().leases.remove(l.id());
    l.worker().trialsDone++;
    return l;
  }

  /**
   * Marks an active worker {@code lost} or {@code left} and takes back its leases; returns their
   * tasks, to be queued again first in line (nothing when the worker was not active).
   */
  List<T> lose(Worker worker, String state) {
    if (!worker.active()) {
      return List.of();
    }
    worker.state = state;
    waiters.removeIf(w -> w.worker() == worker);
    List<T> tasks = new ArrayList<>();
    for (String id : List.copyOf(worker.leases)) {
      tasks.add(revoke(leases.get(id)));
    }
    return tasks;
  }

  /**
   * Takes back the leases a worker's heartbeat no longer reports (the task never reached it: a lost
   * reply) once they are older than {@code graceNanos}; returns their tasks.
   */
  List<T> revokeUnreported(Worker worker, Set<String> reported, long nanos, long graceNanos) {
    List<T> tasks = new ArrayList<>();
    for (String id : List.copyOf(worker.leases)) {
      Lease<T> l = leases.get(id);
      if (!reported.contains(id) && nanos - l.sinceNanos() > graceNanos) {
        tasks.add(revoke(l));
      }
    }
    return tasks;
  }

  /** The leases a worker holds now. */
  List<Lease<T>> leasesOf(Worker worker) {
    return worker.leases.stream().map(leases::get).toList();
  }

  /** Active remote workers without a heartbeat for longer than {@code limitNanos}. */
  List<Worker> silent(long nanos, long limitNanos) {
    return workers.values().stream()
        .filter(w -> !w.local && w.active() && nanos - w.lastHeartbeatNanos > limitNanos).toList();
  }

  /** Every task queued or leased, removed (the coordinator is closing). */
  List<T> drainAll() {
    List<T> all = new ArrayList<>(queued);
    queued.clear();
    for (Lease<T> l : leases.values()) {
      all.add(l.task());
      l.worker().leases.clear();
    }
    leases.clear();
    return all;
  }

  /** The workers as the store records them, local slots first; a local slot's heartbeat is {@code nowMs}. */
  List<WorkerRecord> records(Function<T, Long> trialId, long nowMs) {
    List<WorkerRecord> out = new ArrayList<>();
    for (Worker w : workers.values()) {
      List<Long> current = leasesOf(w).stream().map(l -> trialId.apply(l.task())).sorted().toList();
      out.add(new WorkerRecord(w.name, w.host == null ? "" : w.host, w.threads, w.trialsDone, current,
          w.local ? nowMs : w.lastHeartbeatMs, w.state, w.local));
    }
    out.sort(Comparator.comparing((WorkerRecord r) -> !r.local()).thenComparing(WorkerRecord::name));
    return out;
  }

  int queuedCount() {
    return queued.size();
  }

  int leaseCount() {
    return leases.size();
  }

  long requeued() {
    return requeued;
  }

  long lateResults() {
    return lateResults;
  }

  private Lease<T> lease(T task, Worker worker, long nanos) {
    Lease<T> l = new Lease<>(UUID.randomUUID().toString(), Objects.requireNonNull(task, "task"), worker, nanos);
    leases.put(l.id(), l);
    worker.leases.add(l.id());
    return l;
  }

  private T revoke(Lease<T> l) {
    leases.remove(l.id());
    l.worker().leases.remove(l.id());
    requeued++;
    return l.task();
  }
}
