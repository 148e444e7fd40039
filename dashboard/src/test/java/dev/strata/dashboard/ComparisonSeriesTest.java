package dev.strata.dashboard;

import dev.strata.common.Quantiles;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.search.trial.Configuration;
import dev.strata.search.trial.Direction;
import dev.strata.search.trial.StudyRecord;
import dev.strata.search.trial.TrialRecord;
import dev.strata.search.trial.TrialStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ComparisonSeriesTest {

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
    var curves = ComparisonSeries.curves(knownStudies(), knownTrials(), Direction.MINIMIZE);
    assertArrayEquals(new double[] {5, 3, 3, 3}, curves.get(0).best(), EPS);
    assertArrayEquals(new double[] {4, 4, 1}, curves.get(1).best(), EPS);
    assertTrue(Double.isNaN(curves.get(2).best()[0]));
    assertEquals(2, curves.get(2).best()[1], EPS);
    assertArrayEquals(new double[] {10, 20, 30, 40}, curves.get(0).seconds(), EPS);
  }

  @Test
  void medianAndQuartilesOverSeedsVersusTrials() {
    var curves = ComparisonSeries.curves(knownStudies(), knownTrials(), Direction.MINIMIZE);
    var band = ComparisonSeries.byTrials(curves).getFirst();
    assertEquals("random", band.strategy());
    assertArrayEquals(new double[] {1, 2, 3, 4}, band.x(), EPS);
    // x=1: {5,4}; x=2: {3,4,2}; x=3: {3,1} (seed 3 has 2 trials); x=4: {3}
    assertArrayEquals(new double[] {4.5, 3, 2, 3}, band.median(), EPS);
    assertArrayEquals(new double[] {4.25, 2.5, 1.5, 3}, band.q1(), EPS);
    assertArrayEquals(new double[] {4.75, 3.5, 2.5, 3}, band.q3(), EPS);
    assertArrayEquals(new int[] {2, 3, 2, 1}, band.n());
  }

  @Test
  void medianOverSeedsVersusTrainingSeconds() {
    var curves = ComparisonSeries.curves(knownStudies(), knownTrials(), Direction.MINIMIZE);
    var band = ComparisonSeries.bySeconds(curves).getFirst();
    assertEquals(ComparisonSeries.MAX_POINTS, band.x().length);
    int at20 = 199; // grid = 40 * (i + 1) / 400
    assertEquals(20, band.x()[at20], EPS);
    assertEquals(3, band.median()[at20], EPS); // {3, 4, 2}
    int at15 = 149;
    assertEquals(15, band.x()[at15], EPS);
    assertEquals(4.5, band.median()[at15], EPS); // {5, 4}: seed 3 has no best yet
    assertEquals(3, band.median()[ComparisonSeries.MAX_POINTS - 1], EPS); // t=40: only seed 1
  }

  @Test
  void maximisingKeepsTheLargest() {
    var curves = ComparisonSeries.curves(knownStudies(), knownTrials(), Direction.MAXIMIZE);
    assertArrayEquals(new double[] {5, 5, 5, 5}, curves.get(0).best(), EPS);
    assertArrayEquals(new double[] {4, 6, 6}, curves.get(1).best(), EPS);
  }

  @Test
  void longStudiesAreThinnedToMaxPoints() {
    double[] grid = ComparisonSeries.trialGrid(10_000);
    assertEquals(ComparisonSeries.MAX_POINTS, grid.length);
    assertEquals(10_000, grid[grid.length - 1], EPS);
  }
}
