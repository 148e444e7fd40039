package dev.strata.search.fidelity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.search.testkit.UniformStrategy;
import dev.strata.search.testkit.UnitBox;
import dev.strata.search.trial.Direction;
import dev.strata.search.trial.Outcome;
import dev.strata.search.trial.TrialStatus;
import java.util.List;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;

class MedianStoppingSchedulerTest {

  private final UnitBox box = UnitBox.of(2);

  /** Accuracy curves: 0.9 − 0.5/epoch for the normal ones. */
  private static final IntToDoubleFunction NORMAL = e -> 0.9 - 0.5 / e;

  @Test
  void stopsAClearlyBadCurveAndKeepsAGoodOne() {
    UniformStrategy strategy = new UniformStrategy(box, 1);
    var median = MedianStoppingScheduler.of(strategy, Direction.MAXIMIZE, Fidelity.of(2, 10));
    List<Job> jobs = median.next(5);
    assertTrue(jobs.stream().allMatch(j -> j.resource() == 10.0));
    for (int t = 0; t < 3; t++) {
      for (int e = 1; e <= 10; e++) {
        final int shift = t;
        assertEquals(Decision.CONTINUE, median.report(t, e, NORMAL.applyAsDouble(e) + 0.01 * shift));
      }
      median.complete(t, 10, Outcome.completed(NORMAL.applyAsDouble(10) + 0.01 * t));
    }
    // Trial 3 is clearly bad: stopped at epoch 2, the first step after the warm-up.
    assertEquals(Decision.CONTINUE, median.report(3, 1, 0.1));
    assertEquals(Decision.STOP, median.report(3, 2, 0.12));
    median.complete(3, 2, new Outcome(TrialStatus.PRUNED, Double.NaN, null, null));
    assertEquals(new Outcome(TrialStatus.PRUNED, 0.12, null, "stopped by median-stopping"),
        strategy.told.get(3));
    // Trial 4 is good: it runs to the end and is told COMPLETED.
    for (int e = 1; e <= 10; e++) {
      assertEquals(Decision.CONTINUE, median.report(4, e, NORMAL.applyAsDouble(e) + 0.05));
    }
    median.complete(4, 10, Outcome.completed(0.9));
    assertEquals(Outcome.completed(0.9), strategy.told.get(4));
  }

  @Test
  void nothingIsStoppedBeforeEnoughOtherTrialsReachedTheStep() {
    var median = MedianStoppingScheduler.of(new UniformStrategy(box, 2), Direction.MINIMIZE,
        Fidelity.of(1, 5));
    median.next(4);
    for (int e = 1; e <= 5; e++) {
      median.report(0, e, 1.0 / e);
      median.report(1, e, 1.0 / e);
    }
    // Only two others have reached epoch 3: keep going even though trial 2 is far worse.
    assertEquals(Decision.CONTINUE, median.report(2, 3, 50));
    for (int e = 1; e <= 5; e++) {
      median.report(3, e, 1.0 / e);
    }
    assertEquals(Decision.STOP, median.report(2, 4, 50));
  }

  @Test
  void aCompletedOutcomeAfterStopIsTreatedAsPruned() {
    UniformStrategy strategy = new UniformStrategy(box, 3);
    var median = new MedianStoppingScheduler(strategy, Direction.MINIMIZE, Fidelity.of(1, 5), 1);
    median.next(2);
    median.complete(0, 5, Outcome.completed(0.1));
    assertEquals(Decision.STOP, median.report(1, 5, 0.9));
    median.complete(1, 5, Outcome.completed(0.9));
    assertEquals(TrialStatus.PRUNED, strategy.told.get(1).status());
    assertEquals(0.9, strategy.told.get(1).value());
  }
}
