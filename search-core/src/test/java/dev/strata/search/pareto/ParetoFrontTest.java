package dev.strata.search.pareto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.search.trial.Direction;
import dev.strata.search.trial.Goal;
import java.util.List;
import org.junit.jupiter.api.Test;

class ParetoFrontTest {

  @Test
  void dominanceNeedsOneStrictImprovement() {
    assertTrue(ParetoFront.dominates(new double[] {1, 2}, new double[] {1, 3}));
    assertFalse(ParetoFront.dominates(new double[] {1, 2}, new double[] {1, 2}));
    assertFalse(ParetoFront.dominates(new double[] {0, 3}, new double[] {1, 2}));
  }

  @Test
  void frontKeepsNonDominatedPointsAndTiesAndSkipsNaN() {
    List<double[]> points = List.of(new double[] {1, 3}, new double[] {2, 2}, new double[] {2, 3},
        new double[] {3, 1}, new double[] {2, 2}, new double[] {Double.NaN, 0});
    assertEquals(List.of(0, 1, 3, 4), ParetoFront.indices(points));
  }

  @Test
  void lossesFollowEachGoalsDirection() {
    List<Goal> goals = List.of(new Goal("val_accuracy", Direction.MAXIMIZE), new Goal("params", Direction.MINIMIZE));
    assertArrayEquals(new double[] {-0.9, 1000}, ParetoFront.losses(goals, new double[] {0.9, 1000}));
  }

  /** The two-objective sweep agrees with the pairwise definition on random points with many ties. */
  @Test
  void twoObjectiveSweepAgreesWithPairwiseComparison() {
    java.util.SplittableRandom r = new java.util.SplittableRandom(5);
    for (int round = 0; round < 50; round++) {
      List<double[]> points = new java.util.ArrayList<>();
      for (int i = 0; i < 60; i++) {
        points.add(new double[] {r.nextInt(8), r.nextInt(8)});
      }
      assertEquals(ParetoFront.pairwise(points), ParetoFront.indices2(points));
    }
  }
}
