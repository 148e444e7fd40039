package dev.strata.experiments.cluster;

import dev.strata.experiments.run.TaskRun;
import dev.strata.experiments.run.TrialEvaluator;
import dev.strata.experiments.run.TrialExecutor;
import dev.strata.experiments.run.TrialMessage;
import dev.strata.experiments.run.TrialResult;
import dev.strata.experiments.run.TrialTask;
import dev.strata.search.trial.EpochRecord;
import dev.strata.search.trial.TrialStatus;
import dev.strata.trainer.data.Dataset;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The coordinator's side of a cluster: a {@link TrialExecutor} whose workers are remote processes
 * (over the event bus) and, optionally, local slots of this process. The runner submits tasks; each
 * goes to whichever worker asks first, and everything that happens to it is posted to the runner's
 * inbox as on one machine. Only the runner writes the store.
 *
 * <p><b>Pull, not push.</b> Each worker thread asks for a task when it is free (long poll), so a
 * fast machine takes more. Who holds what is the {@link LeaseTable}'s: a lease ends with the
 * worker's result, or is taken back and its task queued again (first in line) when its worker
 * leaves the cluster (Hazelcast membership), stops sending heartbeats for {@link
 * ClusterConfig#workerTimeout()}, or no longer reports the lease. A result for a lease that was
 * taken back is ignored, logged and counted ({@link ClusterSnapshot#lateResults()}).
 *
 * <p><b>Stopping.</b> {@link #cancel} ends a queued task at once (INTERRUPTED); a running one is
 * told to stop in the reply to its next epoch report or heartbeat, and its worker's result ends it.
 *
 * <p>Thread-safe: event-bus handlers run on the event loop and never block; the table is guarded by
 * one lock. Call order: {@link #builder}, {@link Builder#start()}, then {@link #submit} and {@link
 * #cancel} (the runner's thread), {@link #snapshot()} at any time, and {@link #close()} once.
 */
public final class ClusterCoordinator implements TrialExecutor {

  /** Checkpoints larger than this are not shipped to or from workers (the trial restarts from scratch). */
  static final long MAX_CHECKPOINT_BYTES = 64L << 20;

  private final ClusterConfig config;
  private final MessageAuth auth;
  private final String experimentJson;
  private final String experimentId;
  private final DatasetServer dataset;
  private final String version;
  private final TrialEvaluator localEvaluator;
  private final Consumer<ClusterEvent> listener;
  private final long pullWaitMs;
  /** Cluster events to the listener, in order; and results' checkpoint files, off the event loop. */
  private final ExecutorService eventThread;
  private final ExecutorService resultThread;

  private ClusterNode node;
  private final List<Thread> localThreads = new ArrayList<>();
  private final List<MessageConsumer<Buffer>> consumers = new ArrayList<>();
  private long checkerTimer = -1;

  private final Object lock = new Object();
  private final LeaseTable<Dispatch> table = new LeaseTable<>(); // guarded by lock
  private long rejected; // guarded by lock
  private final Map<Long, Dispatch> dispatches = new ConcurrentHashMap<>();
  private volatile boolean closed;

  private ClusterCoordinator(Builder b) {
    this.config = b.config;
    this.auth = new MessageAuth(config.clusterName(), config.secret());
    this.experimentJson = b.experimentJson;
    this.experimentId = Protocol.experimentId(b.experimentJson);
    this.dataset = new DatasetServer(b.dataset);
    this.version = b.version;
    this.localEvaluator = b.localEvaluator;
    this.listener = b.events;
    this.pullWaitMs = b.pullWaitMs;
    this.eventThread = singleThread("strata-cluster-events");
    this.resultThread = singleThread("strata-cluster-results");
    long nanos = System.nanoTime();
    for (int i = 1; i <= b.localSlots; i++) {
      table.add("local-" + i, "local-" + i, "", localHost(), 1, true, nanos, System.currentTimeMillis());
    }
  }

  /**
   * A builder.
   *
   * @param experimentJson the experiment as stored ({@code ExperimentSpec.json()}); sent to each
   *     worker, whose {@link EvaluatorFactory} builds its evaluator from it
   */
  public static Builder builder(ClusterConfig config, String experimentJson) {
    return new Builder(config, experimentJson);
  }

  private void start() {
    node = ClusterNode.start(config);
    try {
      register(Protocol.REGISTER, this::onRegister);
      register(Protocol.PULL, this::onPull);
      register(Protocol.EPOCH, this::onEpoch);
      register(Protocol.RESULT, this::onResult);
      register(Protocol.HEARTBEAT, this::onHeartbeat);
      register(Protocol.DATASET, (body, m) -> dataset.serve(body, m, auth));
      register(Protocol.LEAVE, this::onLeave);
      for (MessageConsumer<Buffer> c : consumers) {
        c.completion().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
      node.onMemberRemoved(this::onMemberRemoved);
      checkerTimer = node.vertx().setPeriodic(500, id -> checkHeartbeats());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
      throw new IllegalStateException("interrupted while starting the coordinator", e);
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      close();
      throw new IllegalStateException("cannot start the cluster coordinator: " + e.getMessage(), e);
    }
    List<LeaseTable.Worker> slots;
    synchronized (lock) {
      slots = table.localSlots();
    }
    for (LeaseTable.Worker s : slots) {
      Thread t = new Thread(() -> localLoop(s), "strata-cluster-" + s.name);
      t.setDaemon(true);
      localThreads.add(t);
      t.start();
    }
  }

  private void register(String endpoint, BiConsumer<JsonObject, Message<Buffer>> handler) {
    String address = Protocol.address(config.clusterName(), endpoint);
    Handler<Message<Buffer>> checked = m -> {
      String why = auth.check(address, m.headers(), m.body());
      if (why != null) {
        synchronized (lock) {
          rejected++;
        }
        emit("message-rejected", "", 0, endpoint + " message rejected: " + why);
        m.fail(Protocol.REJECTED, "rejected by the coordinator: " + why);
        return;
      }
      JsonObject body;
      try {
        body = new JsonObject(m.body());
      } catch (RuntimeException e) {
        m.fail(400, "not a JSON object");
        return;
      }
      try {
        handler.accept(body, m);
      } catch (RuntimeException e) {
        m.fail(500, "coordinator error: " + e);
      }
    };
    consumers.add(node.vertx().eventBus().consumer(address, checked));
  }

  // ------------------------------------------------------------------ the runner's side

  @Override
  public void submit(TrialTask task, Consumer<TrialMessage> inbox) {
    Dispatch d = new Dispatch(task, inbox, task.resumeFrom().map(ClusterCoordinator::readCheckpoint).orElse(null));
    if (closed) {
      d.interrupt("the cluster coordinator is closed");
      return;
    }
    dispatches.put(task.trialId(), d);
    enqueue(d, false);
  }

  @Override
  public void cancel(TrialTask task) {
    Dispatch d = dispatches.get(task.trialId());
    if (d == null || d.task != task) {
      return;
    }
    d.cancel = true;
    boolean wasQueued;
    synchronized (lock) {
      wasQueued = table.dequeue(d);
    }
    if (wasQueued) {
      dispatches.remove(task.trialId(), d);
      d.interrupt("stopped before a worker took it");
    }
  }

  /** The worker registry and counters now. */
  public ClusterSnapshot snapshot() {
    synchronized (lock) {
      return new ClusterSnapshot(table.records(d -> d.task.trialId(), System.currentTimeMillis()), table.queuedCount(),
          table.leaseCount(), table.requeued(), table.lateResults(), rejected);
    }
  }

  /** The cluster settings in force. */
  public ClusterConfig config() {
    return config;
  }

  /** The Hazelcast port and event-bus port actually bound (useful when 0 was asked). */
  public String describe() {
    return "coordinator of cluster '" + config.clusterName() + "' on " + config.host() + ":" + config.port()
        + " (event bus port " + config.eventBusPort() + (config.tls() != null ? ", TLS" : "")
        + (auth.signs() ? ", signed messages" : ", UNAUTHENTICATED") + ")";
  }

  /** Stops handing out tasks and leaves the cluster; tasks not yet ended end INTERRUPTED. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    List<LeaseTable.Waiter<Dispatch>> pending;
    List<Dispatch> open;
    synchronized (lock) {
      pending = table.drainWaiters();
      open = table.drainAll();
    }
    for (LeaseTable.Waiter<Dispatch> w : pending) {
      w.deliver().accept(null);
    }
    for (Thread t : localThreads) {
      t.interrupt();
    }
    if (node != null) {
      if (checkerTimer >= 0) {
        node.vertx().cancelTimer(checkerTimer);
      }
      node.close();
    }
    for (Thread t : localThreads) {
      try {
        t.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    for (Dispatch d : open) {
      if (dispatches.remove(d.task.trialId(), d) && !d.local) {
        d.interrupt("the cluster coordinator closed");
      }
    }
    eventThread.shutdown();
    resultThread.shutdown();
  }

  // ------------------------------------------------------------------ queue and leases

  private void enqueue(Dispatch d, boolean first) {
    Optional<LeaseTable.Handoff<Dispatch>> handoff;
    synchronized (lock) {
      handoff = table.enqueue(d, first, System.nanoTime());
      handoff.ifPresent(h -> started(h.lease()));
    }
    handoff.ifPresent(LeaseTable.Handoff::deliver);
  }

  /** A worker took a task: the runner hears which. Caller holds the lock. */
  private static void started(LeaseTable.Lease<Dispatch> l) {
    l.task().local = l.worker().local;
    l.task().inbox.accept(new TrialMessage.Started(l.task().task, l.worker().name));
  }

  /** Queues again the tasks taken back from a worker; a cancelled one ends instead. */
  private void requeue(List<Dispatch> again, String worker, String why) {
    for (Dispatch d : again) {
      emit("trial-requeued", worker, d.task.trialId(), why);
      if (d.cancel) {
        dispatches.remove(d.task.trialId(), d);
        d.interrupt("stopped after its worker was lost");
      } else {
        enqueue(d, true);
      }
    }
  }

  /** Marks a worker lost or gone and queues its tasks again. */
  private void lose(LeaseTable.Worker worker, String state, String why) {
    List<Dispatch> again;
    synchronized (lock) {
      if (!worker.active()) {
        return;
      }
      again = table.lose(worker, state);
    }
    List<Long> ids = again.stream().map(d -> d.task.trialId()).toList();
    emit(state.equals(LeaseTable.LEFT) ? "worker-left" : "worker-lost", worker.name, 0,
        why + (ids.isEmpty() ? "" : "; trials " + ids + " queued again"));
    requeue(again, worker.name, "its worker " + worker.name + " " + why);
  }

  // ------------------------------------------------------------------ local slots

  /** A local slot: takes tasks like a remote worker and evaluates them in this process. */
  private void localLoop(LeaseTable.Worker slot) {
    while (!closed) {
      java.util.concurrent.CompletableFuture<LeaseTable.Lease<Dispatch>> next = new java.util.concurrent.CompletableFuture<>();
      LeaseTable.Lease<Dispatch> l;
      synchronized (lock) {
        l = table.take(slot, System.nanoTime());
        if (l != null) {
          started(l);
        } else {
          table.await(new LeaseTable.Waiter<>(slot, next::complete));
        }
      }
      try {
        if (l == null) {
          l = next.get();
        }
      } catch (InterruptedException e) {
        return;
      } catch (ExecutionException e) {
        continue;
      }
      if (l == null) {
        continue;
      }
      LeaseTable.Lease<Dispatch> lease = l;
      Dispatch d = lease.task();
      TaskRun.execute(localEvaluator, d.task, message -> {
        if (message instanceof TrialMessage.Ended) {
          synchronized (lock) {
            table.release(lease.id());
          }
          dispatches.remove(d.task.trialId(), d);
        }
        d.inbox.accept(message);
      }, () -> closed || d.cancel);
    }
  }

  // ------------------------------------------------------------------ event-bus handlers (event loop: never block)

  private void onRegister(JsonObject body, Message<Buffer> m) {
    String workerVersion = body.getString("version", "");
    if (!version.equals(workerVersion)) {
      emit("message-rejected", body.getString("name", ""), 0, "worker runs Strata " + workerVersion + ", coordinator "
          + version);
      m.fail(Protocol.VERSION_MISMATCH, "the worker runs Strata " + workerVersion + " but the coordinator runs "
          + version + ": results would not be reproducible; install the same build on every machine");
      return;
    }
    String nodeId = body.getString("node", "");
    List<LeaseTable.Worker> replaced;
    synchronized (lock) {
      replaced = table.activeOnNode(nodeId);
    }
    for (LeaseTable.Worker w : replaced) {
      lose(w, LeaseTable.LEFT, "registered again");
    }
    LeaseTable.Worker worker;
    synchronized (lock) {
      worker = table.add(LeaseTable.newSession(), clean(body.getString("name", "worker")), nodeId,
          body.getString("host", "?"), body.getInteger("threads", 1), false, System.nanoTime(),
          System.currentTimeMillis());
    }
    emit("worker-joined", worker.name, 0, worker.threads + " thread" + (worker.threads == 1 ? "" : "s") + " on "
        + worker.host);
    JsonObject reply = new JsonObject().put("session", worker.session).put("name", worker.name)
        .put("experiment", experimentJson).put("experimentId", experimentId)
        .put("heartbeatMs", config.heartbeat().toMillis())
        .put("timeoutMs", config.workerTimeout().toMillis()).put("pullWaitMs", pullWaitMs);
    JsonObject data = dataset.describe();
    if (data != null) {
      reply.put("dataset", data);
    }
    reply(m, reply);
  }

  private void onPull(JsonObject body, Message<Buffer> m) {
    LeaseTable.Worker worker;
    LeaseTable.Lease<Dispatch> l = null;
    LeaseTable.Waiter<Dispatch> w = null;
    synchronized (lock) {
      worker = alive(body.getString("session"));
      if (worker != null && !closed) {
        l = table.take(worker, System.nanoTime());
        if (l != null) {
          started(l);
        } else {
          w = new LeaseTable.Waiter<>(worker, lease -> reply(m, lease == null ? new JsonObject() : taskJson(lease)));
          table.await(w);
        }
      }
    }
    if (worker == null) {
      reply(m, new JsonObject().put("error", "unknown-session"));
    } else if (l != null) {
      reply(m, taskJson(l));
    } else if (w != null) {
      LeaseTable.Waiter<Dispatch> waiter = w;
      node.vertx().setTimer(pullWaitMs, id -> {
        boolean mine;
        synchronized (lock) {
          mine = table.dropWaiter(waiter);
        }
        if (mine) {
          reply(m, new JsonObject());
        }
      });
    } else {
      reply(m, new JsonObject());
    }
  }

  private JsonObject taskJson(LeaseTable.Lease<Dispatch> l) {
    Dispatch d = l.task();
    TrialTask t = d.task;
    return new JsonObject().put("task", Protocol.toJson(new Protocol.Task(l.id(), experimentId, t.trialId(), t.seed(),
        t.resource(), t.maxSeconds(), t.configuration().canonicalJson(), d.resumeFrom)));
  }

  private void onEpoch(JsonObject body, Message<Buffer> m) {
    LeaseTable.Lease<Dispatch> l;
    synchronized (lock) {
      alive(body.getString("session"));
      l = table.current(body.getString("lease", ""));
    }
    if (l == null) {
      reply(m, new JsonObject().put("continue", false));
      return;
    }
    Dispatch d = l.task();
    EpochRecord epoch = new EpochRecord(d.task.trialId(), body.getInteger("epoch"),
        Protocol.d(body.getString("trainLoss")), Protocol.d(body.getString("valLoss")),
        Protocol.d(body.getString("valMetric")), Protocol.d(body.getString("seconds")));
    d.inbox.accept(new TrialMessage.Epoch(d.task, epoch, go -> {
      if (!go) {
        d.cancel = true;
      }
      reply(m, new JsonObject().put("continue", go && !d.cancel));
    }));
  }

  private void onResult(JsonObject body, Message<Buffer> m) {
    String session = body.getString("session");
    TrialResult result = body.containsKey("result") ? Protocol.result(body.getJsonObject("result")) : null;
    String error = body.getString("error");
    String ckpt = body.getString("checkpoint");
    LeaseTable.Lease<Dispatch> l;
    String lateWorker = null;
    synchronized (lock) {
      alive(session);
      l = table.release(body.getString("lease", ""));
      if (l == null) {
        LeaseTable.Worker w = table.worker(session);
        lateWorker = w == null ? "" : w.name;
      }
    }
    if (l == null) {
      emit("late-result", lateWorker, body.getLong("trialId", 0L),
          "a result arrived for a trial that was already queued again or finished; ignored");
      reply(m, new JsonObject().put("accepted", false));
      return;
    }
    Dispatch d = l.task();
    dispatches.remove(d.task.trialId(), d);
    String worker = l.worker().name;
    String failure = result == null && error == null ? "the worker sent no result" : error;
    byte[] checkpoint = ckpt == null ? null : Base64.getDecoder().decode(ckpt);
    resultThread.execute(() -> {
      if (checkpoint != null) {
        writeCheckpoint(d.task.checkpointPath(), checkpoint);
      }
      d.inbox.accept(new TrialMessage.Ended(d.task, failure == null ? result : null,
          failure == null ? null : new RemoteTrialException(worker, failure), (System.nanoTime() - d.sinceNanos) / 1e9));
    });
    reply(m, new JsonObject().put("accepted", true));
  }

  private void onHeartbeat(JsonObject body, Message<Buffer> m) {
    Set<String> reported = new HashSet<>();
    body.getJsonArray("leases", new JsonArray()).forEach(x -> reported.add(String.valueOf(x)));
    JsonArray cancel = new JsonArray();
    List<Dispatch> again;
    LeaseTable.Worker worker;
    long grace = TimeUnit.MILLISECONDS.toNanos(2 * config.heartbeat().toMillis() + pullWaitMs + 5_000);
    synchronized (lock) {
      worker = alive(body.getString("session"));
      if (worker == null) {
        reply(m, new JsonObject().put("known", false));
        return;
      }
      for (LeaseTable.Lease<Dispatch> l : table.leasesOf(worker)) {
        if (reported.contains(l.id()) && l.task().cancel) {
          cancel.add(l.id());
        }
      }
      again = table.revokeUnreported(worker, reported, System.nanoTime(), grace);
    }
    requeue(again, worker.name, "the worker never started it (lost reply)");
    reply(m, new JsonObject().put("known", true).put("cancel", cancel));
  }

  private void onLeave(JsonObject body, Message<Buffer> m) {
    LeaseTable.Worker worker;
    synchronized (lock) {
      worker = alive(body.getString("session"));
    }
    if (worker != null) {
      lose(worker, LeaseTable.LEFT, "left the cluster");
    }
    reply(m, new JsonObject());
  }

  private void onMemberRemoved(String nodeId) {
    List<LeaseTable.Worker> gone;
    synchronized (lock) {
      gone = table.activeOnNode(nodeId);
    }
    for (LeaseTable.Worker w : gone) {
      lose(w, LeaseTable.LOST, "left the cluster (membership)");
    }
  }

  private void checkHeartbeats() {
    List<LeaseTable.Worker> silent;
    synchronized (lock) {
      silent = table.silent(System.nanoTime(), config.workerTimeout().toNanos());
    }
    for (LeaseTable.Worker w : silent) {
      lose(w, LeaseTable.LOST, "sent no heartbeat for " + config.workerTimeout().toSeconds() + " s");
    }
  }

  /** The active remote worker of a session, its heartbeat refreshed; null when unknown or lost. Caller holds the lock. */
  private LeaseTable.Worker alive(String session) {
    return table.alive(session, System.nanoTime(), System.currentTimeMillis());
  }

  private void reply(Message<Buffer> m, JsonObject body) {
    Buffer b = body.toBuffer();
    m.reply(b, auth.reply(m.headers(), b));
  }

  private void emit(String type, String worker, long trialId, String detail) {
    if (listener == null) {
      return;
    }
    ClusterEvent e = new ClusterEvent(type, Instant.now(), worker, trialId, detail);
    try {
      eventThread.execute(() -> {
        try {
          listener.accept(e);
        } catch (RuntimeException ignored) {
          // a listener's failure must not stop the cluster
        }
      });
    } catch (java.util.concurrent.RejectedExecutionException ignored) {
      // closing
    }
  }

  private static ExecutorService singleThread(String name) {
    return Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    });
  }

  private static String clean(String name) {
    String s = name.replaceAll("[^A-Za-z0-9._@-]", "-");
    return s.isEmpty() ? "worker" : s.length() > 64 ? s.substring(0, 64) : s;
  }

  static String localHost() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }

  private static byte[] readCheckpoint(Path p) {
    try {
      return Files.size(p) <= MAX_CHECKPOINT_BYTES ? Files.readAllBytes(p) : null;
    } catch (IOException e) {
      return null;
    }
  }

  private static void writeCheckpoint(Path p, byte[] bytes) {
    try {
      if (p.getParent() != null) {
        Files.createDirectories(p.getParent());
      }
      Files.write(p, bytes);
    } catch (IOException e) {
      // without the checkpoint a promotion trains from scratch
    }
  }

  /** One submitted task until it ends. */
  private static final class Dispatch {
    final TrialTask task;
    final Consumer<TrialMessage> inbox;
    final byte[] resumeFrom;
    final long sinceNanos = System.nanoTime();
    volatile boolean cancel;
    /** Taken by a local slot, which posts its own end. */
    volatile boolean local;

    Dispatch(TrialTask task, Consumer<TrialMessage> inbox, byte[] resumeFrom) {
      this.task = task;
      this.inbox = inbox;
      this.resumeFrom = resumeFrom;
    }

    void interrupt(String reason) {
      inbox.accept(new TrialMessage.Ended(task, TrialResult.failed(TrialStatus.INTERRUPTED, reason), null,
          (System.nanoTime() - sinceNanos) / 1e9));
    }
  }

  /**
   * Builds and starts a {@link ClusterCoordinator}. Defaults: no dataset, no local slots (then a
   * local evaluator is not needed), no event listener, the build's version, long polls of 10 s.
   */
  public static final class Builder {
    private final ClusterConfig config;
    private final String experimentJson;
    private Dataset dataset;
    private TrialEvaluator localEvaluator;
    private int localSlots;
    private Consumer<ClusterEvent> events;
    private String version = StrataVersion.get();
    private long pullWaitMs = 10_000;

    private Builder(ClusterConfig config, String experimentJson) {
      this.config = Objects.requireNonNull(config, "config");
      this.experimentJson = Objects.requireNonNull(experimentJson, "experimentJson");
    }

    /** The experiment's raw dataset, shipped to workers once (by hash) when they first need it. */
    public Builder dataset(Dataset value) {
      this.dataset = value;
      return this;
    }

    /** Trains {@code slots} trials at once in this process with {@code evaluator}, next to the remote workers. */
    public Builder local(TrialEvaluator evaluator, int slots) {
      if (slots < 0) {
        throw new IllegalArgumentException("local workers must be >= 0, got " + slots);
      }
      this.localEvaluator = slots == 0 ? null : Objects.requireNonNull(evaluator, "evaluator");
      this.localSlots = slots;
      return this;
    }

    /** Called (on one background thread, in order) for every cluster event. */
    public Builder events(Consumer<ClusterEvent> value) {
      this.events = value;
      return this;
    }

    /** The build version workers must match (default: this build's). */
    public Builder version(String value) {
      this.version = Objects.requireNonNull(value, "version");
      return this;
    }

    /** How long a worker's pull waits for a trial before it is told to ask again. */
    public Builder pullWait(java.time.Duration value) {
      this.pullWaitMs = Math.max(100, value.toMillis());
      return this;
    }

    /** Joins the cluster and starts serving; blocks until the coordinator's endpoints are registered. */
    public ClusterCoordinator start() {
      ClusterCoordinator c = new ClusterCoordinator(this);
      c.start();
      return c;
    }
  }
}
