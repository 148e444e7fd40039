package dev.strata.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.runs.StudyProgress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Min-max thinning of a best-so-far's change points ({@link RunService#thin}). */
class ThinTest {

  /** A best that improves at every trial of n (the worst case: n change points). */
  private static List<StudyProgress.Step> everyTrial(int n) {
    List<StudyProgress.Step> steps = new ArrayList<>();
    for (int k = 1; k <= n; k++) {
      steps.add(new StudyProgress.Step(k, k, 1.0 - 1.0 / (k + 1), k * 0.5));
    }
    return steps;
  }

  @Test
  void keepsEveryChangeUpToTheCap() {
    List<StudyProgress.Step> steps = everyTrial(1000);
    assertEquals(steps, RunService.thin(steps, 1000, 1000));
  }

  @Test
  void aboveTheCapKeepsTheFirstAndLastChangeOfEachBucket() {
    int n = 100_000;
    List<StudyProgress.Step> steps = everyTrial(n);
    List<StudyProgress.Step> thin = RunService.thin(steps, n, 1000);
    assertTrue(thin.size() <= 1000, "bounded: " + thin.size());
    assertEquals(steps.getFirst(), thin.getFirst(), "the first best");
    assertEquals(steps.getLast(), thin.getLast(), "the final best");
    // 500 buckets of 200 trials: each bucket's first and last change, in order.
    for (int b = 0; b < 500; b++) {
      assertTrue(thin.contains(steps.get(b * 200)), "bucket " + b + " starts");
      assertTrue(thin.contains(steps.get(b * 200 + 199)), "bucket " + b + " ends");
    }
    for (int i = 1; i < thin.size(); i++) {
      assertTrue(thin.get(i).trial() > thin.get(i - 1).trial() && thin.get(i).value() > thin.get(i - 1).value(), "a sub-sequence");
    }
  }

  @Test
  void sparseChangesAboveTheCapKeepEveryBucketsExtremes() {
    // Changes clustered at the start (most of them) and a few late ones: the late ones all stay.
    List<StudyProgress.Step> steps = new ArrayList<>(everyTrial(5000));
    steps.add(new StudyProgress.Step(80_000, 80_000, 2, 1));
    steps.add(new StudyProgress.Step(99_000, 99_000, 3, 2));
    List<StudyProgress.Step> thin = RunService.thin(steps, 100_000, 1000);
    assertTrue(thin.size() <= 1000);
    assertTrue(thin.containsAll(steps.subList(5000, 5002)), "every change in a bucket of its own is kept");
  }
}
