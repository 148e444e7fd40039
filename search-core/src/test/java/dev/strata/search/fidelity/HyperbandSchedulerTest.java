package dev.strata.search.fidelity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.search.testkit.SyntheticCurves;
import dev.strata.search.testkit.UniformStrategy;
import dev.strata.search.testkit.UnitBox;
import dev.strata.search.trial.Direction;
import java.util.List;
import org.junit.jupiter.api.Test;

class HyperbandSchedulerTest {

  private final UnitBox box = UnitBox.of(2);

  @Test
  void oneIterationRunsEveryBracketInOrder() {
    UniformStrategy strategy = new UniformStrategy(box, 7);
    var hb = new HyperbandScheduler(strategy, Direction.MINIMIZE, Fidelity.of(1, 81), 1);
    Simulation sim = Simulation.run(hb, new SyntheticCurves(box), Double.MAX_VALUE, -1);
    assertTrue(hb.isFinished());
    assertEquals(81 + 34 + 15 + 8 + 5, strategy.told.size());
    // New configurations start at 1 (81 of them), then 3 (34), 9 (15), 27 (8), 81 (5), in order.
    List<Double> startResources = sim.jobs.stream().filter(j -> j instanceof Job.Start)
        .map(Job::resource).distinct().toList();
    assertEquals(List.of(1.0, 3.0, 9.0, 27.0, 81.0), startResources);
    assertEquals(81 + 34 + 15 + 8 + 5,
        sim.jobs.stream().filter(j -> j instanceof Job.Start).count());
    // Jobs ending at 81: 1 + 1 + 1 + 2 + 5.
    assertEquals(10, sim.count(81));
    assertEquals("hyperband(uniform)", hb.name());
  }

  @Test
  void parallelWorkersOpenTheNextBracketInsteadOfWaiting() {
    var hb = new HyperbandScheduler(new UniformStrategy(box, 8), Direction.MINIMIZE,
        Fidelity.of(1, 9), 0);
    List<Job> jobs = hb.next(12);
    assertEquals(12, jobs.size());
    assertEquals(9, jobs.stream().filter(j -> j.resource() == 1.0).count());
    assertEquals(3, jobs.stream().filter(j -> j.resource() == 3.0).count());
  }

  @Test
  void sameSeedSameJobs() {
    List<Job> a = run(11);
    List<Job> b = run(11);
    assertEquals(a, b);
  }

  private List<Job> run(long seed) {
    var hb = new HyperbandScheduler(new UniformStrategy(box, seed), Direction.MINIMIZE,
        Fidelity.of(1, 27), 2);
    return Simulation.run(hb, new SyntheticCurves(box), Double.MAX_VALUE, -1).jobs;
  }
}
