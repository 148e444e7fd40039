package dev.strata.search.fidelity;

import dev.strata.search.strategy.Strategy;
import dev.strata.search.trial.Direction;
import dev.strata.search.trial.Outcome;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Asynchronous successive halving, ASHA (Li et al. 2020, Algorithm 2, the promotion variant).
 *
 * <p>Rungs are {@link Fidelity#rungs()}: r_k = R · η^(k − s_max). Every time a worker asks for a
 * job, the rungs are scanned from the second-highest down: a trial at rung k is <em>promotable</em>
 * when it is among the best ⌊n_k / η⌋ of the n_k results completed at rung k and has not been
 * promoted yet; the first promotable trial (best first) is promoted to r_(k+1). When no trial is
 * promotable, a new configuration from the strategy starts at r_0. Nothing ever waits, so workers
 * never idle. Failed trials count in n_k as the worst results and are never promoted.
 *
 * <p>What the strategy is told: COMPLETED when a trial finishes r_max; when a job ends below it
 * and the trial is not promotable, PRUNED with its value at that rung. A trial that is promotable
 * when its job ends is told only if it stops being promotable before it is promoted. ASHA may
 * promote a trial later (its rung grew): it goes on without being told again; see {@link
 * Scheduler}.
 *
 * <p>Runs until the strategy is exhausted; the runner owns the budget. Intermediate reports are
 * recorded and always answered CONTINUE. Not thread-safe.
 */
public final class AshaScheduler extends SchedulerBase {

  private final List<Double> rungs;
  /** Trials that completed each rung, in completion order. */
  private final List<List<Trial>> results = new ArrayList<>();
  /** The value each trial had at each rung (NaN for a failure). */
  private final List<Map<Integer, Double>> values = new ArrayList<>();
  /** Trials promoted out of each rung. */
  private final List<Set<Integer>> promoted = new ArrayList<>();

  public AshaScheduler(Strategy strategy, Direction direction, Fidelity fidelity) {
    super(strategy, direction, fidelity);
    this.rungs = fidelity.rungs();
    for (int k = 0; k < rungs.size(); k++) {
      results.add(new ArrayList<>());
      values.add(new HashMap<>());
      promoted.add(new HashSet<>());
    }
  }

  @Override
  String ruleName() {
    return "asha";
  }

  /** The rung resources. */
  public List<Double> rungs() {
    return rungs;
  }

  @Override
  public List<Job> next(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("n must be >= 1, got " + n);
    }
    List<Job> jobs = new ArrayList<>();
    while (jobs.size() < n) {
      Job job = promotion();
      if (job == null) {
        job = startNew(rungs.getFirst(), 0);
      }
      if (job == null) {
        break;
      }
      jobs.add(job);
    }
    return List.copyOf(jobs);
  }

  private Job promotion() {
    for (int k = rungs.size() - 2; k >= 0; k--) {
      List<Trial> top = top(k);
      for (Trial t : top) {
        if (!promoted.get(k).contains(t.index) && !t.closed && !t.running()) {
          promoted.get(k).add(t.index);
          return promote(t, rungs.get(k + 1), k + 1);
        }
      }
    }
    return null;
  }

  /** The best ⌊n_k / η⌋ trials of rung k that have a value, best first. */
  private List<Trial> top(int k) {
    List<Trial> rung = results.get(k);
    int count = (int) Math.floor(rung.size() / fidelity.eta() + 1e-9);
    if (count == 0) {
      return List.of();
    }
    List<Trial> sorted = new ArrayList<>(rung);
    sorted.sort((a, b) -> compareAt(a, b, k));
    List<Trial> out = new ArrayList<>(count);
    for (Trial t : sorted.subList(0, count)) {
      if (Double.isFinite(valueAt(t, k))) {
        out.add(t);
      }
    }
    return out;
  }

  /** The value a trial had at rung k. */
  private double valueAt(Trial t, int k) {
    Double v = values.get(k).get(t.index);
    return v == null ? Double.NaN : v;
  }

  private int compareAt(Trial a, Trial b, int k) {
    double la = lossOf(valueAt(a, k));
    double lb = lossOf(valueAt(b, k));
    int c = Double.compare(la, lb);
    return c != 0 ? c : Integer.compare(a.index, b.index);
  }

  private double lossOf(double v) {
    return Double.isFinite(v) ? direction.toLoss(v) : Double.POSITIVE_INFINITY;
  }

  private void record(Trial t, int k, double value) {
    values.get(k).put(t.index, value);
    results.get(k).add(t);
  }

  @Override
  void completed(Trial t, Outcome outcome) {
    int k = t.rung;
    record(t, k, t.value);
    if (k == rungs.size() - 1) {
      tellPaused(t, "reached the top rung");
    }
    settle(k);
  }

  @Override
  void ended(Trial t) {
    int k = t.rung;
    record(t, k, Double.NaN);
    settle(k);
  }

  /** Tells the strategy about paused trials of rung k that are no longer promotable. */
  private void settle(int k) {
    if (k == rungs.size() - 1) {
      return;
    }
    List<Trial> top = top(k);
    for (Trial t : results.get(k)) {
      if (t.told == null && !t.running() && !t.closed && t.rung == k && !top.contains(t)) {
        tellPaused(t, "not among the best 1/" + fmt(fidelity.eta()) + " at resource "
            + fmt(rungs.get(k)));
      }
    }
  }

  private static String fmt(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }

  @Override
  public boolean isFinished() {
    if (running() > 0 || !exhausted()) {
      return false;
    }
    for (int k = rungs.size() - 2; k >= 0; k--) {
      for (Trial t : top(k)) {
        if (!promoted.get(k).contains(t.index) && !t.closed) {
          return false;
        }
      }
    }
    return true;
  }
}
