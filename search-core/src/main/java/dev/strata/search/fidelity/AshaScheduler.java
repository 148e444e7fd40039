package dev.strata.search.fidelity;

import dev.strata.search.strategy.Strategy;
import dev.strata.search.trial.Direction;
import dev.strata.search.trial.Outcome;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Asynchronous successive halving, ASHA (Li et al. 2020, Algorithm 2, the promotion variant).
 *
 * <p>Rungs are {@link Fidelity#rungs()}: r_k = R · η^(k − s_max). Every time a worker asks for a
 * job, the rungs are scanned from the second-highest down: a trial at rung k is <em>promotable</em>
 * when it is among the best ⌊n_k / η⌋ of the n_k results completed at rung k and has not been
 * promoted yet; the first promotable trial (best first) is promoted to r_(k+1). When no trial is
 * promotable, a new configuration from the strategy starts at r_0. Nothing ever waits, so workers
 * never idle. Failed trials count in n_k as the worst results and are never promoted; ties are
 * broken by trial index.
 *
 * <p>What the strategy is told: COMPLETED when a trial finishes r_max; when a job ends below it
 * and the trial is not promotable, PRUNED with its value at that rung. A trial that is promotable
 * when its job ends is held untold until it is promoted, or told when it drops out of the top
 * before. ASHA may promote a trial after it was told (its rung grew): it goes on without being
 * told again; see {@link Scheduler}.
 *
 * <p>Runs until the strategy is exhausted; the runner owns the budget. Intermediate reports are
 * recorded and always answered CONTINUE. Each call costs O(n_k) for the rungs it looks at. Not
 * thread-safe.
 */
public final class AshaScheduler extends SchedulerBase {

  /** One result at a rung: its loss (+inf for none) and trial index. */
  private record Entry(double loss, int index) {}

  private static final Comparator<Entry> ORDER =
      Comparator.comparingDouble(Entry::loss).thenComparingInt(Entry::index);

  private final List<Double> rungs;
  /** The results completed at each rung, best first. */
  private final List<TreeSet<Entry>> results = new ArrayList<>();
  /** Trials promoted out of each rung. */
  private final List<Set<Integer>> promoted = new ArrayList<>();
  /** Paused trials of each rung that were promotable when their job ended and are still untold. */
  private final List<Set<Trial>> held = new ArrayList<>();

  public AshaScheduler(Strategy strategy, Direction direction, Fidelity fidelity) {
    super(strategy, direction, fidelity);
    this.rungs = fidelity.rungs();
    for (int k = 0; k < rungs.size(); k++) {
      results.add(new TreeSet<>(ORDER));
      promoted.add(new HashSet<>());
      held.add(new LinkedHashSet<>());
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
      Trial t = promotable(k);
      if (t != null) {
        promoted.get(k).add(t.index);
        held.get(k).remove(t);
        return promote(t, rungs.get(k + 1), k + 1);
      }
    }
    return null;
  }

  /** The best promotable trial of rung k, or null. */
  private Trial promotable(int k) {
    for (int i : top(k)) {
      Trial t = trials.get(i);
      if (!promoted.get(k).contains(i) && !t.closed && !t.running()) {
        return t;
      }
    }
    return null;
  }

  /** The indexes of the best ⌊n_k / η⌋ results of rung k that have a value, best first. */
  private List<Integer> top(int k) {
    TreeSet<Entry> rung = results.get(k);
    int count = (int) Math.floor(rung.size() / fidelity.eta() + 1e-9);
    List<Integer> out = new ArrayList<>(count);
    for (Entry e : rung) {
      if (out.size() == count || e.loss() == Double.POSITIVE_INFINITY) {
        break;
      }
      out.add(e.index());
    }
    return out;
  }

  @Override
  void completed(Trial t, Outcome outcome) {
    int k = t.rung;
    results.get(k).add(new Entry(t.loss(direction), t.index));
    if (k == rungs.size() - 1) {
      tellPaused(t, "reached the top rung");
      return;
    }
    held.get(k).add(t);
    settle(k);
  }

  @Override
  void ended(Trial t) {
    results.get(t.rung).add(new Entry(Double.POSITIVE_INFINITY, t.index));
  }

  /** Tells the strategy about held trials of rung k that are no longer promotable. */
  private void settle(int k) {
    Set<Integer> top = new HashSet<>(top(k));
    for (var it = held.get(k).iterator(); it.hasNext(); ) {
      Trial t = it.next();
      if (!top.contains(t.index)) {
        it.remove();
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
      if (promotable(k) != null) {
        return false;
      }
    }
    return true;
  }
}
