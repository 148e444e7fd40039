package dev.strata.search.fidelity;

import dev.strata.search.testkit.SyntheticCurves;
import dev.strata.search.trial.Outcome;
import java.util.ArrayList;
import java.util.List;

/** Drives a scheduler on {@link SyntheticCurves} with one worker, as the runner would. */
final class Simulation {

  final List<Job> jobs = new ArrayList<>();
  double spent;
  /** Best final-resource loss seen and the resource spent when it was first at most the target. */
  double best = Double.POSITIVE_INFINITY;
  double spentToTarget = Double.NaN;

  static Simulation run(Scheduler s, SyntheticCurves curves, double budget, double target) {
    Simulation sim = new Simulation();
    // Runs until the target is reached (never, for target < 0), the budget is spent or s finishes.
    while (sim.spent < budget && !s.isFinished() && Double.isNaN(sim.spentToTarget)) {
      List<Job> next = s.next(1);
      if (next.isEmpty()) {
        break;
      }
      Job job = next.getFirst();
      sim.jobs.add(job);
      sim.spent += job.cost();
      double loss = curves.loss(job.configuration(), job.resource());
      s.complete(job.trialIndex(), job.resource(), Outcome.completed(loss));
      if (Fidelity.same(job.resource(), s.fidelity().max()) && loss < sim.best) {
        sim.best = loss;
        if (loss <= target && Double.isNaN(sim.spentToTarget)) {
          sim.spentToTarget = sim.spent;
        }
      }
    }
    return sim;
  }

  long count(double resource) {
    return jobs.stream().filter(j -> Fidelity.same(j.resource(), resource)).count();
  }
}
