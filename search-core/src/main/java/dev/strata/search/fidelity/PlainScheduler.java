package dev.strata.search.fidelity;

import dev.strata.search.strategy.Proposal;
import dev.strata.search.strategy.Strategy;
import dev.strata.search.trial.Outcome;
import dev.strata.search.trial.TrialStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A strategy seen as a scheduler without fidelity: {@code next(n)} is {@code ask(n)}, every job
 * runs at the full resource, {@code complete} is {@code tell}, reports always CONTINUE. Lets the
 * runner drive plain and multi-fidelity studies alike. Not thread-safe.
 */
public final class PlainScheduler implements Scheduler {

  private final Strategy strategy;
  private final Fidelity fidelity;
  private final Map<Integer, Proposal> running = new TreeMap<>();
  private boolean exhausted;

  /**
   * @param strategy the strategy whose proposals run as they are
   * @param resource the resource (epochs) every trial trains to
   */
  public PlainScheduler(Strategy strategy, double resource) {
    this.strategy = strategy;
    this.fidelity = Fidelity.of(resource, resource);
  }

  @Override
  public String name() {
    return strategy.name();
  }

  @Override
  public Fidelity fidelity() {
    return fidelity;
  }

  @Override
  public List<Job> next(int n) {
    if (exhausted) {
      return List.of();
    }
    List<Proposal> proposals = strategy.ask(n);
    if (proposals.isEmpty()) {
      exhausted = true;
    }
    List<Job> jobs = new ArrayList<>(proposals.size());
    for (Proposal p : proposals) {
      running.put(p.index(), p);
      jobs.add(Job.start(p, fidelity.max(), 0));
    }
    return jobs;
  }

  @Override
  public Decision report(int trialIndex, double resource, double value) {
    return Decision.CONTINUE;
  }

  @Override
  public void complete(int trialIndex, double resource, Outcome outcome) {
    if (running.remove(trialIndex) == null) {
      throw new IllegalArgumentException("trial " + trialIndex + " has no job running in " + name());
    }
    strategy.tell(trialIndex, outcome);
  }

  @Override
  public boolean isFinished() {
    return exhausted && running.isEmpty();
  }

  @Override
  public int running() {
    return running.size();
  }

  @Override
  public List<FidelityTrial> trials() {
    List<FidelityTrial> out = new ArrayList<>();
    for (Proposal p : running.values()) {
      out.add(new FidelityTrial(p.index(), p.configuration(), 0, Double.NaN, TrialStatus.RUNNING));
    }
    return out;
  }
}
