package dev.strata.runs;

import dev.strata.search.trial.Configuration;
import dev.strata.search.trial.Direction;
import dev.strata.search.trial.StudyRecord;
import dev.strata.search.trial.TrialRecord;
import dev.strata.search.trial.TrialStatus;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.common.Quantiles;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BestSoFarTest {

  static final double EPS = 1e-12;

  static TrialRecord trial(long id, long study, int index, TrialStatus status, double value, double seconds) {
    return new TrialRecord(id, study, index, Configuration.of(Map.of("x", index)), status, value, Map.of(), 100, 0, seconds,
        null, null, "", "", Map.of());
  }

  /** Three seeds of one strategy, minimised: best-so-far 5,3,3,3 / 4,4,1 / -,2. */
  static List<TrialRecord> knownTrials() {
    List<TrialRecord> t = new ArrayList<>();
    t.add(trial(1, 1, 0, TrialStatus.COMPLETED, 5, 10));
    t.add(trial(2, 1, 1, TrialStatus.COMPLETED, 3, 10));
    t.add(trial(3, 1, 2, TrialStatus.FAILED, Double.NaN, 10));
    t.add(trial(4, 1, 3, TrialStatus.COMPLETED, 4, 10));
    t.add(trial(7, 2, 2, TrialStatus.COMPLETED, 1, 10)); // out of order on purpose
    t.add(trial(5, 2, 0, TrialStatus.COMPLETED, 4, 10));
    t.add(trial(6, 2, 1, TrialStatus.COMPLETED, 6, 10));
    t.add(trial(8, 3, 0, TrialStatus.DIVERGED, Double.NaN, 10));
    t.add(trial(9, 3, 1, TrialStatus.COMPLETED, 2, 10));
    t.add(trial(10, 3, 2, TrialStatus.RUNNING, Double.NaN, 0)); // not finished: ignored
    return t;
  }

  static List<StudyRecord> knownStudies() {
    return List.of(new StudyRecord(1, "random", 1, 4, Map.of()), new StudyRecord(2, "random", 2, 4, Map.of()),
        new StudyRecord(3, "random", 3, 4, Map.of()));
  }

  @Test
  void anInfeasibleTrialNeverSetsTheBestButStillCostsATrial() {
    // minimised: trial 2 has the best value but broke a constraint on a trained metric
    TrialRecord infeasible = new TrialRecord(2, 1, 1, Configuration.of(Map.of("x", 1)), TrialStatus.COMPLETED, 0.5,
        Map.of("latency_ms_b1", 0.08, dev.strata.search.trial.Objectives.VIOLATION, 0.6), 100, 0, 10, null, null, "",
        "infeasible: latency_ms_b1 0.08 breaks latency_ms_b1 <= 0.05", Map.of());
    List<TrialRecord> trials = List.of(trial(1, 1, 0, TrialStatus.COMPLETED, 5, 10), infeasible,
        trial(3, 1, 2, TrialStatus.COMPLETED, 3, 10));
    BestSoFar.StudyCurve c = BestSoFar.curves(List.of(new StudyRecord(1, "random", 1, 3, Map.of())), trials,
        Direction.MINIMIZE).getFirst();
    assertArrayEquals(new double[] {5, 5, 3}, c.best(), EPS);
    assertArrayEquals(new double[] {10, 20, 30}, c.seconds(), EPS);
    assertTrue(!BestSoFar.counts(infeasible) && !infeasible.isFeasible());
    assertTrue(BestSoFar.counts(trials.getFirst()));
  }

  @Test
  void quantilesInterpolateLinearly() {
    double[] v = {1, 2, 3, 4};
    assertEquals(1.75, Quantiles.type7(v, 0.25), EPS);
    assertEquals(2.5, Quantiles.type7(v, 0.5), EPS);
    assertEquals(3.25, Quantiles.type7(v, 0.75), EPS);
    assertEquals(7, Quantiles.type7(new double[] {7}, 0.25), EPS);
    assertTrue(Double.isNaN(Quantiles.type7(new double[0], 0.5)));
  }

  @Test
  void bestSoFarPerStudyFollowsIndexOrderAndSkipsFailures() {
    var curves = BestSoFar.curves(knownStudies(), knownTrials(), Direction.MINIMIZE);
    assertArrayEquals(new double[] {5, 3, 3, 3}, curves.get(0).best(), EPS);
    assertArrayEquals(new double[] {4, 4, 1}, curves.get(1).best(), EPS);
    assertTrue(Double.isNaN(curves.get(2).best()[0]));
    assertEquals(2, curves.get(2).best()[1], EPS);
    assertArrayEquals(new double[] {10, 20, 30, 40}, curves.get(0).seconds(), EPS);
  }

  @Test
  void medianAndQuartilesOverSeedsVersusTrials() {
    var curves = BestSoFar.curves(knownStudies(), knownTrials(), Direction.MINIMIZE);
    var band = BestSoFar.byTrials(curves).getFirst();
    assertEquals("random", band.strategy());
    assertArrayEquals(new double[] {1, 2, 3, 4}, band.x(), EPS);
    // Only from where every seed has a value; a study past its last trial keeps its last best.
    // x=1: seed 3 has none yet; x=2: {3,4,2}; x=3: {3,1,2}; x=4: {3,1,2} (seeds 2 and 3 carried)
    assertArrayEquals(new double[] {Double.NaN, 3, 2, 2}, band.median(), EPS);
    assertArrayEquals(new double[] {Double.NaN, 2.5, 1.5, 1.5}, band.q1(), EPS);
    assertArrayEquals(new double[] {Double.NaN, 3.5, 2.5, 2.5}, band.q3(), EPS);
    assertArrayEquals(new int[] {0, 3, 3, 3}, band.n());
  }

  @Test
  void medianOverSeedsVersusTrainingSeconds() {
    var curves = BestSoFar.curves(knownStudies(), knownTrials(), Direction.MINIMIZE);
    var band = BestSoFar.bySeconds(curves).getFirst();
    assertEquals(BestSoFar.MAX_POINTS, band.x().length);
    int at20 = 199; // grid = 40 * (i + 1) / 400
    assertEquals(20, band.x()[at20], EPS);
    assertEquals(3, band.median()[at20], EPS); // {3, 4, 2}
    int at15 = 149;
    assertEquals(15, band.x()[at15], EPS);
    assertTrue(Double.isNaN(band.median()[at15])); // {5, 4}: seed 3 has no best yet, so no summary
    assertEquals(2, band.median()[BestSoFar.MAX_POINTS - 1], EPS); // t=40: {3, 1, 2}, seeds 2 and 3 carried
  }

  @Test
  void maximisingKeepsTheLargest() {
    var curves = BestSoFar.curves(knownStudies(), knownTrials(), Direction.MAXIMIZE);
    assertArrayEquals(new double[] {5, 5, 5, 5}, curves.get(0).best(), EPS);
    assertArrayEquals(new double[] {4, 6, 6}, curves.get(1).best(), EPS);
  }

  @Test
  void longStudiesAreThinnedToMaxPoints() {
    double[] grid = BestSoFar.trialGrid(10_000);
    assertEquals(BestSoFar.MAX_POINTS, grid.length);
    assertEquals(10_000, grid[grid.length - 1], EPS);
  }

  @Test
  void theMedianOverSeedsNeverGetsWorse() {
    // Seeds that improve at different times, one stopping early: the median may only improve.
    List<TrialRecord> t = new ArrayList<>();
    double[][] values = {{9, 8, 1, 1, 1, 1}, {3, 3, 3, 2}, {7, 1}};
    long id = 1;
    for (int s = 0; s < values.length; s++) {
      for (int i = 0; i < values[s].length; i++) {
        t.add(trial(id++, s + 1, i, TrialStatus.COMPLETED, values[s][i], 1 + i % 3));
      }
    }
    var curves = BestSoFar.curves(knownStudies(), t, Direction.MINIMIZE);
    assertEquals(3, BestSoFar.byTrials(curves).getFirst().n()[0], "every seed has a value after one trial");
    for (var band : List.of(BestSoFar.byTrials(curves).getFirst(), BestSoFar.bySeconds(curves).getFirst())) {
      double previous = Double.POSITIVE_INFINITY;
      for (int i = 0; i < band.x().length; i++) {
        if (band.n()[i] == 0) {
          assertEquals(Double.POSITIVE_INFINITY, previous, "once summarised, a band stays summarised");
          continue;
        }
        assertEquals(3, band.n()[i], "every seed is summarised");
        assertTrue(band.median()[i] <= previous, "x=" + band.x()[i] + ": " + band.median()[i] + " after " + previous);
        assertTrue(band.q1()[i] <= band.median()[i] && band.median()[i] <= band.q3()[i]);
        previous = band.median()[i];
      }
    }
  }

  @Test
  void finishOrderDoesNotChangeTheCurve() {
    // The same trials listed in another order (as a parallel run finishes them) give the same curves.
    List<TrialRecord> shuffled = new ArrayList<>(knownTrials());
    java.util.Collections.reverse(shuffled);
    var a = BestSoFar.curves(knownStudies(), knownTrials(), Direction.MINIMIZE);
    var b = BestSoFar.curves(knownStudies(), shuffled, Direction.MINIMIZE);
    for (int i = 0; i < a.size(); i++) {
      assertArrayEquals(a.get(i).best(), b.get(i).best(), EPS);
      assertArrayEquals(a.get(i).seconds(), b.get(i).seconds(), EPS);
    }
  }
}
