package dev.strata.search.fidelity;

import dev.strata.search.strategy.Proposal;
import dev.strata.search.strategy.Strategy;
import dev.strata.search.trial.Configuration;
import dev.strata.search.trial.Direction;
import dev.strata.search.trial.Outcome;
import dev.strata.search.trial.TrialStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/** Trial bookkeeping shared by the schedulers: jobs in flight, results, telling the strategy. */
abstract class SchedulerBase implements Scheduler {

  /** One trial's mutable state. */
  static final class Trial {
    final int index;
    final Configuration configuration;
    /** Largest resource finished, 0 before the first job ends. */
    double reached;
    /** Value at {@link #reached}, NaN when none. */
    double value = Double.NaN;
    /** Target resource of the job in flight, NaN when none. */
    double target = Double.NaN;
    int rung;
    boolean stopRequested;
    /** Reports of the job in flight and before: resource, value. */
    final List<double[]> reports = new ArrayList<>();
    /** The status the strategy was told, null until told. */
    TrialStatus told;
    /** Metrics of the last completed job. */
    Map<String, Double> metrics = Map.of();
    /** Final status when the trial can no longer run (failed, pruned by a rule, at max). */
    boolean closed;

    Trial(int index, Configuration configuration) {
      this.index = index;
      this.configuration = configuration;
    }

    boolean running() {
      return !Double.isNaN(target);
    }

    /** The value as a loss to minimise: +inf when there is none. */
    double loss(Direction direction) {
      return Double.isFinite(value) ? direction.toLoss(value) : Double.POSITIVE_INFINITY;
    }

    double lastReported() {
      return reports.isEmpty() ? Double.NaN : reports.getLast()[1];
    }
  }

  final Strategy strategy;
  final Direction direction;
  final Fidelity fidelity;
  final Map<Integer, Trial> trials = new TreeMap<>();
  private boolean exhausted;
  private int running;

  SchedulerBase(Strategy strategy, Direction direction, Fidelity fidelity) {
    this.strategy = Objects.requireNonNull(strategy, "strategy");
    this.direction = Objects.requireNonNull(direction, "direction");
    this.fidelity = Objects.requireNonNull(fidelity, "fidelity");
  }

  abstract String ruleName();

  @Override
  public String name() {
    return ruleName() + "(" + strategy.name() + ")";
  }

  @Override
  public Fidelity fidelity() {
    return fidelity;
  }

  @Override
  public int running() {
    return running;
  }

  /** Whether the wrapped strategy has said it has no more proposals. */
  boolean exhausted() {
    return exhausted;
  }

  /** A job starting a new configuration, or null when the strategy is exhausted. */
  final Job.Start startNew(double resource, int rung) {
    if (exhausted) {
      return null;
    }
    List<Proposal> proposals = strategy.ask(1);
    if (proposals.isEmpty()) {
      exhausted = true;
      return null;
    }
    Proposal p = proposals.getFirst();
    if (trials.containsKey(p.index())) {
      throw new IllegalStateException(strategy.name() + " proposed index " + p.index() + " twice");
    }
    Trial t = new Trial(p.index(), p.configuration());
    t.target = resource;
    t.rung = rung;
    trials.put(p.index(), t);
    running++;
    return Job.start(p, resource, rung);
  }

  /** A job continuing a paused trial. */
  final Job.Promote promote(Trial t, double to, int rung) {
    if (t.running() || t.closed) {
      throw new IllegalStateException("trial " + t.index + " cannot be promoted");
    }
    t.target = to;
    t.rung = rung;
    t.stopRequested = false;
    running++;
    return Job.promote(t.index, t.configuration, t.reached, to, rung);
  }

  final Trial runningTrial(int index) {
    Trial t = trials.get(index);
    if (t == null || !t.running()) {
      throw new IllegalArgumentException("trial " + index + " has no job running in " + name());
    }
    return t;
  }

  @Override
  public Decision report(int trialIndex, double resource, double value) {
    Trial t = runningTrial(trialIndex);
    t.reports.add(new double[] {resource, value});
    Decision d = decide(t, resource, value);
    if (d == Decision.STOP) {
      t.stopRequested = true;
    }
    return d;
  }

  /** The rule's answer to an intermediate result; CONTINUE unless overridden. */
  Decision decide(Trial t, double resource, double value) {
    return Decision.CONTINUE;
  }

  @Override
  public void complete(int trialIndex, double resource, Outcome outcome) {
    Objects.requireNonNull(outcome, "outcome");
    Trial t = runningTrial(trialIndex);
    running--;
    t.target = Double.NaN;
    Outcome o = outcome;
    if (o.status() == TrialStatus.COMPLETED && t.stopRequested) {
      o = new Outcome(TrialStatus.PRUNED, o.value(), o.metrics(), "stopped by " + ruleName());
    }
    if (o.status() == TrialStatus.PRUNED && !Double.isFinite(o.value())) {
      o = new Outcome(TrialStatus.PRUNED, t.lastReported(), o.metrics(),
          o.reason().isEmpty() ? "stopped by " + ruleName() : o.reason());
    }
    if (o.hasValue() && (t.reports.isEmpty() || t.reports.getLast()[0] < resource)) {
      t.reports.add(new double[] {resource, o.value()});
    }
    if (o.status() == TrialStatus.COMPLETED) {
      t.reached = Math.max(t.reached, resource);
      t.value = o.value();
      t.metrics = o.metrics();
      completed(t, o);
    } else {
      if (o.hasValue()) {
        t.reached = Math.max(t.reached, resource);
        t.value = o.value();
      }
      t.closed = true;
      tell(t, o);
      ended(t);
    }
  }

  /** A job reached its resource with a value; the rule decides what follows. */
  abstract void completed(Trial t, Outcome outcome);

  /** A job ended without a usable result (pruned or failed); the trial is closed and told. */
  void ended(Trial t) {}

  /** Tells the strategy the trial's outcome, once. */
  final void tell(Trial t, Outcome o) {
    if (t.told != null) {
      return;
    }
    t.told = o.status();
    strategy.tell(t.index, o);
  }

  /** Tells the strategy that a trial stops at the resource it reached. */
  final void tellPaused(Trial t, String reason) {
    if (Fidelity.same(t.reached, fidelity.max())) {
      tell(t, Outcome.completed(t.value, t.metrics));
    } else {
      tell(t, new Outcome(TrialStatus.PRUNED, t.value, t.metrics, reason));
    }
  }

  @Override
  public List<FidelityTrial> trials() {
    List<FidelityTrial> out = new ArrayList<>(trials.size());
    for (Trial t : trials.values()) {
      TrialStatus status = t.running() ? TrialStatus.RUNNING
          : Fidelity.same(t.reached, fidelity.max()) && Double.isFinite(t.value) && !t.closed
              ? TrialStatus.COMPLETED
              : t.told == null ? TrialStatus.PENDING : t.told;
      out.add(new FidelityTrial(t.index, t.configuration, t.reached, t.value, status));
    }
    return List.copyOf(out);
  }

  /** Orders trials best first by their value at {@link Trial#reached}, ties by index. */
  final int compare(Trial a, Trial b) {
    int c = Double.compare(a.loss(direction), b.loss(direction));
    return c != 0 ? c : Integer.compare(a.index, b.index);
  }
}
