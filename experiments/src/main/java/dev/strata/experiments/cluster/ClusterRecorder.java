package dev.strata.experiments.cluster;

import dev.strata.experiments.store.RunStore;
import dev.strata.runs.WorkerRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Writes a coordinator's view of its cluster into the run's store beside the runner: the
 * {@code workers} table for the dashboard (a snapshot at most once per {@link #PERIOD_MS}, written
 * only when it changed), and cluster events in the event log (type {@code cluster}).
 *
 * <p>The workers table and events are written by one background thread, so neither the event
 * loop nor a trial ever waits for SQLite. (The worker each trial runs on is the runner's to record,
 * from the executor's {@code Started} message.)
 *
 * <p>Thread-safe. Call order: build it, give it to the coordinator's builder as {@code events},
 * {@link #attach} once the store is open, {@link #close()} before closing the store. Events before {@link #attach} (a worker joining while {@code resume} opens the run, which
 * it does only once the node is up) are kept, up to {@link #EARLY_LIMIT}, and written on attach.
 */
public final class ClusterRecorder implements Consumer<ClusterEvent>, AutoCloseable {

  /** The workers table is written at most this often. */
  static final long PERIOD_MS = 1_000;

  /** At most this many events are kept from before {@link #attach}. */
  static final int EARLY_LIMIT = 1_000;

  private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "strata-cluster-recorder");
    t.setDaemon(true);
    return t;
  });
  private volatile RunStore store;
  private volatile Supplier<ClusterSnapshot> snapshots;
  private List<WorkerRecord> written; // only on the recorder thread
  private final List<ClusterEvent> early = new ArrayList<>(); // guarded by itself; empty once attached

  /** Where the workers come from: the coordinator this recorder serves. */
  void snapshots(Supplier<ClusterSnapshot> value) {
    this.snapshots = Objects.requireNonNull(value, "snapshots");
  }

  /**
   * Starts recording into {@code store}: marks the previous session's workers lost, then writes
   * the workers every {@link #PERIOD_MS} when they changed.
   */
  public ClusterRecorder attach(RunStore store) {
    Objects.requireNonNull(store, "store");
    if (snapshots == null) {
      throw new IllegalStateException("the recorder serves no coordinator yet");
    }
    synchronized (early) {
      thread.execute(store::beginWorkerSession);
      for (ClusterEvent e : early) {
        record(store, e);
      }
      early.clear();
      this.store = store;
    }
    thread.scheduleWithFixedDelay(this::writeWorkers, 0, PERIOD_MS, TimeUnit.MILLISECONDS);
    return this;
  }

  /** The event hook. */
  @Override
  public void accept(ClusterEvent e) {
    RunStore s;
    synchronized (early) {
      s = store;
      if (s == null) {
        if (early.size() < EARLY_LIMIT) {
          early.add(e);
        }
        return;
      }
    }
    record(s, e);
  }

  private void record(RunStore s, ClusterEvent e) {
    try {
      thread.execute(() -> s.recordClusterEvent(e.type(), e.time().toEpochMilli(), e.worker(), e.trialId(),
          e.detail()));
    } catch (RejectedExecutionException closed) {
      // closing: the event is in the log file
    }
  }

  private void writeWorkers() {
    writeWorkers(false);
  }

  /** @param last the session ends: workers still active are recorded as left, with no current trials */
  private void writeWorkers(boolean last) {
    try {
      List<WorkerRecord> now = records(snapshots.get());
      if (last) {
        now = now.stream().map(w -> w.state().equals("active") ? new WorkerRecord(w.name(), w.host(), w.threads(),
            w.trialsDone(), List.of(), w.lastHeartbeatMs(), "left", w.local()) : w).toList();
      }
      if (!now.equals(written)) {
        store.recordWorkers(now);
        written = now;
      }
    } catch (RuntimeException e) {
      // the store closed or is busy: try again next period
    }
  }

  static List<WorkerRecord> records(ClusterSnapshot s) {
    return s.workers();
  }

  /**
   * Writes the workers one last time (the session is over: none is active any more) and stops;
   * waits up to 10 s for pending writes. Call it before closing the store.
   */
  @Override
  public void close() {
    if (store != null) {
      try {
        thread.execute(() -> writeWorkers(true));
      } catch (RejectedExecutionException ignored) {
        // already closed
      }
    }
    thread.shutdown();
    try {
      thread.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
