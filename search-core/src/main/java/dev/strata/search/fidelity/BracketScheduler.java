package dev.strata.search.fidelity;

import dev.strata.search.strategy.Strategy;
import dev.strata.search.trial.Direction;
import dev.strata.search.trial.Outcome;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Synchronous successive halving over a sequence of brackets. A bracket hands out its rung's jobs,
 * waits for all of them, keeps the best and promotes them. When every open bracket waits, the next
 * bracket of the sequence opens, so parallel workers never idle while a plan remains; with one
 * worker the brackets run one after the other, as published.
 */
abstract class BracketScheduler extends SchedulerBase {

  /** A bracket being run. */
  private final class Run {
    final Bracket plan;
    int rung;
    /** Members of the current rung when rung > 0. */
    List<Trial> members = List.of();
    int handed;
    int expected;
    final List<Trial> results = new ArrayList<>();
    boolean done;

    Run(Bracket plan) {
      this.plan = plan;
      this.expected = plan.sizes().getFirst();
    }

    Job nextJob() {
      if (done || handed >= expected) {
        return null;
      }
      double resource = plan.resources().get(rung);
      if (rung == 0) {
        Job.Start job = startNew(resource, 0);
        if (job == null) {
          expected = handed;
          maybeAdvance();
          return rung > 0 ? nextJob() : null;
        }
        handed++;
        runs.put(job.trialIndex(), this);
        return job;
      }
      Trial t = members.get(handed++);
      return promote(t, resource, rung);
    }

    void finished(Trial t) {
      results.add(t);
      maybeAdvance();
    }

    private void maybeAdvance() {
      if (handed < expected || results.size() < expected) {
        return;
      }
      if (expected == 0) {
        done = true;
        return;
      }
      double resource = plan.resources().get(rung);
      if (rung == plan.sizes().size() - 1) {
        results.forEach(t -> tellPaused(t, "reached the top rung"));
        done = true;
        return;
      }
      List<Trial> candidates = new ArrayList<>();
      for (Trial t : results) {
        if (!t.closed && Double.isFinite(t.value)) {
          candidates.add(t);
        }
      }
      candidates.sort(BracketScheduler.this::compare);
      int planned = plan.sizes().get(rung + 1);
      int keep = expected == plan.sizes().get(rung)
          ? planned
          : Math.min(planned, Math.max(1, (int) Math.floor(expected / fidelity.eta() + 1e-9)));
      keep = Math.min(keep, candidates.size());
      for (Trial t : candidates.subList(keep, candidates.size())) {
        tellPaused(t, "not among the best " + keep + " of " + expected + " at resource "
            + resource);
      }
      members = List.copyOf(candidates.subList(0, keep));
      results.clear();
      handed = 0;
      expected = keep;
      rung++;
      if (keep == 0) {
        done = true;
      }
    }
  }

  private final List<Run> open = new ArrayList<>();
  private final Map<Integer, Run> runs = new HashMap<>();
  private int planned;
  private boolean plansLeft = true;

  BracketScheduler(Strategy strategy, Direction direction, Fidelity fidelity) {
    super(strategy, direction, fidelity);
  }

  /** The plan of the {@code number}-th bracket (0, 1, ...), null when there are no more. */
  abstract Bracket plan(int number);

  @Override
  public List<Job> next(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("n must be >= 1, got " + n);
    }
    List<Job> jobs = new ArrayList<>();
    while (jobs.size() < n) {
      for (Run run : open) {
        Job job;
        while (jobs.size() < n && (job = run.nextJob()) != null) {
          jobs.add(job);
        }
      }
      open.removeIf(r -> r.done);
      if (jobs.size() >= n || !openNext()) {
        break;
      }
    }
    return List.copyOf(jobs);
  }

  private boolean openNext() {
    if (!plansLeft || exhausted()) {
      return false;
    }
    Bracket plan = plan(planned);
    if (plan == null) {
      plansLeft = false;
      return false;
    }
    planned++;
    open.add(new Run(plan));
    return true;
  }

  @Override
  void completed(Trial t, Outcome outcome) {
    runs.get(t.index).finished(t);
  }

  @Override
  void ended(Trial t) {
    runs.get(t.index).finished(t);
  }

  @Override
  public boolean isFinished() {
    if (running() > 0) {
      return false;
    }
    for (Run r : open) {
      if (!r.done) {
        return false;
      }
    }
    return !plansLeft || exhausted();
  }
}
