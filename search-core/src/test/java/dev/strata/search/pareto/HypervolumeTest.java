package dev.strata.search.pareto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HypervolumeTest {

  @Test
  void twoObjectivesIsTheAreaOfTheStaircase() {
    // (1,3), (2,2), (3,1) against (4,4): 3x1 + 2x1 + 1x1 columns = 3 + 2 + 1
    List<double[]> front = List.of(new double[] {1, 3}, new double[] {2, 2}, new double[] {3, 1});
    assertEquals(6.0, Hypervolume.of(front, new double[] {4, 4}), 1e-12);
    // a dominated point and a point outside the box add nothing
    List<double[]> more = new ArrayList<>(front);
    more.add(new double[] {3, 3});
    more.add(new double[] {0.5, 5});
    assertEquals(6.0, Hypervolume.of(more, new double[] {4, 4}), 1e-12);
  }

  @Test
  void oneObjectiveIsTheDistanceToTheReference() {
    assertEquals(2.5, Hypervolume.of(List.of(new double[] {1.5}, new double[] {3}), new double[] {4}), 1e-12);
  }

  @Test
  void threeObjectivesMatchInclusionExclusionOfBoxes() {
    // two boxes [0,2]^3 from (0,0,0)... against r = (2,2,2): p=(0,1,1) -> 2x1x1, q=(1,0,0) -> 1x2x2,
    // overlap [1,2]x[1,2]x[1,2] = 1: 2 + 4 - 1 = 5
    List<double[]> points = List.of(new double[] {0, 1, 1}, new double[] {1, 0, 0});
    assertEquals(5.0, Hypervolume.of(points, new double[] {2, 2, 2}), 1e-12);
  }

  @Test
  void threeObjectivesAgreeWithMonteCarloWithinItsError() {
    SplittableRandom r = new SplittableRandom(7);
    List<double[]> points = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      points.add(new double[] {r.nextDouble(), r.nextDouble(), r.nextDouble()});
    }
    double exact = Hypervolume.of(points, new double[] {1, 1, 1});
    int inside = 0;
    int samples = 200_000;
    for (int s = 0; s < samples; s++) {
      double[] x = {r.nextDouble(), r.nextDouble(), r.nextDouble()};
      for (double[] p : points) {
        if (ParetoFront.dominates(p, x) || java.util.Arrays.equals(p, x)) {
          inside++;
          break;
        }
      }
    }
    // binomial standard error at 200,000 samples is below 0.0012; 4 of them
    assertEquals(exact, inside / (double) samples, 0.005);
  }

  @Test
  void normalizedScalesEveryAxisToTheUnitBox() {
    // params in [1e3, 1e6] and an error in [0, 1]: the point at the ideal fills the whole unit box
    double hv = Hypervolume.normalized(List.<double[]>of(new double[] {0, 1e3}), new double[] {0, 1e3},
        new double[] {1, 1e6}, 0.1);
    assertEquals(1.1 * 1.1, hv, 1e-12);
  }

  @Test
  void mismatchedLengthsThrow() {
    assertThrows(IllegalArgumentException.class, () -> Hypervolume.of(List.of(new double[] {1}), new double[] {1, 2}));
  }
}
