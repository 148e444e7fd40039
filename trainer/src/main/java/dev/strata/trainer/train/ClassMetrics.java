package dev.strata.trainer.train;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Classification metrics from class probabilities and true labels (formulas on {@link
 * Predictions#metrics()}). Stateless and thread-safe.
 */
public final class ClassMetrics {

  private ClassMetrics() {}

  /**
   * {@code accuracy}, {@code balanced_accuracy}, {@code f1_macro}, {@code log_loss}, {@code roc_auc}
   * (NaN when no class has both positives and negatives).
   *
   * @param p {@code rows x k} probabilities, row-major
   * @param labels true class per row, in {@code [0, k)}
   */
  public static Map<String, Double> of(float[] p, int[] labels, int rows, int k) {
    int[] tp = new int[k];
    int[] actual = new int[k];
    int[] predicted = new int[k];
    int correct = 0;
    double logLoss = 0;
    for (int r = 0; r < rows; r++) {
      int best = 0;
      for (int j = 1; j < k; j++) {
        if (p[r * k + j] > p[r * k + best]) {
          best = j;
        }
      }
      int y = labels[r];
      actual[y]++;
      predicted[best]++;
      if (best == y) {
        tp[y]++;
        correct++;
      }
      logLoss -= Math.log(Math.min(1.0, Math.max(1e-15, p[r * k + y])));
    }
    double recall = 0;
    int present = 0;
    double f1 = 0;
    int f1Classes = 0;
    for (int j = 0; j < k; j++) {
      if (actual[j] > 0) {
        recall += (double) tp[j] / actual[j];
        present++;
      }
      if (actual[j] + predicted[j] > 0) {
        f1 += 2.0 * tp[j] / (actual[j] + predicted[j]);
        f1Classes++;
      }
    }
    double auc;
    if (k == 2) {
      auc = auc(p, labels, rows, k, 1);
    } else {
      double sum = 0;
      int n = 0;
      for (int j = 0; j < k; j++) {
        double a = auc(p, labels, rows, k, j);
        if (!Double.isNaN(a)) {
          sum += a;
          n++;
        }
      }
      auc = n == 0 ? Double.NaN : sum / n;
    }
    Map<String, Double> m = new LinkedHashMap<>();
    int denom = Math.max(1, rows);
    m.put("accuracy", (double) correct / denom);
    m.put("balanced_accuracy", present == 0 ? Double.NaN : recall / present);
    m.put("f1_macro", f1Classes == 0 ? Double.NaN : f1 / f1Classes);
    m.put("log_loss", logLoss / denom);
    m.put("roc_auc", auc);
    return m;
  }

  /** One-vs-rest AUC of class {@code c} (Mann-Whitney: rank sum with ties at their mean rank); NaN without both kinds. */
  static double auc(float[] p, int[] labels, int rows, int k, int c) {
    Integer[] order = new Integer[rows];
    Arrays.setAll(order, i -> i);
    Arrays.sort(order, (a, b) -> Float.compare(p[a * k + c], p[b * k + c]));
    long pos = 0;
    double rankSum = 0;
    int i = 0;
    while (i < rows) {
      int j = i;
      while (j + 1 < rows && p[order[j + 1] * k + c] == p[order[i] * k + c]) {
        j++;
      }
      double rank = (i + j) / 2.0 + 1;
      for (int t = i; t <= j; t++) {
        if (labels[order[t]] == c) {
          pos++;
          rankSum += rank;
        }
      }
      i = j + 1;
    }
    long neg = rows - pos;
    if (pos == 0 || neg == 0) {
      return Double.NaN;
    }
    return (rankSum - pos * (pos + 1) / 2.0) / ((double) pos * neg);
  }
}
