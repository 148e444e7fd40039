package dev.strata.experiments.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.search.trial.TrialStatus;
import dev.strata.trainer.train.TrainingStatus;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrialClassificationTest {

  @Test
  void trainingEndingsMapToTrialStatuses() {
    assertEquals(TrialStatus.COMPLETED, TrialClassification.of(TrainingStatus.EARLY_STOPPED));
    assertEquals(TrialStatus.COMPLETED, TrialClassification.of(TrainingStatus.PAUSED));
    assertEquals(TrialStatus.DIVERGED, TrialClassification.of(TrainingStatus.DIVERGED));
    assertEquals(TrialStatus.REJECTED, TrialClassification.of(TrainingStatus.REJECTED));
    assertEquals(TrialStatus.FAILED, TrialClassification.of(TrainingStatus.TIMED_OUT));
    assertEquals(TrialStatus.INTERRUPTED, TrialClassification.of(TrainingStatus.CANCELLED));
  }

  @Test
  void oneWordingOfATimeOut() {
    assertEquals("timed out after 120 s", TrialClassification.timedOut(120, ""));
    assertEquals("timed out after 0.5 s: epoch 3", TrialClassification.timedOut(0.5, "epoch 3"));
  }

  @Test
  void outcomes() {
    TrialResult ok = TrialResult.completed(Map.of("loss", 0.25), 1);
    assertEquals(TrialStatus.COMPLETED, TrialClassification.outcome(ok, null, "loss", false, false, Double.NaN, "asha", 0).status());
    assertEquals(TrialStatus.PRUNED, TrialClassification.outcome(ok, null, "loss", true, false, 0.3, "asha", 0).status());
    assertEquals(0.3, TrialClassification.outcome(ok, null, "loss", true, false, 0.3, "asha", 0).value());
    assertEquals(TrialStatus.FAILED, TrialClassification.outcome(ok, null, "accuracy", false, false, Double.NaN, "", 0).status());
    assertEquals(TrialStatus.DIVERGED,
        TrialClassification.outcome(TrialResult.completed(Map.of("loss", Double.NaN), 1), null, "loss", false, false,
            Double.NaN, "", 0).status());
    TrialResult stopped = new TrialResult(TrialStatus.INTERRUPTED, Map.of(), 0, 0, 0, null, "stopped");
    assertEquals("timed out after 60 s",
        TrialClassification.outcome(stopped, null, "loss", false, true, Double.NaN, "", 60).reason());
    assertEquals("IllegalStateException: boom",
        TrialClassification.outcome(null, new IllegalStateException("boom"), "loss", false, false, Double.NaN, "", 0).reason());
  }
}
