package dev.strata.experiments.run;

import dev.strata.experiments.store.RunStore;
import dev.strata.runs.RunState;
import dev.strata.search.strategy.BudgetedStrategy;
import dev.strata.search.strategy.StrategyProvider;
import dev.strata.search.study.StoredTrial;
import dev.strata.search.study.Study;
import dev.strata.search.study.StudyJob;
import dev.strata.search.trial.TrialStatus;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs a {@link RunPlan}: keeps {@code parallel} trials in flight on a {@link TrialExecutor}, asks
 * the {@link Study studies} (strategy × seed, each with its scheduler and budget) for work, and
 * stops when every study has spent its budget or a stop was requested. The studies record every
 * step in the {@link RunStore}; the runner records what the executor tells it (a trial started on a
 * worker, its epochs, an interruption).
 *
 * <p><b>Threads.</b> {@link #run()} is the coordinator: the only thread that calls studies,
 * schedulers and strategies, and the only one that writes trials to the store; it never trains.
 * The executor runs trials elsewhere (this process's {@code strata-local-N} threads, stored as
 * worker {@code local-N}, or cluster workers) and posts {@link TrialMessage}s to the runner's one
 * inbox. An epoch waits for the runner's answer (with a scheduler, its decision). {@link
 * #requestStop()} and {@link #progress()} may be called from any thread.
 *
 * <p><b>Fairness.</b> Studies are served round-robin and each keeps at most {@link RunPlan#window()}
 * = ⌈parallel / studies⌉ jobs outstanding, so every strategy gets an equal share of the workers. A
 * worker that no study can use within its window (the others wait for results, or are done) goes to
 * a study beyond its window instead of idling (not in reproducible mode). Budgets are counted per
 * study in trials ({@link BudgetedStrategy}) and training seconds ({@link Study}); the wall clock
 * is the run's.
 *
 * <p>The jobs in flight, their messages, time limits and checkpoint files are {@link InFlight}'s.
 *
 * <p><b>Reproducible mode</b> ({@link RunPlan#reproducible()}, the default): every study is {@link
 * Study.Builder#ordered ordered}, so the sequence of calls each strategy sees is a function of the
 * results only, never of timing. With a deterministic evaluator (a function of configuration and
 * {@link TrialContext#seed()}) two runs of the same plan with the same {@code parallel} store the
 * same trials, configurations and metrics, and so does a run that was stopped or killed and
 * resumed. The price: a study whose oldest job is slow may leave a worker idle. Exact for plain
 * strategies and for schedulers that decide on completed jobs (ASHA, successive halving,
 * Hyperband); a scheduler that stops trials on other trials' intermediate reports (median stopping)
 * is exact only with a window of 1 (parallel &le; studies). Training-seconds and wall-clock budgets
 * cut the sequence at a timing-dependent point.
 *
 * <p><b>Outcomes</b> are {@link TrialClassification}'s: REJECTED, DIVERGED and FAILED are told to
 * the strategy like any result and the search goes on. A trial past {@link
 * RunPlan#maxTrialSeconds()} is cancelled and ends FAILED (timed out). After {@link #requestStop()}
 * running trials are cancelled and end INTERRUPTED; they run again on resume.
 *
 * <p>Call order: {@link #builder}, then {@link #run()} once.
 */
public final class Runner {

  private final RunPlan plan;
  private final TrialEvaluator evaluator;
  private final TrialExecutor external;
  private final RunStore store;
  private final StrategyProvider strategies;
  private final Consumer<RunProgress> listener;
  private final RunLog log;
  private final boolean ownsLog;
  private final int window;

  private final BlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
  private volatile boolean stopping;
  private volatile RunProgress latest;
  private boolean started;

  private TrialExecutor executor;
  private final List<Study> studies = new ArrayList<>();
  private InFlight running;
  private int roundRobin;
  private final ProgressTracker progress;
  private long deadlineNanos = Long.MAX_VALUE;
  private long lastElapsedSaveNanos;
  /** Something the progress display shows changed since the last snapshot. */
  private boolean progressChanged;

  private Runner(Builder b) {
    this.plan = b.plan;
    this.evaluator = b.evaluator;
    this.external = b.executor;
    this.store = b.store;
    this.strategies = b.strategies;
    this.listener = b.progress;
    this.ownsLog = b.log == null;
    this.log = b.log == null ? RunLog.open(store.runDirectory()) : b.log;
    this.window = b.window > 0 ? b.window : plan.window();
    this.progress = new ProgressTracker(plan.budget().trialsPerStudy() * plan.studies().size(), plan.parallel(),
        plan.direction());
    this.latest = progress.snapshot(0);
  }

  /**
   * A builder that evaluates trials on {@code plan.parallel()} threads of this process. The store
   * is created or opened by the caller, who also closes it.
   */
  public static Builder builder(RunPlan plan, TrialEvaluator evaluator, RunStore store) {
    return new Builder(plan, Objects.requireNonNull(evaluator, "evaluator"), null, store);
  }

  /**
   * A builder that runs trials on {@code executor} (e.g. a cluster), keeping {@code plan.parallel()}
   * of them in flight; the caller closes the executor and the store.
   */
  public static Builder builder(RunPlan plan, TrialExecutor executor, RunStore store) {
    return new Builder(plan, null, Objects.requireNonNull(executor, "executor"), store);
  }

  /**
   * Asks the run to stop: no new trial starts, running trials are cancelled and end INTERRUPTED (or
   * finish, if they complete first); {@link #run()} returns once they are all back. Idempotent;
   * callable from any thread (a signal handler).
   */
  public void requestStop() {
    if (!stopping) {
      stopping = true;
      inbox.add(Wake.STOP);
    }
  }

  public boolean stopRequested() {
    return stopping;
  }

  /** The latest progress snapshot; callable from any thread. */
  public RunProgress progress() {
    return latest;
  }

  /**
   * Runs until every study has spent its budget, a stop was requested, or the store fails.
   * Continues a run already in the store (see {@link Resume}): studies are matched by strategy and
   * seed and {@link Study#resume() resumed}.
   *
   * @throws IllegalStateException when called twice, or when a stored study cannot be replayed
   */
  public RunSummary run() {
    synchronized (this) {
      if (started) {
        throw new IllegalStateException("a Runner runs once; build another to run again");
      }
      started = true;
    }
    long startNanos = System.nanoTime();
    executor = external != null ? external : new LocalExecutor(evaluator, plan.parallel());
    running = new InFlight(plan, store, executor, inbox::add, progress, log);
    RunState state = RunState.CRASHED;
    try {
      prepare(startNanos);
      store.setState(RunState.RUNNING);
      publishProgress();
      loop();
      state = allDone() ? RunState.FINISHED : RunState.STOPPED;
      return new RunSummary(state, counts(), progress.elapsed(), progress.best());
    } catch (RuntimeException | Error e) {
      stopping = true;
      log.error("the run failed", e);
      throw e;
    } finally {
      running.cancelAll(); // only after a failure: workers stop waiting
      if (external == null) {
        executor.close();
      }
      try {
        saveElapsed();
        store.setState(state);
      } catch (RuntimeException e) {
        log.error("could not record the final state", e);
      }
      log.info("run " + state + " after " + progress.elapsed().toSeconds() + " s: " + progress.done()
          + " trials finished" + String.format(java.util.Locale.ROOT, "; workers busy %.0f%% of this session's %.1f s",
          100 * progress.utilisation(), progress.sessionSeconds()));
      if (ownsLog) {
        log.close();
      }
    }
  }

  // ------------------------------------------------------------------ setup

  private void prepare(long startNanos) {
    // The one place that resets what a crash left RUNNING (a fresh run has none).
    List<Long> zombies = store.interruptRunning("the process ended while the trial ran");
    if (!zombies.isEmpty()) {
      log.warn("trials left RUNNING by a crash, now INTERRUPTED and to run again: " + zombies);
    }
    long elapsedBeforeMs = store.meta("elapsed_ms").map(Long::parseLong).orElse(0L);
    progress.elapsedBefore(elapsedBeforeMs);
    if (!plan.budget().wallClock().isZero()) {
      long leftMs = plan.budget().wallClock().toMillis() - elapsedBeforeMs;
      deadlineNanos = startNanos + TimeUnit.MILLISECONDS.toNanos(Math.max(0, leftMs));
    }
    store.putMeta("experiment_seed", Long.toString(plan.experimentSeed()));
    store.putMeta("reproducible", Boolean.toString(plan.reproducible()));
    store.putMeta("parallel", Integer.toString(plan.parallel()));
    store.putMeta("window", Integer.toString(window));
    log.info("run " + store.experiment().name() + ": " + plan.studies().size() + " studies, parallel "
        + plan.parallel() + ", window " + window + (plan.reproducible() ? ", reproducible" : "")
        + ", budget " + plan.budget());
    studies.addAll(RunStudies.open(plan, store, strategies, window, progress, log));
    progress.sessionStarts();
    for (Study s : studies) {
      s.handOver();
    }
  }

  // ------------------------------------------------------------------ the coordinator loop

  private void loop() {
    if (plan.reproducible()) {
      for (Study s : studies) {
        s.drain();
      }
    }
    while (true) {
      if (!stopping) {
        checkDeadline();
        running.checkTimeLimits();
        while (running.size() < plan.parallel() && dispatchOne()) {
          progressChanged = true;
        }
      }
      if (progressChanged) {
        // once per pass, after the free workers got their next trials: a snapshot taken between a
        // trial's end and its successor's start would show one worker too few as running
        progressChanged = false;
        publishProgress();
      }
      for (Study s : studies) {
        s.finishIfDone().ifPresent(f -> finished(s, f));
      }
      if (running.isEmpty() && (stopping || allDone())) {
        return;
      }
      if (running.isEmpty() && !canProgress()) {
        for (Study s : studies) {
          if (!s.isDone()) {
            log.warn("study " + s.label() + " cannot go on (its scheduler waits with nothing running)");
            s.abandon();
          }
        }
        return;
      }
      Object message;
      try {
        message = inbox.poll(200, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        requestStop();
        continue;
      }
      while (message != null) {
        handle(message);
        message = inbox.poll();
      }
      if (System.nanoTime() - lastElapsedSaveNanos > TimeUnit.SECONDS.toNanos(10)) {
        saveElapsed();
      }
    }
  }

  private void handle(Object message) {
    switch (message) {
      case TrialMessage m -> {
        running.handle(m);
        progressChanged |= m instanceof TrialMessage.Ended;
      }
      case Wake w -> {
        log.info("stop requested: no new trials; running trials are asked to stop");
        store.setState(RunState.STOPPING);
        studies.forEach(Study::halt);
        running.stop();
      }
      default -> throw new IllegalStateException("unexpected message " + message);
    }
  }

  private boolean canProgress() {
    if (stopping) {
      return false;
    }
    for (Study s : studies) {
      if (!s.isDone() && (s.hasReady() || s.canAsk(window))) {
        return true;
      }
    }
    return false;
  }

  private boolean allDone() {
    return studies.stream().allMatch(Study::isDone);
  }

  private void checkDeadline() {
    if (deadlineNanos != Long.MAX_VALUE && System.nanoTime() >= deadlineNanos) {
      for (Study s : studies) {
        if (!s.isClosed()) {
          s.close();
          log.info("study " + s.label() + ": wall-clock budget reached, no new trials");
        }
      }
    }
  }

  /**
   * Starts one job, taking studies round-robin within their windows. When no study can use the
   * worker within its window (the others wait for results or are done), a study may go beyond its
   * window rather than leave the worker idle; fairness is kept whenever it costs nothing. Not in
   * reproducible mode, where the window is part of what makes the call sequence fixed.
   */
  private boolean dispatchOne() {
    return dispatchOne(window) || !plan.reproducible() && window < plan.parallel() && dispatchOne(plan.parallel());
  }

  private boolean dispatchOne(int limit) {
    int n = studies.size();
    for (int k = 0; k < n; k++) {
      int i = (roundRobin + k) % n;
      Study s = studies.get(i);
      if (s.isDone()) {
        continue;
      }
      if (!s.hasReady() && !plan.reproducible() && s.canAsk(limit)) {
        s.ask();
      }
      Optional<StudyJob> job = s.poll();
      if (job.isPresent()) {
        roundRobin = (i + 1) % n;
        running.submit(s, job.get());
        return true;
      }
    }
    return false;
  }

  private void finished(Study s, Study.Finished f) {
    progress.finished(f.pruned());
    running.studyFinished(f);
    log.info("study " + s.label() + " finished" + (f.pruned() > 0 ? " (" + f.pruned() + " paused trials PRUNED)" : ""));
    publishProgress();
  }

  private void saveElapsed() {
    lastElapsedSaveNanos = System.nanoTime();
    store.putMeta("elapsed_ms", Long.toString(progress.elapsed().toMillis()));
  }

  private void publishProgress() {
    latest = progress.snapshot(running.size());
    if (listener != null) {
      try {
        listener.accept(latest);
      } catch (RuntimeException e) {
        log.error("the progress listener failed", e);
      }
    }
  }

  private Map<TrialStatus, Integer> counts() {
    Map<TrialStatus, Integer> counts = new EnumMap<>(TrialStatus.class);
    for (Study s : studies) {
      for (StoredTrial t : store.studyTrials(s.record().id())) {
        counts.merge(t.record().status(), 1, Integer::sum);
      }
    }
    return counts;
  }

  private enum Wake {
    STOP
  }

  /**
   * Builds a {@link Runner}. Defaults: strategies from search-core's registry, no progress
   * listener, the log {@code strata.log} in the store's run directory, window from the plan.
   */
  public static final class Builder {
    private final RunPlan plan;
    private final TrialEvaluator evaluator;
    private final TrialExecutor executor;
    private final RunStore store;
    private StrategyProvider strategies = StrategyProvider.REGISTRY;
    private Consumer<RunProgress> progress;
    private RunLog log;
    private int window;

    private Builder(RunPlan plan, TrialEvaluator evaluator, TrialExecutor executor, RunStore store) {
      this.plan = Objects.requireNonNull(plan, "plan");
      this.evaluator = evaluator;
      this.executor = executor;
      this.store = Objects.requireNonNull(store, "store");
    }

    public Builder strategies(StrategyProvider value) {
      this.strategies = Objects.requireNonNull(value, "strategies");
      return this;
    }

    /** Called on the coordinator thread after every change; must return quickly. */
    public Builder progress(Consumer<RunProgress> value) {
      this.progress = value;
      return this;
    }

    /** A log to write to instead of the run directory's {@code strata.log}; the caller closes it. */
    public Builder log(RunLog value) {
      this.log = value;
      return this;
    }

    /** The per-study window; set by {@link Resume} to the one the run started with. */
    Builder window(int value) {
      this.window = value;
      return this;
    }

    public Runner build() {
      return new Runner(this);
    }
  }
}
