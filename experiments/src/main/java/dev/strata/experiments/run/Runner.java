package dev.strata.experiments.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.strata.experiments.store.NewTrial;
import dev.strata.experiments.store.RunStore;
import dev.strata.experiments.store.StoredTrial;
import dev.strata.experiments.store.StrategyCall;
import dev.strata.experiments.store.TrialFinish;
import dev.strata.search.fidelity.PlainScheduler;
import dev.strata.search.strategy.BudgetedStrategy;
import dev.strata.search.fidelity.Decision;
import dev.strata.search.fidelity.Fidelity;
import dev.strata.search.fidelity.Job;
import dev.strata.search.fidelity.Scheduler;
import dev.strata.search.strategy.Strategy;
import dev.strata.search.trial.Configuration;
import dev.strata.search.trial.EpochRecord;
import dev.strata.search.trial.Outcome;
import dev.strata.search.trial.RunState;
import dev.strata.search.trial.StudyRecord;
import dev.strata.search.trial.TrialRecord;
import dev.strata.search.trial.TrialStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Runs a {@link RunPlan}: keeps {@code parallel} trials in flight on a pool of worker threads,
 * asks the studies' strategies (through their schedulers) for work, records everything in the
 * {@link RunStore}, and stops when every study has spent its budget or a stop was requested.
 *
 * <p><b>Threads.</b> {@link #run()} is the coordinator: the only thread that calls strategies and
 * schedulers, and it never trains. Each trial trains on one worker thread ({@code strata-local-N},
 * stored as worker {@code local-N}). Workers talk to the coordinator through a queue: a finished
 * job, or (with a scheduler) an epoch report that waits for the scheduler's decision. {@link
 * #requestStop()} and {@link #progress()} may be called from any thread.
 *
 * <p><b>Fairness.</b> Studies (strategy × seed) are served round-robin and each keeps at most
 * {@link RunPlan#window()} = ⌈parallel / studies⌉ jobs outstanding, so every strategy gets an
 * equal share of the workers. A worker that no study can use within its window (the others wait
 * for results, or are done) goes to a study beyond its window instead of idling (not in
 * reproducible mode). Budgets are counted per study in trials and training seconds.
 *
 * <p><b>Checkpoints.</b> A job may write {@code checkpoints/trial-ID-rR.ckpt}; when the trial is
 * promoted, that file is the next job's {@link TrialContext#resumeFrom()}. Files a trial can no
 * longer use are deleted as it moves on (lower rungs once it paused higher, all but the final one
 * once it finished, all of a paused trial when its study ends).
 *
 * <p><b>Commit before tell.</b> A job's result is committed to the store (the trial finished, or
 * paused at a rung) before its scheduler and strategy hear of it; the {@code complete} call is
 * logged just before it is made. Every scheduler call ({@code next}, {@code report}, {@code
 * complete}) is in the store's call log, which {@link Resume} replays.
 *
 * <p><b>Reproducible mode</b> ({@link RunPlan#reproducible()}). Each study completes its jobs in the
 * order they were handed out, buffering results that arrive early, and asks eagerly: after every
 * completion it tops up to its window at once, whether or not a worker is free. The sequence of
 * calls each strategy sees is then a function of the results only, never of timing, so with a
 * deterministic evaluator (a function of configuration and {@link TrialContext#seed()}) two runs
 * of the same plan with the same {@code parallel} store the same trials, configurations and
 * metrics, and so does a run that was stopped or killed and resumed. The price: a study whose
 * oldest job is slow may leave a worker idle. Exact for plain strategies and for schedulers that
 * decide on completed jobs (ASHA, successive halving, Hyperband); a scheduler that stops trials on
 * other trials' intermediate reports (median stopping) is exact only with a window of 1 (parallel
 * &le; studies). Training-seconds and wall-clock budgets cut the sequence at a timing-dependent
 * point.
 *
 * <p><b>Outcomes.</b> An evaluator exception becomes FAILED with its message; a COMPLETED result
 * without a finite objective metric becomes FAILED (missing) or DIVERGED (NaN/Inf); REJECTED,
 * DIVERGED and FAILED are told to the strategy like any result; the search always goes on. A trial
 * past {@link RunPlan#maxTrialSeconds()} is asked to stop and ends FAILED (timed out). After {@link
 * #requestStop()} running trials see {@link TrialContext#shouldStop()} and end INTERRUPTED; they
 * run again on resume.
 *
 * <p>Call order: {@link #builder}, then {@link #run()} once.
 */
public final class Runner {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final double EPS = 1e-9;

  private final RunPlan plan;
  private final TrialEvaluator evaluator;
  private final TrialExecutor external;
  private TrialExecutor executor;
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
  /** The jobs in flight, by trial id (a trial has at most one job at a time). */
  private final Map<Long, JobRun> running = new HashMap<>();

  private final List<Study> studies = new ArrayList<>();
  private int roundRobin;
  private int inFlight;
  private int done;
  private int doneAtStart;
  private long startNanos;
  private long elapsedBeforeMs;
  private long deadlineNanos = Long.MAX_VALUE;
  private long lastElapsedSaveNanos;
  /** Worker-seconds spent in jobs (evaluation and store calls) in this process, for the utilisation figure. */
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
   * Asks the run to stop: no new trial starts, running trials see {@link
   * TrialContext#shouldStop()} and end INTERRUPTED (or finish, if they complete first); {@link
   * #run()} returns once they are all back. Idempotent; callable from any thread (a signal handler).
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
   * seed, their strategies rebuilt from the call log, unfinished trials run again.
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

  // ------------------------------------------------------------------ setup and replay

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
      Study s;
      if (record == null) {
        record = store.addStudy(sp.strategy(), sp.seed(), plan.budget().trialsPerStudy(), sp.options());
        s = new Study(sp, record);
      } else {
        if (record.budgetTrials() != plan.budget().trialsPerStudy()) {
          store.setStudyBudget(record.id(), plan.budget().trialsPerStudy());
        }
        s = new Study(sp, record);
        replay(s);
      }
      studies.add(s);
    }
    for (Study s : studies) {
      if (!plan.reproducible()) {
        for (Completion c : new ArrayList<>(s.ended.values())) {
          s.ended.remove(c.run.seq);
          complete(s, c.run, c.outcome);
        }
      }
    }
  }

  /** Rebuilds a stored study: replays its call log into a fresh strategy and scheduler. */
  private void replay(Study s) {
    Map<Integer, StoredTrial> rows = new HashMap<>();
    for (StoredTrial t : store.studyTrials(s.record.id())) {
      rows.put(t.record().index(), t);
      s.trainSeconds += t.record().trainSeconds();
      if (!t.record().status().isFinished()) {
        s.trials.put(t.record().index(), new TrialState(t.record().id(), t.record().index(), t.seed(),
            t.record().configuration(), t.reached(), t.record().trainSeconds()));
      }
    }
    Map<Integer, JobRun> open = new LinkedHashMap<>();
    List<StrategyCall> calls = store.callLog(s.record.id());
    for (StrategyCall call : calls) {
      switch (call.kind()) {
        case NEXT -> {
          List<Job> jobs = s.scheduler.next(call.requested());
          checkReplay(s, call, jobs);
          for (Job job : jobs) {
            StoredTrial row = rows.get(job.trialIndex());
            if (row == null) {
              throw new IllegalStateException("study " + s.plan.label() + ": the call log names trial #"
                  + job.trialIndex() + " but the store has no such trial");
            }
            TrialState t = s.trials.computeIfAbsent(job.trialIndex(), i -> new TrialState(row.record().id(),
                i, row.seed(), row.record().configuration(), row.reached(), row.record().trainSeconds()));
            JobRun run = new JobRun(s, s.nextSeq++, job, t);
            open.put(job.trialIndex(), run);
          }
        }
        case REPORT -> s.scheduler.report(call.index(), call.resource(), call.value());
        case COMPLETE -> {
          JobRun run = open.remove(call.index());
          if (run == null) {
            throw new IllegalStateException("study " + s.plan.label() + ": the call log completes trial #"
                + call.index() + " which has no job running");
          }
          Outcome o = call.outcome().orElseGet(() -> rowOutcome(rows.get(call.index())));
          double resource = Double.isNaN(call.resource()) ? run.job.resource() : call.resource();
          s.scheduler.complete(call.index(), resource, o);
          if (o.status() == TrialStatus.COMPLETED && atMax(s, resource)) {
            noteBest(s, o.value());
          }
        }
      }
    }
    int rerun = 0;
    for (JobRun run : open.values()) {
      s.outstanding.add(run.seq);
      StoredTrial row = rows.get(run.job.trialIndex());
      TrialRecord r = row.record();
      if (r.status().isFinished()) {
        s.ended.put(run.seq, new Completion(run, rowOutcome(row)));
      } else if (row.reached() >= run.job.resource() - EPS && Double.isFinite(r.value())) {
        s.ended.put(run.seq, new Completion(run, Outcome.completed(r.value(), r.metrics())));
      } else {
        s.ready.add(run);
        rerun++;
      }
    }
    for (StoredTrial t : rows.values()) {
      if (t.record().status().isFinished()) {
        s.trials.remove(t.record().index());
        done++;
      }
    }
    doneAtStart = done;
    log.info("study " + s.plan.label() + " resumed: " + calls.size() + " calls replayed, " + rerun
        + " trials to run again, " + s.ended.size() + " results to hand over");
  }

  private void checkReplay(Study s, StrategyCall call, List<Job> jobs) {
    List<Integer> recorded = new ArrayList<>();
    if (call.detailJson() != null) {
      try {
        for (var node : JSON.readTree(call.detailJson())) {
          recorded.add(node.get("index").asInt());
        }
      } catch (IOException e) {
        throw new IllegalStateException("study " + s.plan.label() + ": corrupt call log entry " + call.seq(), e);
      }
    }
    List<Integer> got = jobs.stream().map(Job::trialIndex).toList();
    if (!recorded.equals(got)) {
      throw new IllegalStateException("cannot resume study " + s.plan.label() + ": replaying call " + call.seq()
          + " (next " + call.requested() + ") gave trials " + got + " where the run had " + recorded
          + "; the strategy or its options, the space or the scheduler changed since the run started");
    }
  }

  private static Outcome rowOutcome(StoredTrial row) {
    TrialRecord r = row.record();
    if (r.status() == TrialStatus.COMPLETED) {
      return Outcome.completed(r.value(), r.metrics());
    }
    return new Outcome(r.status(), r.value(), r.metrics(), r.reason());
  }

  // ------------------------------------------------------------------ the coordinator loop

  private void loop() {
    if (plan.reproducible()) {
      for (Study s : studies) {
        drain(s);
      }
    }
    while (true) {
      if (!stopping) {
        checkDeadline();
        checkTimeLimits();
        while (inFlight < plan.parallel() && dispatchOne()) {
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
        maybeFinish(s);
      }
      if (inFlight == 0 && (stopping || allDone())) {
        return;
      }
      if (inFlight == 0 && !canProgress()) {
        for (Study s : studies) {
          if (!s.done) {
            log.warn("study " + s.plan.label() + " cannot go on (its scheduler waits with nothing running)");
            s.done = true;
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
        if (w == Wake.STOP) {
          log.info("stop requested: no new trials; running trials are asked to stop");
          store.setState(RunState.STOPPING);
          running.values().forEach(r -> executor.cancel(r.task));
        }
      }
      default -> throw new IllegalStateException("unexpected message " + message);
    }
  }

  /** Stops the jobs that ran past the per-trial time limit; they end FAILED (timed out). */
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

  private boolean canProgress() {
    if (stopping) {
      return false;
    }
    for (Study s : studies) {
      if (!s.done && (!s.ready.isEmpty() || canIssue(s))) {
        return true;
      }
    }
    return false;
  }

  private boolean allDone() {
    for (Study s : studies) {
      if (!s.done) {
        return false;
      }
    }
    return true;
  }

  private void checkDeadline() {
    if (deadlineNanos != Long.MAX_VALUE && System.nanoTime() >= deadlineNanos) {
      for (Study s : studies) {
        if (!s.closed) {
          s.closed = true;
          log.info("study " + s.plan.label() + ": wall-clock budget reached, no new trials");
        }
      }
    }
  }

  private boolean canIssue(Study s) {
    return canIssue(s, window);
  }

  private boolean canIssue(Study s, int limit) {
    return !stopping && !s.done && !s.closed && !s.waiting && s.outstanding.size() < limit;
  }

  /**
   * Starts one job on a free worker, taking studies round-robin within their windows. When no study
   * can use the worker within its window (the others wait for results or are done), a study may go
   * beyond its window rather than leave the worker idle; fairness is kept whenever it costs nothing.
   * Not in reproducible mode, where the window is part of what makes the call sequence fixed.
   */
  private boolean dispatchOne() {
    if (dispatchOne(window)) {
      return true;
    }
    return !plan.reproducible() && window < plan.parallel() && dispatchOne(plan.parallel());
  }

  private boolean dispatchOne(int limit) {
    int n = studies.size();
    for (int k = 0; k < n; k++) {
      int i = (roundRobin + k) % n;
      Study s = studies.get(i);
      if (s.done) {
        continue;
      }
      if (s.ready.isEmpty() && !plan.reproducible() && canIssue(s, limit)) {
        issue(s);
      }
      JobRun run = s.ready.poll();
      if (run != null) {
        roundRobin = (i + 1) % n;
        inFlight++;
        run.task = task(run);
        running.put(run.trial.id, run);
        executor.submit(run.task, inbox::add);
        return true;
      }
    }
    return false;
  }

  /** One {@code next(1)} of the study's scheduler, recorded with its new trials before they run. */
  private void issue(Study s) {
    List<Job> jobs = s.scheduler.next(1);
    List<NewTrial> fresh = new ArrayList<>();
    ArrayNode detail = JSON.createArrayNode();
    for (Job job : jobs) {
      var node = detail.addObject().put("index", job.trialIndex()).put("resource", job.resource())
          .put("rung", job.rung());
      if (job instanceof Job.Start start) {
        long seed = Seeds.trial(plan.experimentSeed(), s.plan.strategy(), s.plan.seed(), job.trialIndex());
        fresh.add(new NewTrial(job.trialIndex(), job.configuration(), seed, start.proposal().tags()));
      } else if (job instanceof Job.Promote p) {
        node.put("from", p.fromResource());
      }
    }
    int first = jobs.isEmpty() ? -1 : jobs.getFirst().trialIndex();
    List<TrialRecord> created = store.recordNext(s.record.id(), 1, first, detail.toString(), fresh);
    Map<Integer, TrialRecord> byIndex = new HashMap<>();
    for (TrialRecord r : created) {
      byIndex.put(r.index(), r);
    }
    for (Job job : jobs) {
      TrialState t;
      if (job instanceof Job.Start) {
        TrialRecord r = byIndex.get(job.trialIndex());
        long seed = Seeds.trial(plan.experimentSeed(), s.plan.strategy(), s.plan.seed(), job.trialIndex());
        t = new TrialState(r.id(), r.index(), seed, r.configuration(), 0, 0);
        s.trials.put(t.index, t);
      } else {
        t = s.trials.get(job.trialIndex());
        if (t == null) {
          throw new IllegalStateException(s.scheduler.name() + " promoted trial #" + job.trialIndex()
              + " of " + s.plan.label() + ", which is not paused");
        }
      }
      JobRun run = new JobRun(s, s.nextSeq++, job, t);
      s.outstanding.add(run.seq);
      s.ready.add(run);
    }
    if (jobs.isEmpty()) {
      s.waiting = true;
    }
  }

  /** Reproducible mode: top up to the window, then complete buffered jobs in hand-out order. */
  private void drain(Study s) {
    while (true) {
      while (canIssue(s)) {
        issue(s);
      }
      if (s.outstanding.isEmpty()) {
        return;
      }
      Completion c = s.ended.remove(s.outstanding.first());
      if (c == null) {
        return;
      }
      complete(s, c.run, c.outcome);
    }
  }

  private void maybeFinish(Study s) {
    if (s.done || !s.outstanding.isEmpty() || !s.ready.isEmpty()) {
      return;
    }
    if (s.closed || s.waiting || s.scheduler.isFinished()) {
      s.done = true;
      int paused = store.finalizePaused(s.record.id(), "not promoted: the study's search ended");
      done += paused;
      for (TrialState t : s.trials.values()) {
        dropCheckpoints(t.id, Double.NaN);
      }
      s.trials.clear();
      log.info("study " + s.plan.label() + " finished" + (paused > 0 ? " (" + paused + " paused trials PRUNED)" : ""));
      publishProgress();
    }
  }

  // ------------------------------------------------------------------ jobs and their messages

  /** What the executor runs for a job; a promotion continues from its checkpoint when it is still there. */
  private TrialTask task(JobRun run) {
    TrialState t = run.trial;
    Optional<Path> resumeFrom = Optional.empty();
    if (run.job instanceof Job.Promote p) {
      Path from = checkpoint(t.id, p.fromResource());
      if (Files.exists(from)) {
        resumeFrom = Optional.of(from);
      } else {
        log.warn("trial " + t.id + ": promoted to " + fmt(run.job.resource()) + " but no checkpoint of "
            + fmt(p.fromResource()) + " is left (" + from.getFileName() + "); it starts from scratch");
      }
    }
    int resource = run.study.plain ? plan.maxEpochs() : Fidelity.whole(run.job.resource());
    return new TrialTask(t.id, run.study.plan.label() + " #" + t.index, t.seed, resource, plan.maxTrialSeconds(),
        t.configuration, resumeFrom, checkpoint(t.id, run.job.resource()));
  }

  /** A worker took the job: the trial is RUNNING there (on another worker, after a requeue). */
  private void started(JobRun run, String worker) {
    if (run == null) {
      return;
    }
    if (run.started) {
      store.setTrialWorker(run.trial.id, worker);
    } else {
      double keep = run.job instanceof Job.Promote p ? p.fromResource() : 0;
      store.startTrial(run.trial.id, worker, keep);
      run.started = true;
    }
    run.startNanos = System.nanoTime();
  }

  /** Records an epoch; with a scheduler, it decides whether the job goes on. */
  private void epoch(JobRun run, TrialMessage.Epoch m) {
    boolean go = false;
    try {
      if (run == null) {
        return;
      }
      EpochRecord record = m.epoch();
      if (Double.isFinite(record.valMetric())) {
        run.lastValue = record.valMetric();
      }
      if (run.study.plain || stopping) {
        store.recordEpoch(record);
      } else {
        double value = record.valMetric();
        Decision d = run.study.scheduler.report(run.job.trialIndex(), record.epoch(), value);
        store.recordReport(record, run.study.record.id(), run.job.trialIndex(), record.epoch(), value);
        if (d == Decision.STOP) {
          run.pruned = true;
          executor.cancel(run.task);
        }
      }
      go = !stopping && !run.pruned && !run.timedOut;
    } finally {
      m.answer().accept(go);
    }
  }

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

  // ------------------------------------------------------------------ coordinator side of results

  private void ended(JobRun run, TrialMessage.Ended e) {
    if (run == null) {
      throw new IllegalStateException("trial " + e.task().trialId() + " ended but has no job in flight");
    }
    inFlight--;
    busySeconds += e.wallSeconds();
    Study s = run.study;
    TrialState t = run.trial;
    boolean interrupted = stopping && !run.pruned && !run.timedOut && e.error() == null
        && !e.result().status().isFinished();
    if (interrupted) {
      store.markInterrupted(t.id, "stopped before it finished; it runs again on resume");
      log.info("trial " + t.id + " (" + s.plan.label() + " #" + t.index + ") INTERRUPTED");
      progressChanged = true;
      return;
    }
    Outcome o = outcome(e, run);
    double seconds = e.result() != null && e.result().trainSeconds() > 0 ? e.result().trainSeconds() : e.wallSeconds();
    t.trainSeconds += seconds;
    s.trainSeconds += seconds;
    double resource = run.job.resource();
    if (o.status() == TrialStatus.COMPLETED && !atMax(s, resource)) {
      store.pauseTrial(t.id, o.value(), o.metrics(), resource, t.trainSeconds);
      t.reached = resource;
      dropCheckpoints(t.id, resource);
    } else {
      TrialResult r = e.result();
      TrialFinish finish = new TrialFinish(o.status(), o.value(), o.metrics(), r == null ? 0 : r.parameters(),
          r == null ? 0 : r.flops(), t.trainSeconds, r == null ? null : r.networkSpecJson(), o.reason());
      store.finishTrial(t.id, finish, o.hasValue() ? resource : Double.NaN);
      dropCheckpoints(t.id, o.status() == TrialStatus.COMPLETED ? resource : Double.NaN);
      s.trials.remove(t.index);
      done++;
    }
    log.info("trial " + t.id + " (" + s.plan.label() + " #" + t.index + ", resource " + fmt(resource) + ") "
        + o.status() + (o.hasValue() ? " " + plan.metric() + "=" + o.value() : "")
        + (o.reason().isEmpty() ? "" : " (" + o.reason() + ")") + String.format(" in %.3f s", seconds));
    if (plan.budget().trainSecondsPerStudy() > 0 && s.trainSeconds >= plan.budget().trainSecondsPerStudy()
        && !s.closed) {
      s.closed = true;
      log.info("study " + s.plan.label() + ": training-seconds budget reached, no new trials");
    }
    if (plan.reproducible()) {
      s.ended.put(run.seq, new Completion(run, o));
      drain(s);
    } else {
      complete(s, run, o);
    }
    progressChanged = true;
  }

  /** Logs the {@code complete} call, then makes it: the trial is already committed. */
  private void complete(Study s, JobRun run, Outcome o) {
    store.recordComplete(s.record.id(), run.job.trialIndex(), run.job.resource(), o);
    s.scheduler.complete(run.job.trialIndex(), run.job.resource(), o);
    s.outstanding.remove(run.seq);
    s.waiting = false;
    if (o.status() == TrialStatus.COMPLETED && atMax(s, run.job.resource())) {
      noteBest(s, o.value());
    }
  }

  private Outcome outcome(TrialMessage.Ended e, JobRun run) {
    return TrialClassification.outcome(e.result(), e.error(), plan.metric(), run.pruned, run.timedOut, run.lastValue,
        run.study.scheduler.name(), plan.maxTrialSeconds());
  }

  private static boolean atMax(Study s, double resource) {
    return resource >= s.scheduler.fidelity().max() - EPS;
  }

  private void noteBest(Study s, double value) {
    best.merge(s.plan.strategy(), value, (a, b) -> plan.direction().isBetter(b, a) ? b : a);
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
    Duration elapsed = elapsed();
    int total = total();
    Optional<Duration> eta = Optional.empty();
    int doneNow = done - doneAtStart;
    if (doneNow > 0 && total > 0) {
      double perTrial = (System.nanoTime() - startNanos) / 1e9 / doneNow;
      eta = Optional.of(Duration.ofMillis((long) (Math.max(0, total - done) * perTrial * 1000)));
    }
    latest = new RunProgress(done, inFlight, total, elapsed, eta, best);
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
      for (StoredTrial t : store.studyTrials(s.record.id())) {
        counts.merge(t.record().status(), 1, Integer::sum);
      }
    }
    return new RunSummary(state, counts, elapsed(), best);
  }

  private static String fmt(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }

  // ------------------------------------------------------------------ state

  /** One study's live state; coordinator thread only. */
  private final class Study {
    final StudyPlan plan;
    final StudyRecord record;
    final Scheduler scheduler;
    final boolean plain;
    /** Trials not in a final status, by index. */
    final Map<Integer, TrialState> trials = new HashMap<>();
    /** Jobs handed out by the scheduler, not started. */
    final ArrayDeque<JobRun> ready = new ArrayDeque<>();
    /** Hand-out numbers of the jobs not yet completed to the scheduler. */
    final TreeSet<Long> outstanding = new TreeSet<>();
    /** Results committed but not yet completed (reproducible order, or found on resume). */
    final TreeMap<Long, Completion> ended = new TreeMap<>();
    long nextSeq;
    /** The last next() returned nothing; ask again after the next completion. */
    boolean waiting;
    /** A training-seconds or wall-clock budget is spent: no new jobs. */
    boolean closed;
    boolean done;
    double trainSeconds;

    Study(StudyPlan plan, StudyRecord record) {
      this.plan = plan;
      this.record = record;
      long seed = Seeds.study(Runner.this.plan.experimentSeed(), plan.strategy(), plan.seed());
      Strategy strategy = new BudgetedStrategy(
          strategies.create(plan.strategy(), Runner.this.plan.space(), Runner.this.plan.direction(), seed,
              plan.options()),
          Runner.this.plan.budget().trialsPerStudy());
      SchedulerFactory factory = Runner.this.plan.scheduler();
      this.plain = factory == null;
      this.scheduler = plain
          ? new PlainScheduler(strategy, Math.max(1, Runner.this.plan.maxEpochs()))
          : Objects.requireNonNull(factory.wrap(strategy, Runner.this.plan.direction()), "scheduler");
    }
  }

  /** A trial not yet in a final status. */
  private static final class TrialState {
    final long id;
    final int index;
    final long seed;
    final Configuration configuration;
    double reached;
    double trainSeconds;

    TrialState(long id, int index, long seed, Configuration configuration, double reached, double trainSeconds) {
      this.id = id;
      this.index = index;
      this.seed = seed;
      this.configuration = configuration;
      this.reached = reached;
      this.trainSeconds = trainSeconds;
    }
  }

  /** One job of a trial, from hand-out to completion. */
  private static final class JobRun {
    final Study study;
    final long seq;
    final Job job;
    final TrialState trial;
    TrialTask task;
    /** A worker took the job (the trial is RUNNING in the store). */
    boolean started;
    long startNanos;
    boolean pruned;
    boolean timedOut;
    double lastValue = Double.NaN;

    JobRun(Study study, long seq, Job job, TrialState trial) {
      this.study = study;
      this.seq = seq;
      this.job = job;
      this.trial = trial;
    }
  }

  private record Completion(JobRun run, Outcome outcome) {}

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
