package dev.strata.experiments.cluster;

import dev.strata.experiments.run.TrialContext;
import dev.strata.experiments.run.TrialEvaluator;
import dev.strata.experiments.run.TrialResult;
import dev.strata.search.trial.Configuration;
import dev.strata.search.trial.TrialStatus;
import dev.strata.trainer.data.Dataset;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import dev.strata.search.trial.WorkerRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
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
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The coordinator's side of a cluster: a {@link TrialEvaluator} that hands each trial to whichever
 * worker asks first (remote workers over the event bus, or the coordinator's own local slots) and
 * waits for its result, so the runner, the store and resume work exactly as on one machine. Only
 * the coordinator's process writes the store: workers send epochs and results here, and {@link
 * #evaluate} passes them to the runner's {@link TrialContext} on the runner's own thread.
 *
 * <p><b>Pull, not push.</b> Each worker thread asks for a trial when it is free (long poll), so a
 * fast machine takes more trials. A trial handed out is a <em>lease</em>; a lease ends with the
 * worker's result, or is taken back and the trial queued again (first in line) when its worker
 * leaves the cluster (Hazelcast membership), stops sending heartbeats for {@link
 * ClusterConfig#workerTimeout()}, or no longer reports the lease. A result for a lease that was
 * taken back is ignored, logged and counted ({@link ClusterSnapshot#lateResults()}).
 *
 * <p><b>Stopping.</b> When the context says {@link TrialContext#shouldStop()} (Ctrl-C, pruning, a
 * per-trial timeout), a queued trial returns INTERRUPTED at once; a running one is told to stop
 * in the reply to its next epoch report or heartbeat, and its worker's result is returned.
 *
 * <p>Thread-safe. Call order: {@link #builder}, {@link Builder#start()}, then {@link #evaluate} from
 * any number of threads, {@link #snapshot()} at any time, and {@link #close()} once.
 */
public final class ClusterCoordinator implements TrialEvaluator, AutoCloseable {

  /** Checkpoints larger than this are not shipped to or from workers (the trial restarts from scratch). */
  static final long MAX_CHECKPOINT_BYTES = 64L << 20;

  private static final int DATASET_CHUNK = 4 << 20;

  private final ClusterConfig config;
  private final MessageAuth auth;
  private final String experimentJson;
  private final String experimentId;
  private final String datasetHash;
  private final byte[] datasetBytes;
  private final String version;
  private final TrialEvaluator localEvaluator;
  private final BiConsumer<Long, String> placement;
  private final Consumer<ClusterEvent> listener;
  private final long pullWaitMs;
  private final ExecutorService eventThread;

  private ClusterNode node;
  private final List<Thread> localThreads = new ArrayList<>();
  private final List<MessageConsumer<Buffer>> consumers = new ArrayList<>();
  private long checkerTimer = -1;

  private final Object lock = new Object();
  private final ArrayDeque<Dispatch> queued = new ArrayDeque<>();
  private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
  private final Map<String, Lease> leases = new HashMap<>();
  private final Map<String, Slot> slots = new LinkedHashMap<>();
  private long requeued;
  private long lateResults;
  private long rejected;

  private final Map<Long, String> placedOn = new ConcurrentHashMap<>();
  private volatile boolean closed;

  private ClusterCoordinator(Builder b) {
    this.config = b.config;
    this.auth = new MessageAuth(config.clusterName(), config.secret());
    this.experimentJson = b.experimentJson;
    this.experimentId = Protocol.experimentId(b.experimentJson);
    this.datasetHash = b.dataset == null ? null : b.dataset.hash();
    this.datasetBytes = b.dataset == null ? null : DatasetCodec.encode(b.dataset);
    this.version = b.version;
    this.localEvaluator = b.localEvaluator;
    this.placement = b.placement;
    this.listener = b.events;
    this.pullWaitMs = b.pullWaitMs;
    this.eventThread = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "strata-cluster-events");
      t.setDaemon(true);
      return t;
    });
    for (int i = 1; i <= b.localSlots; i++) {
      Slot s = new Slot("local-" + i, "local-" + i, "", localHost(), 1, true);
      slots.put(s.session, s);
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
      var bus = node.vertx().eventBus();
      register(Protocol.REGISTER, this::onRegister);
      register(Protocol.PULL, this::onPull);
      register(Protocol.EPOCH, this::onEpoch);
      register(Protocol.RESULT, this::onResult);
      register(Protocol.HEARTBEAT, this::onHeartbeat);
      register(Protocol.DATASET, this::onDataset);
      register(Protocol.LEAVE, this::onLeave);
      for (MessageConsumer<Buffer> c : consumers) {
        c.completion().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
      Objects.requireNonNull(bus);
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
    List<Slot> locals;
    synchronized (lock) {
      locals = slots.values().stream().filter(s -> s.local).toList();
    }
    for (Slot s : locals) {
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

  /**
   * Runs one trial on the cluster; blocks the calling (runner) thread until a worker returns its
   * result. Epoch reports and the worker's name reach {@code context} on this thread.
   *
   * @throws RemoteTrialException when the worker's evaluator threw
   */
  @Override
  public TrialResult evaluate(Configuration configuration, TrialContext context) {
    if (closed) {
      return TrialResult.failed(TrialStatus.INTERRUPTED, "the cluster coordinator is closed");
    }
    byte[] resume = context.resumeFrom().map(ClusterCoordinator::readCheckpoint).orElse(null);
    Dispatch d = new Dispatch(configuration, context, resume);
    enqueue(d, false);
    try {
      while (true) {
        Inbound in = d.inbox.poll(100, TimeUnit.MILLISECONDS);
        switch (in) {
          case Started s -> {
            placedOn.put(context.trialId(), s.worker());
            if (placement != null) {
              placement.accept(context.trialId(), s.worker());
            }
          }
          case Epoch e -> {
            boolean go = false;
            try {
              go = context.reportEpoch(e.epoch(), e.trainLoss(), e.valLoss(), e.valMetric(), e.seconds());
            } finally {
              if (!go) {
                d.cancel = true;
              }
              e.answer().accept(go && !d.cancel);
            }
          }
          case Finished f -> {
            if (f.checkpoint() != null) {
              writeCheckpoint(context.checkpointPath(), f.checkpoint());
            }
            if (f.error() != null) {
              throw new RemoteTrialException(f.worker(), f.error());
            }
            return f.result();
          }
          case null -> {
            // timeout: look at the stop flags below
          }
        }
        if (!d.cancel && context.shouldStop()) {
          d.cancel = true;
        }
        if (d.cancel || closed) {
          synchronized (lock) {
            if (queued.remove(d) || closed) {
              d.done = true;
              detach(d);
              return TrialResult.failed(TrialStatus.INTERRUPTED,
                  closed ? "the cluster coordinator closed" : "stopped before a worker took it");
            }
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      synchronized (lock) {
        d.cancel = true;
        d.done = true;
        queued.remove(d);
        detach(d);
      }
      return TrialResult.failed(TrialStatus.INTERRUPTED, "interrupted");
    }
  }

  /** Where a trial last ran (a worker name), once a worker took it. */
  public Optional<String> workerOf(long trialId) {
    return Optional.ofNullable(placedOn.get(trialId));
  }

  /** The worker registry and counters now. */
  public ClusterSnapshot snapshot() {
    synchronized (lock) {
      List<WorkerRecord> workers = new ArrayList<>();
      long now = System.currentTimeMillis();
      for (Slot s : slots.values()) {
        List<Long> current = s.leases.stream().map(l -> l.dispatch.context.trialId()).sorted().toList();
        long heartbeat = s.local ? now : s.lastHeartbeat == null ? 0 : s.lastHeartbeat.toEpochMilli();
        workers.add(new WorkerRecord(s.name, s.host == null ? "" : s.host, s.threads, s.trialsDone, current, heartbeat,
            s.state, s.local));
      }
      workers.sort(Comparator.comparing((WorkerRecord w) -> !w.local()).thenComparing(WorkerRecord::name));
      return new ClusterSnapshot(workers, queued.size(), leases.size(), requeued, lateResults, rejected);
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

  /** Stops handing out trials and leaves the cluster; waiting {@link #evaluate} calls return INTERRUPTED. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    List<Waiter> pending;
    synchronized (lock) {
      pending = new ArrayList<>(waiters);
      waiters.clear();
    }
    for (Waiter w : pending) {
      w.deliver.accept(null);
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
    eventThread.shutdown();
  }

  // ------------------------------------------------------------------ queue and leases (under lock)

  private void enqueue(Dispatch d, boolean first) {
    Lease handed = null;
    Waiter w = null;
    synchronized (lock) {
      if (d.done || d.lease != null || queued.contains(d)) {
        return;
      }
      while (!d.cancel && (w = waiters.poll()) != null) {
        if (w.slot.state.equals("active")) {
          handed = lease(d, w.slot);
          break;
        }
      }
      if (handed == null) {
        if (first) {
          queued.addFirst(d);
        } else {
          queued.addLast(d);
        }
      }
    }
    if (handed != null) {
      w.deliver.accept(handed);
    }
  }

  private Lease lease(Dispatch d, Slot slot) {
    Lease l = new Lease(UUID.randomUUID().toString(), d, slot, System.nanoTime());
    d.lease = l;
    leases.put(l.id, l);
    slot.leases.add(l);
    d.inbox.add(new Started(slot.name));
    return l;
  }

  /** Takes a lease back and queues its trial again, first in line. Caller holds the lock. */
  private List<Dispatch> revoke(Lease l) {
    leases.remove(l.id);
    l.slot.leases.remove(l);
    Dispatch d = l.dispatch;
    if (d.lease == l) {
      d.lease = null;
    }
    if (d.done) {
      return List.of();
    }
    requeued++;
    return List.of(d);
  }

  private void detach(Dispatch d) {
    Lease l = d.lease;
    if (l != null) {
      leases.remove(l.id);
      l.slot.leases.remove(l);
      d.lease = null;
    }
  }

  /** Marks a worker lost or gone and requeues its trials. */
  private void lose(Slot slot, String state, String why) {
    List<Dispatch> again = new ArrayList<>();
    List<Long> ids = new ArrayList<>();
    synchronized (lock) {
      if (!slot.state.equals("active")) {
        return;
      }
      slot.state = state;
      waiters.removeIf(w -> w.slot == slot);
      for (Lease l : List.copyOf(slot.leases)) {
        ids.add(l.dispatch.context.trialId());
        again.addAll(revoke(l));
      }
    }
    emit(state.equals("left") ? "worker-left" : "worker-lost", slot.name, 0,
        why + (ids.isEmpty() ? "" : "; trials " + ids + " queued again"));
    for (Dispatch d : again) {
      emit("trial-requeued", slot.name, d.context.trialId(), "its worker " + slot.name + " " + why);
      enqueue(d, true);
    }
  }

  // ------------------------------------------------------------------ local slots

  private void localLoop(Slot slot) {
    while (!closed) {
      CompletableFuture<Lease> next = new CompletableFuture<>();
      Lease l = null;
      synchronized (lock) {
        Dispatch d = queued.poll();
        if (d != null) {
          l = lease(d, slot);
        } else {
          waiters.add(new Waiter(slot, next::complete));
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
      Lease lease = l;
      TrialResult result = null;
      String error = null;
      try {
        result = localEvaluator.evaluate(lease.dispatch.configuration, new LocalContext(lease));
        if (result == null) {
          error = "the evaluator returned no result";
        }
      } catch (Exception | StackOverflowError e) {
        error = e.getMessage() == null ? e.toString() : e.getMessage();
      }
      finish(slot.session, lease.id, lease.dispatch.context.trialId(), result, error, null);
    }
  }

  /** What a local slot's evaluator sees: the runner's context, with epochs routed through the runner's thread. */
  private final class LocalContext implements TrialContext {
    private final Lease lease;
    private final TrialContext outer;

    LocalContext(Lease lease) {
      this.lease = lease;
      this.outer = lease.dispatch.context;
    }

    @Override
    public long seed() {
      return outer.seed();
    }

    @Override
    public long trialId() {
      return outer.trialId();
    }

    @Override
    public int resource() {
      return outer.resource();
    }

    @Override
    public double maxSeconds() {
      return outer.maxSeconds();
    }

    @Override
    public Optional<Path> resumeFrom() {
      return outer.resumeFrom();
    }

    @Override
    public Path checkpointPath() {
      return outer.checkpointPath();
    }

    @Override
    public boolean reportEpoch(int epoch, double trainLoss, double valLoss, double valMetric, double seconds) {
      CompletableFuture<Boolean> answer = new CompletableFuture<>();
      if (!epoch(lease.id, new Epoch(epoch, trainLoss, valLoss, valMetric, seconds, answer::complete))) {
        return false;
      }
      try {
        return answer.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      } catch (ExecutionException e) {
        return false;
      }
    }

    @Override
    public boolean shouldStop() {
      return closed || lease.dispatch.cancel || lease.dispatch.lease != lease;
    }
  }

  // ------------------------------------------------------------------ shared by local and remote workers

  /** Routes an epoch report to its trial's runner thread; false when the lease is no longer valid. */
  private boolean epoch(String leaseId, Epoch e) {
    synchronized (lock) {
      Lease l = leases.get(leaseId);
      if (l == null || l.dispatch.lease != l || l.dispatch.done) {
        return false;
      }
      l.dispatch.inbox.add(e);
      return true;
    }
  }

  /**
   * Accepts a result, or records it as late; returns whether it was accepted.
   *
   * @param session the sending worker's session (even a lost one: it names the worker in the event)
   */
  private boolean finish(String session, String leaseId, long trialId, TrialResult result, String error,
      byte[] checkpoint) {
    Slot late = null;
    Lease l;
    synchronized (lock) {
      l = leases.get(leaseId);
      if (l == null || l.dispatch.lease != l || l.dispatch.done) {
        lateResults++;
        late = l != null ? l.slot : session == null ? null : slots.get(session);
      } else {
        leases.remove(leaseId);
        l.slot.leases.remove(l);
        l.slot.trialsDone++;
        l.dispatch.lease = null;
        l.dispatch.done = true;
        l.dispatch.inbox.add(new Finished(result, error, checkpoint, l.slot.name));
        return true;
      }
    }
    emit("late-result", late == null ? "" : late.name, trialId,
        "a result arrived for a trial that was already queued again or finished; ignored");
    return false;
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
    int threads = Math.max(1, body.getInteger("threads", 1));
    String nodeId = body.getString("node", "");
    String base = clean(body.getString("name", "worker"));
    Slot slot;
    List<Slot> replaced = new ArrayList<>();
    synchronized (lock) {
      for (Slot s : slots.values()) {
        if (!s.local && s.state.equals("active") && s.nodeId.equals(nodeId)) {
          replaced.add(s);
        }
      }
    }
    for (Slot s : replaced) {
      lose(s, "left", "registered again");
    }
    synchronized (lock) {
      Set<String> taken = new HashSet<>();
      for (Slot s : slots.values()) {
        if (s.state.equals("active") || s.local) {
          taken.add(s.name);
        }
      }
      String name = base;
      for (int i = 2; taken.contains(name); i++) {
        name = base + "-" + i;
      }
      slot = new Slot(UUID.randomUUID().toString(), name, nodeId, body.getString("host", "?"), threads, false);
      slots.put(slot.session, slot);
    }
    emit("worker-joined", slot.name, 0, slot.threads + " thread" + (slot.threads == 1 ? "" : "s") + " on " + slot.host);
    JsonObject reply = new JsonObject().put("session", slot.session).put("name", slot.name)
        .put("experiment", experimentJson).put("experimentId", experimentId)
        .put("heartbeatMs", config.heartbeat().toMillis())
        .put("timeoutMs", config.workerTimeout().toMillis()).put("pullWaitMs", pullWaitMs);
    if (datasetHash != null) {
      reply.put("dataset", new JsonObject().put("hash", datasetHash).put("size", datasetBytes.length));
    }
    reply(m, reply);
  }

  private void onPull(JsonObject body, Message<Buffer> m) {
    Slot slot = alive(body.getString("session"));
    if (slot == null) {
      reply(m, new JsonObject().put("error", "unknown-session"));
      return;
    }
    Lease l = null;
    Waiter w = null;
    synchronized (lock) {
      if (!closed) {
        Dispatch d = queued.poll();
        if (d != null) {
          l = lease(d, slot);
        } else {
          w = new Waiter(slot, lease -> reply(m, lease == null ? new JsonObject() : taskJson(lease)));
          waiters.add(w);
        }
      }
    }
    if (l != null) {
      reply(m, taskJson(l));
    } else if (w != null) {
      Waiter waiter = w;
      node.vertx().setTimer(pullWaitMs, id -> {
        boolean mine;
        synchronized (lock) {
          mine = waiters.remove(waiter);
        }
        if (mine) {
          reply(m, new JsonObject());
        }
      });
    } else {
      reply(m, new JsonObject());
    }
  }

  private JsonObject taskJson(Lease l) {
    Dispatch d = l.dispatch;
    TrialContext c = d.context;
    return new JsonObject().put("task", Protocol.toJson(new Protocol.Task(l.id, experimentId, c.trialId(), c.seed(),
        c.resource(), c.maxSeconds(), d.configuration.canonicalJson(), d.resumeFrom)));
  }

  private void onEpoch(JsonObject body, Message<Buffer> m) {
    alive(body.getString("session"));
    Epoch e = new Epoch(body.getInteger("epoch"), Protocol.d(body.getString("trainLoss")),
        Protocol.d(body.getString("valLoss")), Protocol.d(body.getString("valMetric")),
        Protocol.d(body.getString("seconds")), go -> reply(m, new JsonObject().put("continue", go)));
    if (!epoch(body.getString("lease", ""), e)) {
      reply(m, new JsonObject().put("continue", false));
    }
  }

  private void onResult(JsonObject body, Message<Buffer> m) {
    alive(body.getString("session"));
    TrialResult result = body.containsKey("result") ? Protocol.result(body.getJsonObject("result")) : null;
    String error = body.getString("error");
    String ckpt = body.getString("checkpoint");
    boolean accepted = finish(body.getString("session"), body.getString("lease", ""), body.getLong("trialId", 0L),
        result,
        result == null && error == null ? "the worker sent no result" : error,
        ckpt == null ? null : Base64.getDecoder().decode(ckpt));
    reply(m, new JsonObject().put("accepted", accepted));
  }

  private void onHeartbeat(JsonObject body, Message<Buffer> m) {
    Slot slot = alive(body.getString("session"));
    if (slot == null) {
      reply(m, new JsonObject().put("known", false));
      return;
    }
    Set<String> reported = new HashSet<>();
    body.getJsonArray("leases", new JsonArray()).forEach(x -> reported.add(String.valueOf(x)));
    JsonArray cancel = new JsonArray();
    List<Dispatch> again = new ArrayList<>();
    long grace = TimeUnit.MILLISECONDS.toNanos(2 * config.heartbeat().toMillis() + pullWaitMs + 5_000);
    long now = System.nanoTime();
    synchronized (lock) {
      for (Lease l : List.copyOf(slot.leases)) {
        if (reported.contains(l.id)) {
          if (l.dispatch.cancel) {
            cancel.add(l.id);
          }
        } else if (now - l.since > grace) {
          again.addAll(revoke(l));
        }
      }
    }
    for (Dispatch d : again) {
      emit("trial-requeued", slot.name, d.context.trialId(), "the worker never started it (lost reply)");
      enqueue(d, true);
    }
    reply(m, new JsonObject().put("known", true).put("cancel", cancel));
  }

  private void onDataset(JsonObject body, Message<Buffer> m) {
    if (datasetHash == null || !datasetHash.equals(body.getString("hash"))) {
      m.fail(404, "the coordinator has no dataset " + body.getString("hash"));
      return;
    }
    int offset = Math.max(0, body.getInteger("offset", 0));
    int length = Math.min(DATASET_CHUNK, Math.max(0, Math.min(body.getInteger("length", DATASET_CHUNK),
        datasetBytes.length - offset)));
    Buffer chunk = Buffer.buffer(length);
    chunk.appendBytes(datasetBytes, Math.min(offset, datasetBytes.length), length);
    m.reply(chunk, auth.reply(m.headers(), chunk));
  }

  private void onLeave(JsonObject body, Message<Buffer> m) {
    Slot slot = alive(body.getString("session"));
    if (slot != null) {
      lose(slot, "left", "left the cluster");
    }
    reply(m, new JsonObject());
  }

  private void onMemberRemoved(String nodeId) {
    List<Slot> gone;
    synchronized (lock) {
      gone = slots.values().stream().filter(s -> !s.local && s.nodeId.equals(nodeId) && s.state.equals("active"))
          .toList();
    }
    for (Slot s : gone) {
      lose(s, "lost", "left the cluster (membership)");
    }
  }

  private void checkHeartbeats() {
    long limit = config.workerTimeout().toNanos();
    long now = System.nanoTime();
    List<Slot> silent;
    synchronized (lock) {
      silent = slots.values().stream()
          .filter(s -> !s.local && s.state.equals("active") && now - s.lastHeartbeatNanos > limit).toList();
    }
    for (Slot s : silent) {
      lose(s, "lost", "sent no heartbeat for " + config.workerTimeout().toSeconds() + " s");
    }
  }

  /** The active worker with this session, its heartbeat refreshed; null when unknown or lost. */
  private Slot alive(String session) {
    synchronized (lock) {
      Slot s = session == null ? null : slots.get(session);
      if (s == null || s.local || !s.state.equals("active")) {
        return null;
      }
      s.lastHeartbeatNanos = System.nanoTime();
      s.lastHeartbeat = Instant.now();
      return s;
    }
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

  // ------------------------------------------------------------------ internal state

  /** One evaluate() call in flight. */
  private static final class Dispatch {
    final Configuration configuration;
    final TrialContext context;
    final byte[] resumeFrom;
    final BlockingQueue<Inbound> inbox = new LinkedBlockingQueue<>();
    Lease lease; // guarded by lock
    boolean done; // guarded by lock
    volatile boolean cancel;

    Dispatch(Configuration configuration, TrialContext context, byte[] resumeFrom) {
      this.configuration = configuration;
      this.context = context;
      this.resumeFrom = resumeFrom;
    }
  }

  private record Lease(String id, Dispatch dispatch, Slot slot, long since) {}

  private record Waiter(Slot slot, Consumer<Lease> deliver) {}

  /** A registered worker session (remote) or a local slot; mutable, guarded by the lock. */
  private static final class Slot {
    final String session;
    final String name;
    final String nodeId;
    final String host;
    final int threads;
    final boolean local;
    final Set<Lease> leases = new LinkedHashSet<>();
    long trialsDone;
    long lastHeartbeatNanos = System.nanoTime();
    Instant lastHeartbeat = Instant.now();
    String state = "active";

    Slot(String session, String name, String nodeId, String host, int threads, boolean local) {
      this.session = session;
      this.name = name;
      this.nodeId = nodeId;
      this.host = host;
      this.threads = threads;
      this.local = local;
    }
  }

  private sealed interface Inbound permits Started, Epoch, Finished {}

  private record Started(String worker) implements Inbound {}

  private record Epoch(int epoch, double trainLoss, double valLoss, double valMetric, double seconds,
      Consumer<Boolean> answer) implements Inbound {}

  private record Finished(TrialResult result, String error, byte[] checkpoint, String worker) implements Inbound {}

  /**
   * Builds and starts a {@link ClusterCoordinator}. Defaults: no dataset, no local slots (then a
   * local evaluator is not needed), no event listener, no placement hook, the build's version,
   * long polls of 10 s.
   */
  public static final class Builder {
    private final ClusterConfig config;
    private final String experimentJson;
    private Dataset dataset;
    private TrialEvaluator localEvaluator;
    private int localSlots;
    private Consumer<ClusterEvent> events;
    private BiConsumer<Long, String> placement;
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

    /**
     * Called on the runner's thread when a worker takes a trial (trial id, worker name), e.g. to
     * record the worker in the store. Called again if the trial is requeued and taken by another.
     */
    public Builder placement(BiConsumer<Long, String> value) {
      this.placement = value;
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
