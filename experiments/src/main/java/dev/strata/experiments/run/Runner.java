package dev.strata.experiments.run;

import dev.strata.search.strategy.StrategyProvider;
import dev.strata.experiments.store.RunStore;
import dev.strata.search.fidelity.Decision;
import dev.strata.search.fidelity.Fidelity;
import dev.strata.search.fidelity.PlainScheduler;
import dev.strata.search.fidelity.Scheduler;
import dev.strata.search.strategy.BudgetedStrategy;
import dev.strata.search.strategy.Strategy;
import dev.strata.search.study.StoredTrial;
import dev.strata.search.study.Study;
import dev.strata.search.study.StudyJob;
import dev.strata.search.trial.Outcome;
import dev.strata.search.trial.RunState;
import dev.strata.search.trial.StudyRecord;
import dev.strata.search.trial.TrialStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
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
 * <p><b>Checkpoints.</b> A job may write {@code checkpoints/trial-ID-rR.ckpt}; when the trial is
 * promoted, that file is the next job's {@link TrialContext#resumeFrom()}. Files a trial can no
 * longer use are deleted as it moves on (lower rungs once it paused higher, all but the final one
 * once it finished, all of a paused trial when its study ends).
 *
 * <p><b>Reproducible mode</b> ({@link RunPlan#reproducible()}): every study is {@link
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
  /** The jobs in flight, by trial id (a trial has at most one job at a time). */
  private final Map<Long, JobRun> running = new HashMap<>();
  private int roundRobin;
  private int done;
  private int doneAtStart;
  private long startNanos;
  private long elapsedBeforeMs;
  private long deadlineNanos = Long.MAX_VALUE;
  private long lastElapsedSaveNanos;
  /** Worker-seconds spent in jobs in this process, for the utilisation figure. */
  private double busySeconds;
  /** Something the progress display shows changed since the last snapshot. */
  private boolean progressChanged;
  private final Map<String, Double> best = new TreeMap<>();
  private Path checkpointDir;

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
    this.latest = new RunProgress(0, 0, total(), Duration.ZERO, Optional.empty(), Map.of());
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
    startNanos = System.nanoTime();
    executor = external != null ? external : new LocalExecutor(evaluator, plan.parallel());
    RunState state = RunState.CRASHED;
    try {
      prepare();
      store.setState(RunState.RUNNING);
      publishProgress();
      loop();
      state = allDone() ? RunState.FINISHED : RunState.STOPPED;
      return summary(state);
    } catch (RuntimeException | Error e) {
      stopping = true;
      log.error("the run failed", e);
      throw e;
    } finally {
      running.values().forEach(r -> executor.cancel(r.task)); // only after a failure: workers stop waiting
      if (external == null) {
        executor.close();
      }
      try {
        saveElapsed();
        store.setState(state);
      } catch (RuntimeException e) {
        log.error("could not record the final state", e);
      }
      double wall = (System.nanoTime() - startNanos) / 1e9;
      log.info("run " + state + " after " + elapsed().toSeconds() + " s: " + done + " trials finished"
          + String.format(java.util.Locale.ROOT, "; workers busy %.0f%% of this session's %.1f s", 100 * utilisation(), wall));
      if (ownsLog) {
        log.close();
      }
    }
  }

  // ------------------------------------------------------------------ setup

  private void prepare() {
    checkpointDir = store.runDirectory().resolve("checkpoints");
    try {
      Files.createDirectories(checkpointDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + checkpointDir, e);
    }
    // The one place that resets what a crash left RUNNING (a fresh run has none).
    List<Long> zombies = store.interruptRunning("the process ended while the trial ran");
    if (!zombies.isEmpty()) {
      log.warn("trials left RUNNING by a crash, now INTERRUPTED and to run again: " + zombies);
    }
    elapsedBeforeMs = store.meta("elapsed_ms").map(Long::parseLong).orElse(0L);
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
    Map<String, StudyRecord> stored = new HashMap<>();
    for (StudyRecord r : store.studies()) {
      stored.put(r.label(), r);
    }
    for (StudyRecord r : stored.values()) {
      if (plan.studies().stream().noneMatch(sp -> sp.label().equals(r.label()))) {
        log.warn("study " + r.label() + " is in the run but not in the plan: it is left as it is");
      }
    }
    for (StudyPlan sp : plan.studies()) {
      StudyRecord record = stored.get(sp.label());
      boolean resumed = record != null;
      if (record == null) {
        record = store.addStudy(sp.strategy(), sp.seed(), plan.budget().trialsPerStudy(), sp.options());
      } else if (record.budgetTrials() != plan.budget().trialsPerStudy()) {
        store.setStudyBudget(record.id(), plan.budget().trialsPerStudy());
      }
      Study s = study(sp, record);
      if (resumed) {
        Study.Resumed r = s.resume();
        done += r.finished();
        log.info("study " + s.label() + " resumed: " + r.calls() + " calls replayed, " + r.toRunAgain()
            + " trials to run again, " + r.toHandOver() + " results to hand over");
      }
      studies.add(s);
    }
    doneAtStart = done;
    for (Study s : studies) {
      s.handOver();
    }
  }

  /** A study of the plan: its strategy within the trial budget, wrapped in the plan's scheduler. */
  private Study study(StudyPlan sp, StudyRecord record) {
    long seed = Seeds.study(plan.experimentSeed(), sp.strategy(), sp.seed());
    Strategy strategy = new BudgetedStrategy(
        strategies.create(sp.strategy(), plan.space(), plan.direction(), seed, sp.options()),
        plan.budget().trialsPerStudy());
    Scheduler scheduler = plan.scheduler() == null
        ? new PlainScheduler(strategy, Math.max(1, plan.maxEpochs()))
        : Objects.requireNonNull(plan.scheduler().wrap(strategy, plan.direction()), "scheduler");
    Study.Builder b = Study.builder(store, record, scheduler)
        .trialSeeds(index -> Seeds.trial(plan.experimentSeed(), sp.strategy(), sp.seed(), index))
        .trainSecondsBudget(plan.budget().trainSecondsPerStudy())
        .onCompleted(value -> best.merge(sp.strategy(), value, (a, v) -> plan.direction().isBetter(v, a) ? v : a));
    if (plan.reproducible()) {
      b.ordered(window);
    }
    return b.build();
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
        checkTimeLimits();
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
      case TrialMessage.Started m -> started(running.get(m.task().trialId()), m.worker());
      case TrialMessage.Epoch m -> epoch(running.get(m.task().trialId()), m);
      case TrialMessage.Note m -> log.warn("trial " + m.task().trialId() + " (" + m.task().label() + "): " + m.text());
      case TrialMessage.Ended m -> ended(running.remove(m.task().trialId()), m);
      case Wake w -> {
        log.info("stop requested: no new trials; running trials are asked to stop");
        store.setState(RunState.STOPPING);
        studies.forEach(Study::halt);
        running.values().forEach(r -> executor.cancel(r.task));
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

  /** Cancels the jobs that ran past the per-trial time limit; they end FAILED (timed out). */
  private void checkTimeLimits() {
    if (plan.maxTrialSeconds() <= 0) {
      return;
    }
    long now = System.nanoTime();
    for (JobRun run : running.values()) {
      if (run.started && !run.timedOut && now - run.startNanos > plan.maxTrialSeconds() * 1e9) {
        run.timedOut = true;
        executor.cancel(run.task);
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
        JobRun run = new JobRun(s, job.get(), task(s, job.get()));
        running.put(run.job.trialId(), run);
        executor.submit(run.task, inbox::add);
        return true;
      }
    }
    return false;
  }

  // ------------------------------------------------------------------ jobs and their messages

  /** What the executor runs for a job; a promotion continues from its checkpoint when it is still there. */
  private TrialTask task(Study s, StudyJob job) {
    Optional<Path> resumeFrom = Optional.empty();
    if (job.fromResource() > 0) {
      Path from = checkpoint(job.trialId(), job.fromResource());
      if (Files.exists(from)) {
        resumeFrom = Optional.of(from);
      } else {
        log.warn("trial " + job.trialId() + ": promoted to " + fmt(job.resource()) + " but no checkpoint of "
            + fmt(job.fromResource()) + " is left (" + from.getFileName() + "); it starts from scratch");
      }
    }
    int resource = plan.scheduler() == null ? plan.maxEpochs() : Fidelity.whole(job.resource());
    return new TrialTask(job.trialId(), s.label() + " #" + job.trialIndex(), job.seed(), resource,
        plan.maxTrialSeconds(), job.configuration(), resumeFrom, checkpoint(job.trialId(), job.resource()));
  }

  /** A worker took the job: the trial is RUNNING there (on another worker, after a requeue). */
  private void started(JobRun run, String worker) {
    if (run == null) {
      return;
    }
    if (run.started) {
      store.setTrialWorker(run.job.trialId(), worker);
    } else {
      store.startTrial(run.job.trialId(), worker, run.job.fromResource());
      run.started = true;
    }
    run.startNanos = System.nanoTime();
  }

  /** Records an epoch; with a scheduler, the study decides whether the job goes on. */
  private void epoch(JobRun run, TrialMessage.Epoch m) {
    boolean go = false;
    try {
      if (run == null) {
        return;
      }
      if (Double.isFinite(m.epoch().valMetric())) {
        run.lastValue = m.epoch().valMetric();
      }
      if (plan.scheduler() == null || stopping) {
        store.recordEpoch(m.epoch());
      } else if (run.study.report(run.job, m.epoch()) == Decision.STOP) {
        run.pruned = true;
        executor.cancel(run.task);
      }
      go = !stopping && !run.pruned && !run.timedOut;
    } finally {
      m.answer().accept(go);
    }
  }

  private void ended(JobRun run, TrialMessage.Ended e) {
    if (run == null) {
      throw new IllegalStateException("trial " + e.task().trialId() + " ended but has no job in flight");
    }
    busySeconds += e.wallSeconds();
    Study s = run.study;
    long id = run.job.trialId();
    String name = "trial " + id + " (" + s.label() + " #" + run.job.trialIndex();
    boolean interrupted = stopping && !run.pruned && !run.timedOut && e.error() == null
        && !e.result().status().isFinished();
    progressChanged = true;
    if (interrupted) {
      store.markInterrupted(id, "stopped before it finished; it runs again on resume");
      log.info(name + ") INTERRUPTED");
      return;
    }
    Outcome o = TrialClassification.outcome(e.result(), e.error(), plan.metric(), run.pruned, run.timedOut,
        run.lastValue, s.scheduler().name(), plan.maxTrialSeconds());
    TrialResult r = e.result();
    double seconds = r != null && r.trainSeconds() > 0 ? r.trainSeconds() : e.wallSeconds();
    boolean wasClosed = s.isClosed();
    Study.Told told = s.tell(run.job, o, seconds,
        r == null ? Study.Trained.NOTHING : new Study.Trained(r.parameters(), r.flops(), r.networkSpecJson()));
    double resource = run.job.resource();
    if (told == Study.Told.PAUSED) {
      dropCheckpoints(id, resource);
    } else {
      dropCheckpoints(id, o.status() == TrialStatus.COMPLETED ? resource : Double.NaN);
      done++;
    }
    log.info(name + ", resource " + fmt(resource) + ") " + o.status()
        + (o.hasValue() ? " " + plan.metric() + "=" + o.value() : "")
        + (o.reason().isEmpty() ? "" : " (" + o.reason() + ")") + String.format(" in %.3f s", seconds));
    if (!wasClosed && s.isClosed()) {
      log.info("study " + s.label() + ": training-seconds budget reached, no new trials");
    }
  }

  private void finished(Study s, Study.Finished f) {
    done += f.pruned();
    f.unfinished().forEach(id -> dropCheckpoints(id, Double.NaN));
    log.info("study " + s.label() + " finished" + (f.pruned() > 0 ? " (" + f.pruned() + " paused trials PRUNED)" : ""));
    publishProgress();
  }

  // ------------------------------------------------------------------ checkpoint files

  private Path checkpoint(long trialId, double resource) {
    return checkpointDir.resolve("trial-" + trialId + "-r" + Fidelity.whole(resource) + ".ckpt");
  }

  /**
   * Deletes a trial's checkpoints except the one of resource {@code keep} (NaN: all of them), so an
   * overnight run keeps only what a promotion or {@code strata export} can still use: the latest
   * rung of a paused trial and the final model of a completed one. Best effort: a file that cannot
   * be deleted only costs disk space.
   */
  private void dropCheckpoints(long trialId, double keep) {
    String prefix = "trial-" + trialId + "-r";
    String kept = Double.isNaN(keep) ? null : checkpoint(trialId, keep).getFileName().toString();
    try (var files = Files.newDirectoryStream(checkpointDir, prefix + "*")) {
      for (Path f : files) {
        if (!f.getFileName().toString().equals(kept)) {
          Files.deleteIfExists(f);
        }
      }
    } catch (IOException | UncheckedIOException e) {
      log.warn("could not delete the checkpoints of trial " + trialId + ": " + e.getMessage());
    }
  }

  // ------------------------------------------------------------------ progress and summary

  /** Busy worker-seconds over {@code parallel} times this session's wall-clock seconds (0..1). */
  private double utilisation() {
    double wall = (System.nanoTime() - startNanos) / 1e9;
    return wall <= 0 ? 0 : Math.min(1, busySeconds / (plan.parallel() * wall));
  }

  private int total() {
    return plan.budget().trialsPerStudy() * plan.studies().size();
  }

  private Duration elapsed() {
    return Duration.ofMillis(elapsedBeforeMs + (System.nanoTime() - startNanos) / 1_000_000);
  }

  private void saveElapsed() {
    lastElapsedSaveNanos = System.nanoTime();
    store.putMeta("elapsed_ms", Long.toString(elapsed().toMillis()));
  }

  private void publishProgress() {
    int total = total();
    Optional<Duration> eta = Optional.empty();
    int doneNow = done - doneAtStart;
    if (doneNow > 0 && total > 0) {
      double perTrial = (System.nanoTime() - startNanos) / 1e9 / doneNow;
      eta = Optional.of(Duration.ofMillis((long) (Math.max(0, total - done) * perTrial * 1000)));
    }
    latest = new RunProgress(done, running.size(), total, elapsed(), eta, best);
    if (listener != null) {
      try {
        listener.accept(latest);
      } catch (RuntimeException e) {
        log.error("the progress listener failed", e);
      }
    }
  }

  private RunSummary summary(RunState state) {
    Map<TrialStatus, Integer> counts = new EnumMap<>(TrialStatus.class);
    for (Study s : studies) {
      for (StoredTrial t : store.studyTrials(s.record().id())) {
        counts.merge(t.record().status(), 1, Integer::sum);
      }
    }
    return new RunSummary(state, counts, elapsed(), best);
  }

  private static String fmt(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }

  /** One job in flight, from submission to its end. Coordinator thread only. */
  private static final class JobRun {
    final Study study;
    final StudyJob job;
    final TrialTask task;
    /** A worker took the job (the trial is RUNNING in the store). */
    boolean started;
    long startNanos;
    boolean pruned;
    boolean timedOut;
    double lastValue = Double.NaN;

    JobRun(Study study, StudyJob job, TrialTask task) {
      this.study = study;
      this.job = job;
      this.task = task;
    }
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
