package dev.strata.search.study;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.strata.search.fidelity.Decision;
import dev.strata.search.fidelity.Job;
import dev.strata.search.fidelity.Scheduler;
import dev.strata.search.trial.EpochRecord;
import dev.strata.search.trial.Objectives;
import dev.strata.search.trial.Outcome;
import dev.strata.search.trial.StudyRecord;
import dev.strata.search.trial.TrialRecord;
import dev.strata.search.trial.TrialStatus;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.DoubleConsumer;
import java.util.function.IntToLongFunction;

/**
 * One strategy × seed: its scheduler (wrapping the strategy), its trials and its budget, with every
 * step recorded in a {@link StudyStore}. The shape of an Optuna study, for a multi-fidelity
 * scheduler.
 *
 * <ol>
 *   <li>{@link #resume()} once, when the store already holds the study: replays its call log into
 *       the fresh scheduler and finds the jobs to run again.
 *   <li>{@link #ask()} asks the scheduler for the next job(s) and records them with their new
 *       trials; {@link #poll()} hands out the next job to run.
 *   <li>while a job trains, {@link #report} per epoch: recorded, then the scheduler decides.
 *   <li>{@link #tell} once per job: the trial is committed (paused at its rung or finished), and
 *       only then is the scheduler told (commit before tell). An <em>ordered</em> study completes
 *       its jobs in hand-out order and keeps {@code window} jobs asked for, so the sequence of calls
 *       its scheduler sees depends on the results only, never on timing.
 *   <li>{@link #finishIfDone()} after each step: once nothing is outstanding and the scheduler is
 *       finished, waits for nothing, or the study was {@link #close closed}, paused trials end
 *       PRUNED.
 * </ol>
 *
 * <p>Not thread-safe: one thread (a runner's coordinator, or the caller's loop) makes every call.
 */
public final class Study {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final double EPS = 1e-9;

  /** What {@link #tell} did with the trial. */
  public enum Told {
    /** It reached a rung below the maximum and waits PENDING for a promotion. */
    PAUSED,
    /** It is in a final status. */
    FINISHED
  }

  /** What a {@link #resume()} found. */
  public record Resumed(int calls, int toRunAgain, int toHandOver, int finished) {}

  /** What {@link #finishIfDone()} ended: paused trials PRUNED, and the ids of every trial left unfinished. */
  public record Finished(int pruned, List<Long> unfinished) {}

  /** What a trained network leaves besides its metrics, for the trial's row. */
  public record Trained(long parameters, double flops, String networkSpecJson) {
    public static final Trained NOTHING = new Trained(0, 0, null);
  }

  private final StudyStore store;
  private final StudyRecord record;
  private final Scheduler scheduler;
  private final IntToLongFunction trialSeed;
  private final boolean ordered;
  private final int window;
  private final DoubleConsumer completedAtMax;
  private final double trainSecondsBudget;
  private final Objectives objectives;

  /** Trials not in a final status, by index. */
  private final Map<Integer, TrialState> trials = new HashMap<>();
  /** Jobs handed out by the scheduler, not started. */
  private final ArrayDeque<StudyJob> ready = new ArrayDeque<>();
  /** Hand-out numbers of the jobs not yet completed to the scheduler. */
  private final TreeSet<Long> outstanding = new TreeSet<>();
  /** Results committed but not yet completed (ordered mode, or found on resume). */
  private final TreeMap<Long, Completion> ended = new TreeMap<>();
  private long nextSeq;
  /** The last next() returned nothing; ask again after the next completion. */
  private boolean waiting;
  /** A budget is spent (training seconds, or the caller's): no new jobs; the study ends once the outstanding ones are told. */
  private boolean closed;
  /** Stopping: no new jobs, but the study does not end (it continues on resume). */
  private boolean halted;
  private boolean done;
  private double trainSeconds;

  private Study(Builder b) {
    this.store = b.store;
    this.record = b.record;
    this.scheduler = b.scheduler;
    this.trialSeed = b.trialSeed;
    this.ordered = b.ordered;
    this.window = b.window;
    this.completedAtMax = b.completedAtMax;
    this.trainSecondsBudget = b.trainSecondsBudget;
    this.objectives = b.objectives;
  }

  /**
   * A builder for a study stored as {@code record} in {@code store}, driven by {@code scheduler}
   * (a {@link dev.strata.search.fidelity.PlainScheduler} for a strategy without multi-fidelity).
   */
  public static Builder builder(StudyStore store, StudyRecord record, Scheduler scheduler) {
    return new Builder(store, record, scheduler);
  }

  public StudyRecord record() {
    return record;
  }

  /** E.g. {@code bayesian/s2}. */
  public String label() {
    return record.label();
  }

  public Scheduler scheduler() {
    return scheduler;
  }

  /** Training seconds of its trials so far (resumed ones included). */
  public double trainSeconds() {
    return trainSeconds;
  }

  public boolean isDone() {
    return done;
  }

  public boolean isClosed() {
    return closed;
  }

  /** Jobs handed out and not yet told to the scheduler. */
  public int outstanding() {
    return outstanding.size();
  }

  /** A job is ready to run. */
  public boolean hasReady() {
    return !ready.isEmpty();
  }

  /** Whether {@link #ask()} may be called with at most {@code limit} jobs outstanding. */
  public boolean canAsk(int limit) {
    return !halted && !done && !closed && !waiting && outstanding.size() < limit;
  }

  /** No new jobs: a budget is spent. The study ends once its outstanding jobs are told. */
  public void close() {
    closed = true;
  }

  /** No new jobs because the run stops; unlike {@link #close()} the study does not end. */
  public void halt() {
    halted = true;
  }

  /** Ends the study now (its scheduler waits with nothing running); nothing more is asked or told. */
  public void abandon() {
    done = true;
  }

  // ------------------------------------------------------------------ resume

  /**
   * Rebuilds a stored study: replays its call log into the scheduler, queues again the jobs that
   * were handed out but never committed, and keeps the committed results that were not yet told
   * (ordered studies tell them in order, others at {@link #handOver()}).
   *
   * @throws IllegalStateException when the log does not replay (the strategy, its options, the space
   *     or the scheduler changed since the run started)
   */
  public Resumed resume() {
    Map<Integer, StoredTrial> rows = new HashMap<>();
    for (StoredTrial t : store.studyTrials(record.id())) {
      rows.put(t.record().index(), t);
      trainSeconds += t.record().trainSeconds();
      if (!t.record().status().isFinished()) {
        trials.put(t.record().index(), TrialState.of(t));
      }
    }
    Map<Integer, StudyJob> open = new LinkedHashMap<>();
    List<StrategyCall> calls = store.callLog(record.id());
    for (StrategyCall call : calls) {
      switch (call.kind()) {
        case NEXT -> {
          List<Job> jobs = scheduler.next(call.requested());
          List<Integer> got = jobs.stream().map(Job::trialIndex).toList();
          if (!call.jobIndices().equals(got)) {
            throw new IllegalStateException("cannot resume study " + label() + ": replaying call " + call.seq()
                + " (next " + call.requested() + ") gave trials " + got + " where the run had " + call.jobIndices()
                + "; the strategy or its options, the space or the scheduler changed since the run started");
          }
          for (Job job : jobs) {
            StoredTrial row = rows.get(job.trialIndex());
            if (row == null) {
              throw new IllegalStateException("study " + label() + ": the call log names trial #" + job.trialIndex()
                  + " but the store has no such trial");
            }
            TrialState t = trials.computeIfAbsent(job.trialIndex(), i -> TrialState.of(row));
            open.put(job.trialIndex(), new StudyJob(nextSeq++, job, t.id, t.seed));
          }
        }
        case REPORT -> scheduler.report(call.index(), call.resource(), call.value());
        case COMPLETE -> {
          StudyJob job = open.remove(call.index());
          if (job == null) {
            throw new IllegalStateException("study " + label() + ": the call log completes trial #" + call.index()
                + " which has no job running");
          }
          Outcome o = objectives.judge(call.outcome().orElseGet(() -> rowOutcome(rows.get(call.index()))));
          double resource = Double.isNaN(call.resource()) ? job.resource() : call.resource();
          scheduler.complete(call.index(), resource, o);
          if (o.status() == TrialStatus.COMPLETED && o.isFeasible() && atMax(resource)) {
            completedAtMax.accept(o.value());
          }
        }
      }
    }
    int rerun = 0;
    for (StudyJob job : open.values()) {
      outstanding.add(job.seq());
      TrialRecord r = rows.get(job.trialIndex()).record();
      if (r.status().isFinished()) {
        ended.put(job.seq(), new Completion(job, rowOutcome(rows.get(job.trialIndex()))));
      } else if (rows.get(job.trialIndex()).reached() >= job.resource() - EPS && Double.isFinite(r.value())) {
        ended.put(job.seq(), new Completion(job, Outcome.completed(r.value(), r.metrics())));
      } else {
        ready.add(job);
        rerun++;
      }
    }
    int finished = 0;
    for (StoredTrial t : rows.values()) {
      if (t.record().status().isFinished()) {
        trials.remove(t.record().index());
        finished++;
      }
    }
    return new Resumed(calls.size(), rerun, ended.size(), finished);
  }

  /**
   * Tells the scheduler the results a resume found committed but not told. Only for unordered
   * studies: an ordered one tells them in order as it {@link #drain drains}.
   */
  public void handOver() {
    if (ordered) {
      return;
    }
    for (Completion c : new ArrayList<>(ended.values())) {
      ended.remove(c.job.seq());
      complete(c.job, c.outcome);
    }
  }

  // ------------------------------------------------------------------ ask, report, tell

  /**
   * One {@code next(1)} of the scheduler, recorded with its new trials before they run; the jobs
   * become {@link #poll() ready}. Returns false (and waits for a result before asking again) when
   * the scheduler has nothing to run now.
   */
  public boolean ask() {
    List<Job> jobs = scheduler.next(1);
    List<NewTrial> fresh = new ArrayList<>();
    ArrayNode detail = JSON.createArrayNode();
    for (Job job : jobs) {
      var node = detail.addObject().put("index", job.trialIndex()).put("resource", job.resource())
          .put("rung", job.rung());
      if (job instanceof Job.Start start) {
        fresh.add(new NewTrial(job.trialIndex(), job.configuration(), trialSeed.applyAsLong(job.trialIndex()),
            start.proposal().tags()));
      } else if (job instanceof Job.Promote p) {
        node.put("from", p.fromResource());
      }
    }
    int first = jobs.isEmpty() ? -1 : jobs.getFirst().trialIndex();
    Map<Integer, TrialRecord> created = new HashMap<>();
    for (TrialRecord r : store.recordNext(record.id(), 1, first, detail.toString(), fresh)) {
      created.put(r.index(), r);
    }
    for (Job job : jobs) {
      TrialState t;
      if (job instanceof Job.Start) {
        TrialRecord r = created.get(job.trialIndex());
        t = new TrialState(r.id(), r.index(), trialSeed.applyAsLong(job.trialIndex()), 0, 0);
        trials.put(t.index, t);
      } else {
        t = trials.get(job.trialIndex());
        if (t == null) {
          throw new IllegalStateException(scheduler.name() + " promoted trial #" + job.trialIndex() + " of " + label()
              + ", which is not paused");
        }
      }
      StudyJob sj = new StudyJob(nextSeq++, job, t.id, t.seed);
      outstanding.add(sj.seq());
      ready.add(sj);
    }
    if (jobs.isEmpty()) {
      waiting = true;
    }
    return !jobs.isEmpty();
  }

  /** The next job to run, or empty. */
  public Optional<StudyJob> poll() {
    return Optional.ofNullable(ready.poll());
  }

  /**
   * An epoch of a running job: recorded with the scheduler's {@code report} call, then the
   * scheduler's decision.
   */
  public Decision report(StudyJob job, EpochRecord epoch) {
    Decision d = scheduler.report(job.trialIndex(), epoch.epoch(), epoch.valMetric());
    store.recordReport(epoch, record.id(), job.trialIndex(), epoch.epoch(), epoch.valMetric());
    return d;
  }

  /**
   * A job ended with {@code outcome} after {@code seconds} of training: commits the trial (paused at
   * its rung when it completed below the maximum resource, else finished), then tells the scheduler
   * (in hand-out order when the study is ordered).
   */
  public Told tell(StudyJob job, Outcome result, double seconds, Trained trained) {
    // a trial paused at a rung is not finished: it is judged when it finishes
    Outcome outcome = result.status() == TrialStatus.COMPLETED && !atMax(job.resource()) ? result : objectives.judge(result);
    TrialState t = trials.get(job.trialIndex());
    if (t == null) {
      throw new IllegalStateException("study " + label() + ": trial #" + job.trialIndex() + " has no job to tell");
    }
    t.trainSeconds += seconds;
    trainSeconds += seconds;
    if (trainSecondsBudget > 0 && trainSeconds >= trainSecondsBudget) {
      closed = true; // before the scheduler hears of it: an ordered study asks nothing more
    }
    double resource = job.resource();
    Told told;
    if (outcome.status() == TrialStatus.COMPLETED && !atMax(resource)) {
      store.pauseTrial(t.id, outcome.value(), outcome.metrics(), resource, t.trainSeconds);
      t.reached = resource;
      told = Told.PAUSED;
    } else {
      TrialFinish finish = new TrialFinish(outcome.status(), outcome.value(), outcome.metrics(), trained.parameters(),
          trained.flops(), t.trainSeconds, trained.networkSpecJson(), outcome.reason());
      store.finishTrial(t.id, finish, outcome.hasValue() ? resource : Double.NaN);
      trials.remove(t.index);
      told = Told.FINISHED;
    }
    if (ordered) {
      ended.put(job.seq(), new Completion(job, outcome));
      drain();
    } else {
      complete(job, outcome);
    }
    return told;
  }

  /**
   * Ends the study when nothing is outstanding and it cannot go on: its scheduler is finished, waits
   * for nothing, or the study was closed. Paused trials end PRUNED.
   */
  public Optional<Finished> finishIfDone() {
    if (done || !outstanding.isEmpty() || !ready.isEmpty()) {
      return Optional.empty();
    }
    if (!closed && !waiting && !scheduler.isFinished()) {
      return Optional.empty();
    }
    done = true;
    int pruned = store.finalizePaused(record.id(), "not promoted: the study's search ended");
    List<Long> unfinished = trials.values().stream().map(t -> t.id).sorted().toList();
    trials.clear();
    return Optional.of(new Finished(pruned, unfinished));
  }

  /** Ordered mode: top up to the window, then complete buffered results in hand-out order. */
  public void drain() {
    while (true) {
      while (canAsk(window)) {
        ask();
      }
      if (outstanding.isEmpty()) {
        return;
      }
      Completion c = ended.remove(outstanding.first());
      if (c == null) {
        return;
      }
      complete(c.job, c.outcome);
    }
  }

  /** Logs the {@code complete} call, then makes it: the trial is already committed. */
  private void complete(StudyJob job, Outcome told) {
    Outcome o = objectives.judge(told);
    store.recordComplete(record.id(), job.trialIndex(), job.resource(), o);
    scheduler.complete(job.trialIndex(), job.resource(), o);
    outstanding.remove(job.seq());
    waiting = false;
    if (o.status() == TrialStatus.COMPLETED && o.isFeasible() && atMax(job.resource())) {
      completedAtMax.accept(o.value());
    }
  }

  /** Whether {@code resource} is the scheduler's maximum (a job there finishes its trial). */
  public boolean atMax(double resource) {
    return resource >= scheduler.fidelity().max() - EPS;
  }

  private static Outcome rowOutcome(StoredTrial row) {
    TrialRecord r = row.record();
    if (r.status() == TrialStatus.COMPLETED) {
      return Outcome.completed(r.value(), r.metrics());
    }
    return new Outcome(r.status(), r.value(), r.metrics(), r.reason());
  }

  /** A trial not yet in a final status. */
  private static final class TrialState {
    final long id;
    final int index;
    final long seed;
    double reached;
    double trainSeconds;

    TrialState(long id, int index, long seed, double reached, double trainSeconds) {
      this.id = id;
      this.index = index;
      this.seed = seed;
      this.reached = reached;
      this.trainSeconds = trainSeconds;
    }

    static TrialState of(StoredTrial row) {
      return new TrialState(row.record().id(), row.record().index(), row.seed(), row.reached(),
          row.record().trainSeconds());
    }
  }

  private record Completion(StudyJob job, Outcome outcome) {}

  /** Builds a {@link Study}. Defaults: trial seed = trial index, unordered, no training-seconds budget, no listener. */
  public static final class Builder {
    private final StudyStore store;
    private final StudyRecord record;
    private final Scheduler scheduler;
    private IntToLongFunction trialSeed = index -> index;
    private boolean ordered;
    private int window = 1;
    private DoubleConsumer completedAtMax = v -> { };
    private double trainSecondsBudget;
    private Objectives objectives = Objectives.of(dev.strata.search.trial.Direction.MAXIMIZE);

    private Builder(StudyStore store, StudyRecord record, Scheduler scheduler) {
      this.store = Objects.requireNonNull(store, "store");
      this.record = Objects.requireNonNull(record, "record");
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    }

    /** The seed of each new trial, from its index. */
    public Builder trialSeeds(IntToLongFunction value) {
      this.trialSeed = Objects.requireNonNull(value, "trialSeeds");
      return this;
    }

    /**
     * Completes jobs in hand-out order and keeps {@code window} jobs asked for (reproducible runs):
     * the scheduler's calls then depend on results only, not on timing.
     */
    public Builder ordered(int window) {
      if (window < 1) {
        throw new IllegalArgumentException("window must be >= 1, got " + window);
      }
      this.ordered = true;
      this.window = window;
      return this;
    }

    /** Called with the value of every feasible COMPLETED job at the maximum resource (resumed ones included). */
    public Builder onCompleted(DoubleConsumer value) {
      this.completedAtMax = Objects.requireNonNull(value, "onCompleted");
      return this;
    }

    /**
     * The goals and constraints each finished trial is {@link Objectives#judge judged} against
     * before it is committed, so the store keeps an infeasible trial's violation and reason
     * (default: no constraints, every trial feasible).
     */
    public Builder objectives(Objectives value) {
      this.objectives = Objects.requireNonNull(value, "objectives");
      return this;
    }

    /** Closes the study once its trials trained this many seconds in all (0: no such budget). */
    public Builder trainSecondsBudget(double seconds) {
      this.trainSecondsBudget = Math.max(0, seconds);
      return this;
    }

    public Study build() {
      return new Study(this);
    }
  }
}
