package dev.strata.search.fidelity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.search.testkit.SyntheticCurves;
import dev.strata.search.testkit.UniformStrategy;
import dev.strata.search.testkit.UnitBox;
import dev.strata.search.trial.Direction;
import dev.strata.search.trial.Outcome;
import dev.strata.search.trial.TrialStatus;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

class SuccessiveHalvingSchedulerTest {

  private final UnitBox box = UnitBox.of(3);
  private final SyntheticCurves curves = new SyntheticCurves(box);

  @Test
  void runsThePublishedRungsAndKeepsTheBest() {
    UniformStrategy strategy = new UniformStrategy(box, 1);
    var sh = SuccessiveHalvingScheduler.of(strategy, Direction.MINIMIZE, Fidelity.of(1, 81));
    Simulation sim = Simulation.run(sh, curves, Double.MAX_VALUE, -1);
    assertTrue(sh.isFinished());
    assertEquals(List.of(81L, 27L, 9L, 3L, 1L),
        List.of(sim.count(1), sim.count(3), sim.count(9), sim.count(27), sim.count(81)));
    assertEquals(81, strategy.told.size());
    // The 27 promoted out of rung 0 are exactly the best 27 at resource 1.
    List<Integer> bestAt1 = sim.jobs.stream().filter(j -> j instanceof Job.Start)
        .sorted(Comparator.comparingDouble(j -> curves.loss(j.configuration(), 1)))
        .limit(27).map(Job::trialIndex).sorted().toList();
    List<Integer> promotedTo3 = sim.jobs.stream().filter(j -> j.resource() == 3.0)
        .map(Job::trialIndex).sorted().toList();
    assertEquals(bestAt1, promotedTo3);
    // One trial reaches the maximum and is told COMPLETED; the others are PRUNED.
    assertEquals(1, strategy.told.values().stream()
        .filter(o -> o.status() == TrialStatus.COMPLETED).count());
    assertEquals(80, strategy.told.values().stream()
        .filter(o -> o.status() == TrialStatus.PRUNED).count());
    Job.Promote last = assertInstanceOf(Job.Promote.class, sim.jobs.getLast());
    assertEquals(27.0, last.fromResource());
    assertEquals(54.0, last.cost());
    // Promotions continue from checkpoints: 81·1 + 27·2 + 9·6 + 3·18 + 1·54.
    assertEquals(297.0, sim.spent, 1e-9);
  }

  @Test
  void aSynchronousRungWaitsForAllItsResults() {
    var sh = new SuccessiveHalvingScheduler(new UniformStrategy(box, 2), Direction.MINIMIZE,
        Fidelity.of(1, 9), 9, 1);
    List<Job> first = sh.next(20);
    assertEquals(9, first.size());
    assertEquals(List.of(), sh.next(1));
    for (int i = 0; i < 8; i++) {
      sh.complete(first.get(i).trialIndex(), 1, Outcome.completed(i));
    }
    assertEquals(List.of(), sh.next(1));
    sh.complete(first.get(8).trialIndex(), 1, Outcome.failed(TrialStatus.FAILED, "boom"));
    List<Job> promoted = sh.next(5);
    assertEquals(List.of(0, 1, 2), promoted.stream().map(Job::trialIndex).toList());
    assertTrue(promoted.stream().allMatch(j -> j.resource() == 3.0));
  }

  @Test
  void reportingForATrialThatIsNotRunningThrows() {
    var sh = SuccessiveHalvingScheduler.of(new UniformStrategy(box, 3), Direction.MINIMIZE,
        Fidelity.of(1, 9));
    var e = assertThrows(IllegalArgumentException.class, () -> sh.report(5, 1, 0.3));
    assertEquals("trial 5 has no job running in successive-halving(uniform)", e.getMessage());
    Job j = sh.next(1).getFirst();
    assertEquals(Decision.CONTINUE, sh.report(j.trialIndex(), 0.5, 1.0));
    sh.complete(j.trialIndex(), 1, Outcome.completed(1.0));
    assertThrows(IllegalArgumentException.class,
        () -> sh.complete(j.trialIndex(), 1, Outcome.completed(1.0)));
  }

  @Test
  void aFiniteStrategyShrinksTheBracket() {
    UniformStrategy strategy = new UniformStrategy(box, 4, 5);
    var sh = SuccessiveHalvingScheduler.of(strategy, Direction.MINIMIZE, Fidelity.of(1, 9));
    Simulation sim = Simulation.run(sh, curves, Double.MAX_VALUE, -1);
    assertTrue(sh.isFinished());
    assertEquals(5, sim.count(1));
    assertEquals(1, sim.count(3));
    assertEquals(1, sim.count(9));
    assertEquals(5, strategy.told.size());
  }
}
