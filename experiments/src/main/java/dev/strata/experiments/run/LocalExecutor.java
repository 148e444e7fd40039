package dev.strata.experiments.run;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Runs trials on a fixed pool of this process's threads ({@code strata-local-N}, recorded as worker
 * {@code local-N}), one trial per thread. The runner keeps at most as many tasks in flight as there
 * are threads, so a submitted task starts at once.
 */
public final class LocalExecutor implements TrialExecutor {

  private final TrialEvaluator evaluator;
  private final ExecutorService pool;
  private final Map<Long, AtomicBoolean> cancelled = new ConcurrentHashMap<>();

  public LocalExecutor(TrialEvaluator evaluator, int threads) {
    this.evaluator = Objects.requireNonNull(evaluator, "evaluator");
    AtomicInteger ids = new AtomicInteger();
    this.pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "strata-local-" + ids.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  @Override
  public void submit(TrialTask task, Consumer<TrialMessage> inbox) {
    AtomicBoolean flag = new AtomicBoolean();
    cancelled.put(task.trialId(), flag);
    pool.execute(() -> {
      try {
        inbox.accept(new TrialMessage.Started(task, Thread.currentThread().getName().replace("strata-", "")));
        TaskRun.execute(evaluator, task, inbox, flag::get);
      } finally {
        cancelled.remove(task.trialId(), flag);
      }
    });
  }

  @Override
  public void cancel(TrialTask task) {
    AtomicBoolean flag = cancelled.get(task.trialId());
    if (flag != null) {
      flag.set(true);
    }
  }

  @Override
  public void close() {
    cancelled.values().forEach(f -> f.set(true));
    pool.shutdownNow();
    try {
      pool.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
