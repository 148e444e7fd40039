package dev.strata.search.fidelity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.search.testkit.SyntheticCurves;
import dev.strata.search.testkit.UniformStrategy;
import dev.strata.search.testkit.UnitBox;
import dev.strata.search.trial.Direction;
import dev.strata.search.trial.Outcome;
import dev.strata.search.trial.TrialStatus;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class AshaSchedulerTest {

  private final UnitBox box = UnitBox.of(4);
  private final SyntheticCurves curves = new SyntheticCurves(box);

  @Test
  void promotesExactlyTheTopThird() {
    UniformStrategy strategy = new UniformStrategy(box, 5);
    var asha = new AshaScheduler(strategy, Direction.MAXIMIZE, Fidelity.of(1, 9));
    assertEquals(List.of(1.0, 3.0, 9.0), asha.rungs());
    List<Job> first = asha.next(10);
    assertTrue(first.stream().allMatch(j -> j instanceof Job.Start && j.resource() == 1.0));
    double[] accuracy = {0.50, 0.91, 0.30, 0.88, 0.10, 0.95, 0.40, 0.20, 0.60, 0.93};
    for (int i = 0; i < 10; i++) {
      asha.complete(first.get(i).trialIndex(), 1, Outcome.completed(accuracy[i]));
    }
    // ⌊10 / 3⌋ = 3 promotions, best first: 0.95, 0.93, 0.91; then new configurations.
    List<Job> next = asha.next(5);
    assertEquals(List.of(5, 9, 1), next.subList(0, 3).stream().map(Job::trialIndex).toList());
    assertTrue(next.subList(0, 3).stream()
        .allMatch(j -> j instanceof Job.Promote p && p.fromResource() == 1 && p.resource() == 3));
    assertTrue(next.subList(3, 5).stream().allMatch(j -> j instanceof Job.Start));
    // 0.88 is fourth: told PRUNED at resource 1 with its value. Of the promoted ones, 5 and 9
    // were in the top when their jobs ended and are not told; 1 (0.91) ended when the rung had only
    // two results, nothing was promotable, so it was told at once and is now promoted late.
    assertEquals(new Outcome(TrialStatus.PRUNED, 0.88, java.util.Map.of(),
        "not among the best 1/3 at resource 1"), strategy.told.get(3));
    assertFalse(strategy.told.containsKey(5));
    assertFalse(strategy.told.containsKey(9));
    assertEquals(TrialStatus.PRUNED, strategy.told.get(1).status());
    assertEquals(8, strategy.told.size());
  }

  @Test
  void lateResultsWidenTheTopAndPromoteFromTheHighestRungFirst() {
    UniformStrategy strategy = new UniformStrategy(box, 6);
    var asha = new AshaScheduler(strategy, Direction.MINIMIZE, Fidelity.of(1, 9));
    List<Job> first = asha.next(3);
    asha.complete(0, 1, Outcome.completed(0.2));
    asha.complete(1, 1, Outcome.completed(0.1));
    asha.complete(2, 1, Outcome.completed(0.3));
    Job p = asha.next(1).getFirst();
    assertEquals(1, p.trialIndex());
    assertEquals(3.0, p.resource());
    // Trial 1 at rung 1 alone: ⌊1/3⌋ = 0, nothing to promote there.
    asha.complete(1, 3, Outcome.completed(0.05));
    List<Job> more = asha.next(3);
    assertTrue(more.stream().allMatch(j -> j instanceof Job.Start), more.toString());
    asha.complete(more.get(0).trialIndex(), 1, Outcome.completed(0.9));
    asha.complete(more.get(1).trialIndex(), 1, Outcome.completed(0.8));
    asha.complete(more.get(2).trialIndex(), 1, Outcome.completed(0.7));
    // Rung 0 has 6 results, top 2: trials 1 (already promoted) and 0, which was told PRUNED.
    Job late = asha.next(1).getFirst();
    assertEquals(0, late.trialIndex());
    assertEquals(TrialStatus.PRUNED, strategy.told.get(0).status());
    assertEquals(first.size(), 3);
  }

  @Test
  void failuresCountAsWorstAndAreToldAsIs() {
    UniformStrategy strategy = new UniformStrategy(box, 9);
    var asha = new AshaScheduler(strategy, Direction.MINIMIZE, Fidelity.of(1, 3));
    asha.next(3);
    asha.complete(0, 1, Outcome.failed(TrialStatus.DIVERGED, "NaN loss"));
    asha.complete(1, 1, Outcome.failed(TrialStatus.FAILED, "oom"));
    asha.complete(2, 1, Outcome.failed(TrialStatus.FAILED, "oom"));
    assertTrue(asha.next(1).getFirst() instanceof Job.Start);
    assertEquals(TrialStatus.DIVERGED, strategy.told.get(0).status());
  }

  @Test
  void aFiniteStrategyFinishes() {
    UniformStrategy strategy = new UniformStrategy(box, 10, 20);
    var asha = new AshaScheduler(strategy, Direction.MINIMIZE, Fidelity.of(1, 9));
    Simulation.run(asha, curves, Double.MAX_VALUE, -1);
    assertTrue(asha.isFinished());
    assertEquals(20, asha.trials().size());
    assertEquals(20, strategy.told.size());
    // ⌊20/3⌋ = 6 would reach rung 1 in synchronous halving; ASHA's moving top promotes at least
    // as many, each one in the top third of its rung when it was promoted.
    assertTrue(asha.trials().stream().filter(t -> t.resource() >= 3.0).count() >= 6);
    assertTrue(asha.trials().stream().filter(t -> t.resource() == 9.0).count() >= 2);
  }

  /**
   * On simulated learning curves, ASHA reaches a final loss of 0.07 (about 1 in 40 random
   * configurations) with far less resource than random search at the full resource. Median over 7
   * seeds; fixed seeds, so the numbers are exact; the tolerance is a factor of 2.
   */
  @Test
  void reachesAGivenQualityWithLessResourceThanFullBudgetRandom() {
    double target = 0.07;
    Fidelity fidelity = Fidelity.of(1, 81);
    List<Double> asha = new ArrayList<>();
    List<Double> random = new ArrayList<>();
    for (long seed = 1; seed <= 7; seed++) {
      var a = new AshaScheduler(new UniformStrategy(box, seed), Direction.MINIMIZE, fidelity);
      asha.add(Simulation.run(a, curves, 50_000, target).spentToTarget);
      var r = new MedianStoppingScheduler(new UniformStrategy(box, seed), Direction.MINIMIZE,
          fidelity, Integer.MAX_VALUE);
      random.add(Simulation.run(r, curves, 50_000, target).spentToTarget);
    }
    double ashaMedian = median(asha);
    double randomMedian = median(random);
    assertTrue(ashaMedian * 2 < randomMedian,
        "ASHA " + asha + " (median " + ashaMedian + ") vs random " + random + " (median "
            + randomMedian + ")");
  }

  private static double median(List<Double> xs) {
    double[] a = xs.stream().mapToDouble(d -> Double.isNaN(d) ? Double.MAX_VALUE : d).toArray();
    Arrays.sort(a);
    return a[a.length / 2];
  }
}
