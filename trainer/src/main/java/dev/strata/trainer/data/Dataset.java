package dev.strata.trainer.data;

import java.util.List;
import java.util.Objects;

/**
 * A dense, in-memory dataset: {@code rows} samples of {@code features} floats, row-major.
 *
 * <p>Classification sets carry integer {@code labels} in {@code [0, classNames.size())} and no
 * {@code targets}; regression sets carry {@code targets} ({@code rows × outputs}, row-major) and no
 * labels. Immutable by convention: the arrays are never written after construction, and nobody
 * else may hold a writable reference. Thread-safe for reading.
 */
public record Dataset(
    String name,
    float[] x,
    int rows,
    int features,
    int[] labels,
    float[] targets,
    int outputs,
    List<String> featureNames,
    List<String> classNames) {

  public Dataset {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(x, "x");
    if (rows < 0 || features <= 0) {
      throw new IllegalArgumentException("rows must be >= 0 and features > 0, got rows=" + rows + ", features=" + features);
    }
    if (x.length != (long) rows * features) {
      throw new IllegalArgumentException("x has " + x.length + " values, expected rows*features=" + (long) rows * features);
    }
    if ((labels == null) == (targets == null)) {
      throw new IllegalArgumentException("a dataset has either labels (classification) or targets (regression)");
    }
    if (labels != null && labels.length != rows) {
      throw new IllegalArgumentException("labels has " + labels.length + " entries, expected " + rows);
    }
    if (targets != null && targets.length != (long) rows * outputs) {
      throw new IllegalArgumentException("targets has " + targets.length + " values, expected rows*outputs=" + (long) rows * outputs);
    }
    featureNames = featureNames == null ? List.of() : List.copyOf(featureNames);
    classNames = classNames == null ? List.of() : List.copyOf(classNames);
    if (labels != null) {
      outputs = classNames.size();
    }
  }

  /** Whether this is a classification set (labels) rather than regression (targets). */
  public boolean isClassification() {
    return labels != null;
  }

  /** Number of classes; 0 for regression. */
  public int classes() {
    return isClassification() ? classNames.size() : 0;
  }
}
