package dev.strata.trainer.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A model's answers for {@code rows} inputs: class probabilities (classification) or predicted
 * values (regression), and the true labels or targets when the input had them. Immutable by
 * convention (the arrays are never written after construction). Thread-safe for reading.
 *
 * <p>Classification: {@code values} is {@code rows x classNames.size()} probabilities (a one-output
 * sigmoid model's {@code p} is expanded to {@code [1 - p, p]}). Regression: {@code rows x outputs}
 * values.
 *
 * @param classNames the model's classes in index order; empty for regression
 * @param outputs values per row
 * @param labels true class per row, or null
 * @param targets true values ({@code rows x outputs}), or null
 */
public record Predictions(List<String> classNames, int rows, int outputs, float[] values, int[] labels, float[] targets) {

  public Predictions {
    classNames = List.copyOf(classNames);
    Objects.requireNonNull(values, "values");
    if (values.length != (long) rows * outputs) {
      throw new IllegalArgumentException("values has " + values.length + " entries, expected " + rows + " x " + outputs);
    }
  }

  public boolean classification() {
    return !classNames.isEmpty();
  }

  /** Whether true labels or targets are known (then {@link #metrics()} has something to say). */
  public boolean labeled() {
    return labels != null || targets != null;
  }

  /** The most probable class of row {@code r} (the first one on a tie). */
  public int predictedClass(int r) {
    int best = 0;
    for (int j = 1; j < outputs; j++) {
      if (values[r * outputs + j] > values[r * outputs + best]) {
        best = j;
      }
    }
    return best;
  }

  /** The name of the most probable class of row {@code r}. */
  public String predictedName(int r) {
    return classNames.get(predictedClass(r));
  }

  /** Probability of class {@code k} for row {@code r}, or regression output {@code k}. */
  public float value(int r, int k) {
    return values[r * outputs + k];
  }

  /**
   * Metrics against the known labels, in a stable order. Classification: {@code accuracy}, {@code
   * balanced_accuracy} (mean per-class recall over the classes present), {@code f1_macro} (mean
   * per-class F1 over the classes present or predicted), {@code log_loss} (mean {@code -ln p(true
   * class)}, {@code p} clipped to {@code [1e-15, 1]}), {@code roc_auc} (binary: the AUC of class 1's
   * probability, ties counted half; more classes: the mean one-vs-rest AUC over the classes present
   * with both positives and negatives). Regression: {@code rmse}, {@code mae}, {@code r2}.
   *
   * @throws IllegalStateException when the input had no labels
   */
  public Map<String, Double> metrics() {
    if (!labeled()) {
      throw new IllegalStateException("these predictions have no true labels to compare with");
    }
    return classification() ? ClassMetrics.of(values, labels, rows, outputs) : regressionMetrics();
  }

  private Map<String, Double> regressionMetrics() {
    double se = 0;
    double ae = 0;
    double[] mean = new double[outputs];
    for (int i = 0; i < rows * outputs; i++) {
      mean[i % outputs] += targets[i];
    }
    for (int k = 0; k < outputs; k++) {
      mean[k] /= Math.max(1, rows);
    }
    double tot = 0;
    for (int i = 0; i < rows * outputs; i++) {
      double d = values[i] - targets[i];
      se += d * d;
      ae += Math.abs(d);
      double t = targets[i] - mean[i % outputs];
      tot += t * t;
    }
    int n = Math.max(1, rows * outputs);
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("rmse", Math.sqrt(se / n));
    m.put("mae", ae / n);
    m.put("r2", tot == 0 ? Double.NaN : 1 - se / tot);
    return m;
  }

  /** The class names, for a CSV header: {@code p(name)} per class. */
  public List<String> probabilityColumns() {
    List<String> out = new ArrayList<>();
    for (String c : classNames) {
      out.add("p(" + c + ")");
    }
    return out;
  }

  @Override
  public String toString() {
    return "Predictions[" + rows + " x " + outputs + (classification() ? ", classes " + classNames : "")
        + ", labeled=" + labeled() + ", first=" + Arrays.toString(Arrays.copyOf(values, Math.min(values.length, outputs))) + "]";
  }
}
