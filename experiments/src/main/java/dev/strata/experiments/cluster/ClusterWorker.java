package dev.strata.experiments.cluster;

import dev.strata.experiments.run.TaskRun;
import dev.strata.experiments.run.TrialEvaluator;
import dev.strata.experiments.run.TrialMessage;
import dev.strata.experiments.run.TrialTask;
import dev.strata.experiments.spec.DataSpec;
import dev.strata.search.trial.Configuration;
import dev.strata.search.trial.EpochRecord;
import dev.strata.trainer.data.Dataset;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A worker machine: joins the cluster, registers with the coordinator, and on each of its threads
 * pulls a trial, trains it with the evaluator its {@link EvaluatorFactory} built from the
 * experiment, streams the epochs back and returns the result. Heartbeats go out every {@link
 * ClusterConfig#heartbeat()}; their replies carry cancellations. A task that names another
 * experiment than the one it registered for is refused unevaluated ({@link #refusal}).
 *
 * <p><b>When the coordinator goes.</b> If the coordinator stops answering for {@link
 * ClusterConfig#workerTimeout()} (it died, or the network split), the running trials are told to
 * stop (the coordinator has requeued them or, after a crash, resume runs them again), the worker
 * leaves the cluster, joins again through its {@code --join} list, and registers with whichever
 * coordinator is there, for as long as it runs. A worker names no experiment of its own: when the
 * new coordinator runs another experiment it logs one line ({@code coordinator now runs experiment
 * ...}), builds a new evaluator from it and drops the old one (with its dataset in memory); from
 * then on it refuses tasks of the old experiment like those of any other.
 *
 * <p>Thread-safe. Call order: {@link #builder}, {@link #run()} (blocks) on one thread, {@link
 * #close()} from any thread to stop it.
 */
public final class ClusterWorker implements AutoCloseable {

  private final ClusterConfig config;
  private final EvaluatorFactory factory;
  private final String name;
  private final int threads;
  private final DatasetCache cache;
  private final Consumer<String> log;
  private final String version;
  private final MessageAuth auth;
  private final BooleanSupplier heartbeatsPaused;

  private volatile boolean stopping;
  private volatile ClusterNode node;
  private volatile Thread runner;
  private final AtomicLong trialsDone = new AtomicLong();
  private String lastExperiment;
  private volatile TrialEvaluator evaluator;
  /** Trials evaluated for {@link #lastExperiment} (for the line logged when the experiment changes). */
  private final AtomicLong experimentTrials = new AtomicLong();

  private ClusterWorker(Builder b) {
    this.config = b.config;
    this.factory = b.factory;
    this.name = b.name;
    this.threads = b.threads;
    this.cache = b.cache;
    this.log = b.log;
    this.version = b.version;
    this.auth = new MessageAuth(config.clusterName(), config.secret());
    this.heartbeatsPaused = b.heartbeatsPaused;
  }

  public static Builder builder(ClusterConfig config, EvaluatorFactory factory) {
    return new Builder(config, factory);
  }

  /** Trials this worker finished and the coordinator accepted. */
  public long trialsDone() {
    return trialsDone.get();
  }

  /**
   * Works until {@link #close()}. Returns normally when closed.
   *
   * @throws WorkerRefusedException when the coordinator refuses this worker (other Strata
   *     version, other secret) or its experiment cannot run here; retrying would not help
   */
  public void run() {
    runner = Thread.currentThread();
    long backoff = 1_000;
    boolean started = false;
    long waitingSince = 0;
    boolean toldWaiting = false;
    while (!stopping) {
      try {
        node = ClusterNode.start(config);
        started = true;
      } catch (IllegalArgumentException e) {
        if (!started) {
          throw e; // the options cannot work on this machine: retrying would not help
        }
        // it worked before (a port briefly still held by the previous node): try again
        if (stopping) {
          break;
        }
        log.accept("cannot join the cluster (" + e.getMessage() + "); retrying in " + backoff / 1000 + " s");
        sleep(backoff);
        backoff = Math.min(30_000, backoff * 2);
        continue;
      } catch (IllegalStateException e) {
        if (stopping) {
          break;
        }
        log.accept("cannot join the cluster (" + e.getMessage() + "); retrying in " + backoff / 1000 + " s");
        sleep(backoff);
        backoff = Math.min(30_000, backoff * 2);
        continue;
      }
      try {
        long deadline = System.nanoTime() + config.workerTimeout().toNanos();
        while (!stopping && System.nanoTime() < deadline) {
          Session s = register();
          if (s == null) {
            if (waitingSince == 0) {
              waitingSince = System.nanoTime();
            } else if (!toldWaiting && System.nanoTime() - waitingSince > TimeUnit.SECONDS.toNanos(3)) {
              toldWaiting = true;
              log.accept("waiting for a coordinator of cluster '" + config.clusterName() + "' at " + joinText()
                  + "; none answers yet, this worker keeps trying until one does (start 'strata run FILE --cluster'"
                  + " there, or check --join, --cluster-name and the firewall; Ctrl-C stops)");
            }
            sleep(500);
            continue;
          }
          waitingSince = 0;
          toldWaiting = false;
          backoff = 1_000;
          work(s);
          deadline = System.nanoTime() + config.workerTimeout().toNanos();
        }
      } finally {
        ClusterNode n = node;
        node = null;
        n.close();
      }
      if (!stopping) {
        long waited = waitingSince == 0 ? 0 : TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - waitingSince);
        log.accept("no coordinator answers at " + joinText() + (waited > 0 ? " (waiting " + waited + " s)" : "")
            + "; joining the cluster again");
      }
    }
  }

  private String joinText() {
    return config.join().isEmpty() ? "(multicast)" : String.join(", ", config.join());
  }

  /** Stops pulling, tells the running trials to stop, leaves the cluster. Idempotent. */
  @Override
  public void close() {
    stopping = true;
    Thread t = runner;
    if (t != null && t != Thread.currentThread()) {
      try {
        t.join(30_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  // ------------------------------------------------------------------ one coordinator session

  /** Registers; null when no coordinator answered. */
  private Session register() {
    JsonObject hello = new JsonObject().put("name", name).put("node", node.nodeId())
        .put("host", ClusterCoordinator.localHost()).put("threads", threads).put("version", version)
        .put("pid", ProcessHandle.current().pid());
    JsonObject reply;
    try {
      reply = request(Protocol.REGISTER, hello, 10_000);
    } catch (ReplyException e) {
      if (e.failureType() == ReplyFailure.RECIPIENT_FAILURE
          && (e.failureCode() == Protocol.VERSION_MISMATCH || e.failureCode() == Protocol.REJECTED)) {
        throw new WorkerRefusedException(e.getMessage());
      }
      return null;
    } catch (RuntimeException e) {
      return null;
    }
    String experiment = reply.getString("experiment");
    String experimentId = Protocol.experimentId(experiment);
    if (!experimentId.equals(reply.getString("experimentId"))) {
      throw new WorkerRefusedException("the coordinator's experiment does not match its id (corrupted, or a"
          + " coordinator of another Strata build)");
    }
    if (!experiment.equals(lastExperiment)) {
      if (lastExperiment != null) {
        // A worker serves whichever coordinator its cluster has (docs/cluster.md, "What a worker
        // runs"): switch, and say so. The old evaluator, and with it the old dataset in memory, is
        // dropped; the disk cache keeps datasets by content hash.
        log.accept("worker " + name + ": coordinator now runs experiment " + describe(experiment) + ", was "
            + describe(lastExperiment) + " (" + experimentTrials.get() + " trial" + (experimentTrials.get() == 1 ? "" : "s")
            + " trained for it); switching to the new one");
        evaluator = null;
        lastExperiment = null;
      }
      JsonObject ds = reply.getJsonObject("dataset");
      Resolver resolver = new Resolver(ds == null ? null : ds.getString("hash"), ds == null ? 0 : ds.getInteger("size"));
      try {
        evaluator = factory.create(experiment, resolver);
      } catch (RuntimeException e) {
        throw new WorkerRefusedException("this worker cannot run the coordinator's experiment: " + e.getMessage());
      }
      lastExperiment = experiment;
      experimentTrials.set(0);
    }
    Session s = new Session(reply.getString("session"), reply.getString("name"), experimentId,
        reply.getLong("heartbeatMs"), reply.getLong("timeoutMs"), reply.getLong("pullWaitMs"));
    log.accept("registered with the coordinator as " + s.name + " (" + threads + " thread" + (threads == 1 ? "" : "s") + ")");
    return s;
  }

  /** Runs one session: slot threads pull and train, this thread sends heartbeats, until the session ends. */
  private void work(Session s) {
    List<Thread> slots = new ArrayList<>();
    for (int i = 1; i <= threads; i++) {
      Thread t = new Thread(() -> slotLoop(s), "strata-worker-" + i);
      t.setDaemon(true);
      slots.add(t);
      t.start();
    }
    long lastOk = System.nanoTime();
    while (!stopping && s.valid) {
      sleep(s.heartbeatMs);
      if (heartbeatsPaused.getAsBoolean()) {
        lastOk = System.nanoTime();
        continue;
      }
      JsonObject beat = new JsonObject().put("session", s.id).put("leases", new JsonArray(List.copyOf(s.running)));
      try {
        JsonObject r = request(Protocol.HEARTBEAT, beat, Math.max(1_000, s.heartbeatMs * 2));
        lastOk = System.nanoTime();
        if (!r.getBoolean("known", false)) {
          log.accept("the coordinator no longer knows this worker; registering again");
          s.valid = false;
        } else {
          r.getJsonArray("cancel", new JsonArray()).forEach(x -> s.cancelled.add(String.valueOf(x)));
        }
      } catch (RuntimeException e) {
        if (System.nanoTime() - lastOk > TimeUnit.MILLISECONDS.toNanos(s.timeoutMs)) {
          log.accept("the coordinator has not answered for " + s.timeoutMs / 1000 + " s; running trials stop");
          s.valid = false;
        }
      }
    }
    s.valid = false;
    if (stopping) {
      try {
        request(Protocol.LEAVE, new JsonObject().put("session", s.id), 2_000);
      } catch (RuntimeException ignored) {
        // the coordinator notices the missing heartbeats
      }
    }
    for (Thread t : slots) {
      try {
        t.join(60_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void slotLoop(Session s) {
    while (!stopping && s.valid) {
      JsonObject r;
      try {
        r = request(Protocol.PULL, new JsonObject().put("session", s.id), s.pullWaitMs + 10_000,
            () -> stopping || !s.valid);
      } catch (RuntimeException e) {
        sleep(500);
        continue;
      }
      if ("unknown-session".equals(r.getString("error"))) {
        s.valid = false;
        return;
      }
      JsonObject task = r.getJsonObject("task");
      if (task != null) {
        runTrial(s, Protocol.task(task));
      }
    }
  }

  private void runTrial(Session s, Protocol.Task task) {
    s.running.add(task.lease());
    JsonObject out = new JsonObject().put("session", s.id).put("lease", task.lease()).put("trialId", task.trialId());
    String refusal = refusal(s.experimentId, task);
    if (refusal != null) {
      log.accept("trial " + task.trialId() + " refused: " + refusal);
      out.put("error", "worker " + s.name + " refused the trial: " + refusal);
    } else {
      experimentTrials.incrementAndGet();
      train(s, task, out);
    }
    // Sent even when the session has ended: the coordinator then records it as a late result.
    int attempts = s.valid ? 3 : 1;
    for (int attempt = 0; attempt < attempts; attempt++) {
      try {
        JsonObject r = request(Protocol.RESULT, out, s.valid ? 30_000 : 5_000);
        if (r.getBoolean("accepted", false)) {
          trialsDone.incrementAndGet();
        } else {
          log.accept("trial " + task.trialId() + ": the coordinator had already given it to another worker");
        }
        break;
      } catch (RuntimeException e) {
        sleep(1_000);
      }
    }
    s.running.remove(task.lease());
    s.cancelled.remove(task.lease());
  }

  /** Trains one task into {@code out}: its result or error, and its checkpoint. */
  private void train(Session s, Protocol.Task task, JsonObject out) {
    Path dir = null;
    try {
      dir = Files.createTempDirectory("strata-trial-" + task.trialId() + "-");
      Path resume = null;
      if (task.resumeFrom() != null) {
        resume = dir.resolve("resume.ckpt");
        Files.write(resume, task.resumeFrom());
      }
      Path checkpoint = dir.resolve("checkpoint.ckpt");
      TrialTask trial = new TrialTask(task.trialId(), "trial " + task.trialId(), task.seed(), task.resource(),
          task.maxSeconds(), Configuration.fromJson(task.configuration()), Optional.ofNullable(resume), checkpoint);
      TaskRun.execute(evaluator, trial, message -> {
        switch (message) {
          case TrialMessage.Epoch e -> e.answer().accept(reportEpoch(s, task, e.epoch()));
          case TrialMessage.Note n -> log.accept("trial " + task.trialId() + ": " + n.text());
          case TrialMessage.Ended e -> {
            if (e.error() != null) {
              out.put("error", e.error().getMessage() == null ? e.error().toString() : e.error().getMessage());
            } else {
              out.put("result", Protocol.toJson(e.result()));
            }
          }
          case TrialMessage.Started started -> { }
        }
      }, () -> stopping || !s.valid || s.cancelled.contains(task.lease()));
      if (Files.isRegularFile(checkpoint) && Files.size(checkpoint) <= ClusterCoordinator.MAX_CHECKPOINT_BYTES) {
        out.put("checkpoint", Base64.getEncoder().encodeToString(Files.readAllBytes(checkpoint)));
      }
    } catch (IOException e) {
      out.put("error", "worker " + s.name + " cannot use its temporary directory: " + e.getMessage());
    } finally {
      deleteQuietly(dir);
    }
  }

  /**
   * Why this worker must not run a task, or null when it may: a task of another experiment than
   * the one it registered for (and built its evaluator from) is never run.
   */
  static String refusal(String joinedExperimentId, Protocol.Task task) {
    if (!joinedExperimentId.equals(task.experiment())) {
      return "it belongs to experiment " + abbreviate(task.experiment()) + ", not to " + abbreviate(joinedExperimentId)
          + ", the one this worker joined";
    }
    return null;
  }

  /** An experiment for a log line: its name and the start of its id, e.g. {@code csvc (sha 3f2a9c0b1d4e)}. */
  static String describe(String experimentJson) {
    String name;
    try {
      name = new JsonObject(experimentJson).getString("name");
    } catch (RuntimeException e) {
      name = null;
    }
    return (name == null || name.isBlank() ? "(unnamed)" : name) + " (sha "
        + abbreviate(Protocol.experimentId(experimentJson)) + ")";
  }

  private static String abbreviate(String id) {
    return id == null || id.isEmpty() ? "(none)" : id.substring(0, Math.min(12, id.length()));
  }

  /** Sends an epoch to the coordinator; whether the trial goes on (false when it was cancelled meanwhile). */
  private boolean reportEpoch(Session session, Protocol.Task task, EpochRecord epoch) {
    JsonObject e = new JsonObject().put("session", session.id).put("lease", task.lease()).put("epoch", epoch.epoch())
        .put("trainLoss", Protocol.d(epoch.trainLoss())).put("valLoss", Protocol.d(epoch.valLoss()))
        .put("valMetric", Protocol.d(epoch.valMetric())).put("seconds", Protocol.d(epoch.seconds()));
    try {
      boolean go = request(Protocol.EPOCH, e, 120_000, () -> stopping || !session.valid).getBoolean("continue", false);
      if (!go) {
        session.cancelled.add(task.lease());
      }
      return go;
    } catch (RuntimeException ex) {
      return true; // the coordinator did not answer: go on unless the task was cancelled (TaskRun checks)
    }
  }

  /** Fetches the experiment's dataset from the coordinator once, through the disk cache. */
  private final class Resolver implements EvaluatorFactory.DatasetResolver {
    private final String hash;
    private final int size;
    private Dataset dataset;

    Resolver(String hash, int size) {
      this.hash = hash;
      this.size = size;
    }

    @Override
    public synchronized Dataset resolve(DataSpec spec) {
      if (dataset != null) {
        return dataset;
      }
      if (hash == null) {
        throw new IllegalStateException("the coordinator shipped no dataset for " + (spec == null ? "this experiment"
            : spec.source()));
      }
      Optional<Dataset> cached = cache.get(hash);
      if (cached.isPresent()) {
        dataset = cached.get();
        return dataset;
      }
      log.accept("fetching dataset " + hash.substring(0, 12) + " (" + size + " bytes) from the coordinator");
      Buffer all = Buffer.buffer(size);
      while (all.length() < size) {
        Buffer chunk = requestBytes(new JsonObject().put("hash", hash).put("offset", all.length()).put("length", 4 << 20));
        if (chunk.length() == 0) {
          throw new IllegalStateException("the coordinator sent an empty dataset chunk");
        }
        all.appendBuffer(chunk);
      }
      byte[] bytes = all.getBytes();
      Dataset d = DatasetCodec.decode(bytes);
      if (!d.hash().equals(hash)) {
        throw new IllegalStateException("the dataset received does not match its hash " + hash);
      }
      cache.put(hash, bytes);
      dataset = d;
      return d;
    }
  }

  // ------------------------------------------------------------------ messaging

  private JsonObject request(String endpoint, JsonObject body, long timeoutMs) {
    return request(endpoint, body, timeoutMs, () -> stopping);
  }

  /** A request that gives up early (throws) once {@code abort} turns true, e.g. when the session ended. */
  private JsonObject request(String endpoint, JsonObject body, long timeoutMs, BooleanSupplier abort) {
    Message<Buffer> m = send(endpoint, body.toBuffer(), timeoutMs, abort);
    return new JsonObject(m.body());
  }

  private Buffer requestBytes(JsonObject body) {
    return send(Protocol.DATASET, body.toBuffer(), 120_000, () -> stopping).body();
  }

  private Message<Buffer> send(String endpoint, Buffer body, long timeoutMs, BooleanSupplier abort) {
    ClusterNode n = node;
    if (n == null) {
      throw new IllegalStateException("not in a cluster");
    }
    String address = Protocol.address(config.clusterName(), endpoint);
    var options = auth.request(address, body, timeoutMs);
    try {
      var future = n.vertx().eventBus().<Buffer>request(address, body, options).toCompletionStage().toCompletableFuture();
      long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs + 5_000);
      Message<Buffer> reply = null;
      while (reply == null) {
        try {
          reply = future.get(200, TimeUnit.MILLISECONDS);
        } catch (TimeoutException slice) {
          if (abort.getAsBoolean() || System.nanoTime() > until) {
            throw slice;
          }
        }
      }
      String why = auth.check(MessageAuth.replyLabel(options.getHeaders()), reply.headers(), reply.body());
      if (why != null) {
        throw new IllegalStateException("reply rejected: " + why);
      }
      return reply;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof ReplyException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("no reply in " + timeoutMs + " ms");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted");
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void deleteQuietly(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary directory left behind is harmless
    }
  }

  /** One registration with a coordinator. */
  private static final class Session {
    final String id;
    final String name;
    final String experimentId;
    final long heartbeatMs;
    final long timeoutMs;
    final long pullWaitMs;
    final Set<String> running = ConcurrentHashMap.newKeySet();
    final Set<String> cancelled = ConcurrentHashMap.newKeySet();
    volatile boolean valid = true;

    Session(String id, String name, String experimentId, long heartbeatMs, long timeoutMs, long pullWaitMs) {
      this.id = id;
      this.name = name;
      this.experimentId = experimentId;
      this.heartbeatMs = heartbeatMs;
      this.timeoutMs = timeoutMs;
      this.pullWaitMs = pullWaitMs;
    }
  }

  /** The coordinator refused this worker for good (version, secret, experiment it cannot run). */
  public static final class WorkerRefusedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    WorkerRefusedException(String message) {
      super(message);
    }
  }

  /**
   * Builds a {@link ClusterWorker}. Defaults: name = this host's name, threads = available
   * processors, the cache {@code ~/.strata/cache/datasets}, log to stderr, this build's version.
   */
  public static final class Builder {
    private final ClusterConfig config;
    private final EvaluatorFactory factory;
    private String name = ClusterCoordinator.localHost();
    private int threads = Runtime.getRuntime().availableProcessors();
    private DatasetCache cache = DatasetCache.defaultCache();
    private Consumer<String> log = m -> System.err.println("strata worker: " + m);
    private String version = StrataVersion.get();
    private BooleanSupplier heartbeatsPaused = () -> false;

    private Builder(ClusterConfig config, EvaluatorFactory factory) {
      this.config = Objects.requireNonNull(config, "config");
      this.factory = Objects.requireNonNull(factory, "factory");
    }

    public Builder name(String value) {
      this.name = Objects.requireNonNull(value, "name");
      return this;
    }

    public Builder threads(int value) {
      if (value < 1) {
        throw new IllegalArgumentException("threads must be >= 1, got " + value);
      }
      this.threads = value;
      return this;
    }

    public Builder cache(DatasetCache value) {
      this.cache = Objects.requireNonNull(value, "cache");
      return this;
    }

    public Builder log(Consumer<String> value) {
      this.log = Objects.requireNonNull(value, "log");
      return this;
    }

    public Builder version(String value) {
      this.version = Objects.requireNonNull(value, "version");
      return this;
    }

    /**
     * Test hook: while {@code paused} is true the worker sends no heartbeats (and does not count
     * the silence against the coordinator), as if it froze, so the coordinator takes its trials back.
     */
    Builder pauseHeartbeats(BooleanSupplier paused) {
      this.heartbeatsPaused = Objects.requireNonNull(paused, "paused");
      return this;
    }

    public ClusterWorker build() {
      return new ClusterWorker(this);
    }
  }
}
