package dev.strata.trainer.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Worked examples for the classification metrics, small enough to check by hand. */
class ClassMetricsTest {

  @Test
  void binaryExample() {
    // rows: (p1, label) = (0.9, 1), (0.6, 0), (0.4, 1), (0.1, 0)
    float[] p = {0.1f, 0.9f, 0.4f, 0.6f, 0.6f, 0.4f, 0.9f, 0.1f};
    int[] y = {1, 0, 1, 0};
    Map<String, Double> m = ClassMetrics.of(p, y, 4, 2);
    assertEquals(0.5, m.get("accuracy"), 1e-12); // predicted 1, 1, 0, 0
    assertEquals(0.5, m.get("balanced_accuracy"), 1e-12);
    assertEquals(0.5, m.get("f1_macro"), 1e-12); // F1 = 0.5 for both classes
    // positives at 0.9 and 0.4, negatives at 0.6 and 0.1: 3 of 4 pairs ordered right
    assertEquals(0.75, m.get("roc_auc"), 1e-12);
    double logLoss = -(Math.log(0.9f) + Math.log(0.4f) + Math.log(0.4f) + Math.log(0.9f)) / 4;
    assertEquals(logLoss, m.get("log_loss"), 1e-6);
  }

  @Test
  void theMajorityAnswerScoresHalfOnBalancedAccuracy() {
    // 3 rows of class 0, 1 of class 1, always "class 0" with the same probabilities: ties count half
    float[] p = {0.7f, 0.3f, 0.7f, 0.3f, 0.7f, 0.3f, 0.7f, 0.3f};
    Map<String, Double> m = ClassMetrics.of(p, new int[] {0, 0, 0, 1}, 4, 2);
    assertEquals(0.75, m.get("accuracy"), 1e-12);
    assertEquals(0.5, m.get("balanced_accuracy"), 1e-12);
    assertEquals((6.0 / 7 + 0) / 2, m.get("f1_macro"), 1e-12);
    assertEquals(0.5, m.get("roc_auc"), 1e-12);
  }
}
