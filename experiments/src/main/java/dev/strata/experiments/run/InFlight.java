package dev.strata.experiments.run;

import dev.strata.experiments.store.RunStore;
import dev.strata.search.fidelity.Decision;
import dev.strata.search.fidelity.Fidelity;
import dev.strata.search.study.Study;
import dev.strata.search.study.StudyJob;
import dev.strata.search.trial.Outcome;
import dev.strata.search.trial.TrialStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The runner's jobs in flight: submits them to the executor and turns the executor's messages
 * into store writes and study calls (a trial started on a worker, its epochs and the scheduler's
 * decisions, its end, committed and told), with the per-trial time limit and the checkpoint files
 * they leave. Runner thread only; the runner decides what to submit and when to stop.
 */
final class InFlight {

  private final RunPlan plan;
  private final RunStore store;
  private final TrialExecutor executor;
  private final Consumer<TrialMessage> inbox;
  private final CheckpointFiles checkpoints;
  private final ProgressTracker progress;
  private final RunLog log;
  /** By trial id: a trial has at most one job at a time. */
  private final Map<Long, JobRun> running = new HashMap<>();
  private boolean stopping;

  InFlight(RunPlan plan, RunStore store, TrialExecutor executor, Consumer<TrialMessage> inbox,
      ProgressTracker progress, RunLog log) {
    this.plan = plan;
    this.store = store;
    this.executor = executor;
    this.inbox = inbox;
    this.checkpoints = CheckpointFiles.in(store.runDirectory());
    this.progress = progress;
    this.log = log;
  }

  int size() {
    return running.size();
  }

  boolean isEmpty() {
    return running.isEmpty();
  }

  /** Hands a study's job to the executor. */
  void submit(Study study, StudyJob job) {
    JobRun run = new JobRun(study, job, task(study, job));
    running.put(job.trialId(), run);
    executor.submit(run.task, inbox);
  }

  /** The run stops: every job is cancelled, and those that end unfinished are INTERRUPTED. */
  void stop() {
    stopping = true;
    cancelAll();
  }

  /** Asks every job to stop (the run stops or failed): workers stop waiting for answers. */
  void cancelAll() {
    running.values().forEach(r -> executor.cancel(r.task));
  }

  /** Handles one executor message. */
  void handle(TrialMessage message) {
    long id = message.task().trialId();
    switch (message) {
      case TrialMessage.Started m -> started(running.get(id), m.worker());
      case TrialMessage.Epoch m -> epoch(running.get(id), m);
      case TrialMessage.Note m -> log.warn("trial " + id + " (" + m.task().label() + "): " + m.text());
      case TrialMessage.Ended m -> ended(running.remove(id), m);
    }
  }

  /** Cancels the jobs that ran past the per-trial time limit; they end FAILED (timed out). */
  void checkTimeLimits() {
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

  /** A study ended: the checkpoints of its trials left unfinished are of no more use. */
  void studyFinished(Study.Finished f) {
    f.unfinished().forEach(id -> dropCheckpoints(id, Double.NaN));
  }

  /** What the executor runs for a job; a promotion continues from its checkpoint when it is still there. */
  private TrialTask task(Study s, StudyJob job) {
    Optional<Path> resumeFrom = Optional.empty();
    if (job.fromResource() > 0) {
      Path from = checkpoints.of(job.trialId(), job.fromResource());
      if (Files.exists(from)) {
        resumeFrom = Optional.of(from);
      } else {
        log.warn("trial " + job.trialId() + ": promoted to " + fmt(job.resource()) + " but no checkpoint of "
            + fmt(job.fromResource()) + " is left (" + from.getFileName() + "); it starts from scratch");
      }
    }
    int resource = plan.scheduler() == null ? plan.maxEpochs() : Fidelity.whole(job.resource());
    return new TrialTask(job.trialId(), s.label() + " #" + job.trialIndex(), job.seed(), resource,
        plan.maxTrialSeconds(), job.configuration(), resumeFrom, checkpoints.of(job.trialId(), job.resource()));
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

  /** A job ended: interrupted by a stop (it runs again on resume), or committed and told to its study. */
  private void ended(JobRun run, TrialMessage.Ended e) {
    if (run == null) {
      throw new IllegalStateException("trial " + e.task().trialId() + " ended but has no job in flight");
    }
    progress.busy(e.wallSeconds());
    Study s = run.study;
    long id = run.job.trialId();
    String name = "trial " + id + " (" + s.label() + " #" + run.job.trialIndex();
    if (stopping && !run.pruned && !run.timedOut && e.error() == null && !e.result().status().isFinished()) {
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
      progress.finished(1);
    }
    log.info(name + ", resource " + fmt(resource) + ") " + o.status()
        + (o.hasValue() ? " " + plan.metric() + "=" + o.value() : "")
        + (o.reason().isEmpty() ? "" : " (" + o.reason() + ")") + String.format(" in %.3f s", seconds));
    if (!wasClosed && s.isClosed()) {
      log.info("study " + s.label() + ": training-seconds budget reached, no new trials");
    }
  }

  private void dropCheckpoints(long trialId, double keep) {
    String failure = checkpoints.drop(trialId, keep);
    if (failure != null) {
      log.warn(failure);
    }
  }

  private static String fmt(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }

  /** One job in flight, from submission to its end. */
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
}
