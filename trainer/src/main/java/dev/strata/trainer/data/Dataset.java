package dev.strata.trainer.data;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * A dense, in-memory dataset: {@code rows} samples of {@code features} floats, row-major.
 *
 * <p>Classification sets carry integer {@code labels} in {@code [0, classNames.size())} and no
 * {@code targets}; regression sets carry {@code targets} ({@code rows × outputs}, row-major) and no
 * labels. Immutable by convention: the arrays are never written after construction, and nobody
 * else may hold a writable reference. Thread-safe for reading.
 *
 * <p>The derived copies ({@link #select}, {@link #slice}, {@link #withX}, {@link #withName}) never
 * share a mutable array with a caller: they copy what they take in, and share only arrays that
 * belong to an existing {@code Dataset}.
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

  /** Label of row {@code row}; classification only. */
  public int label(int row) {
    if (labels == null) {
      throw new IllegalStateException("dataset '" + name + "' is a regression set and has no labels");
    }
    return labels[row];
  }

  /** A copy of row {@code row}'s features. */
  public float[] row(int row) {
    Objects.checkIndex(row, rows);
    return Arrays.copyOfRange(x, row * features, (row + 1) * features);
  }

  /** How many rows each class has ({@code classes()} entries); empty for regression. */
  public int[] classCounts() {
    int[] counts = new int[classes()];
    if (labels != null) {
      for (int label : labels) {
        counts[label]++;
      }
    }
    return counts;
  }

  /**
   * The rows at the given indices, in that order (indices may repeat). Names and classes are kept,
   * so label {@code k} means the same class in the result.
   */
  public Dataset select(int[] indices) {
    Objects.requireNonNull(indices, "indices");
    float[] nx = new float[indices.length * features];
    int[] nl = labels == null ? null : new int[indices.length];
    float[] nt = targets == null ? null : new float[indices.length * outputs];
    for (int i = 0; i < indices.length; i++) {
      int r = Objects.checkIndex(indices[i], rows);
      System.arraycopy(x, r * features, nx, i * features, features);
      if (nl != null) {
        nl[i] = labels[r];
      } else {
        System.arraycopy(targets, r * outputs, nt, i * outputs, outputs);
      }
    }
    return new Dataset(name, nx, indices.length, features, nl, nt, outputs, featureNames, classNames);
  }

  /** Rows {@code from} (inclusive) to {@code to} (exclusive). */
  public Dataset slice(int from, int to) {
    Objects.checkFromToIndex(from, to, rows);
    int[] indices = new int[to - from];
    Arrays.setAll(indices, i -> from + i);
    return select(indices);
  }

  /**
   * The same rows with new features (labels or targets shared): {@code x} is copied and must hold
   * {@code rows * features} values. Feature names may be null (then the list is empty).
   */
  public Dataset withX(float[] x, int features, List<String> featureNames) {
    return new Dataset(name, x.clone(), rows, features, labels, targets, outputs, featureNames, classNames);
  }

  /** The same data under another name. */
  public Dataset withName(String name) {
    return new Dataset(name, x, rows, features, labels, targets, outputs, featureNames, classNames);
  }

  /**
   * A stable content hash for provenance: lowercase hex SHA-256 over the kind (classification or
   * regression), the shape ({@code rows, features, outputs}), the features (IEEE-754 bits,
   * little-endian, row-major) and the labels or the targets. Names (dataset, features, classes) are
   * not part of it, so renaming a dataset keeps its hash; changing any value or the row order
   * changes it. Independent of JVM, platform and run.
   */
  public String hash() {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
    ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
    buf.put((byte) (isClassification() ? 'C' : 'R')).putInt(rows).putInt(features).putInt(outputs);
    for (float v : x) {
      if (buf.remaining() < Float.BYTES) {
        flush(sha, buf);
      }
      buf.putInt(Float.floatToIntBits(v));
    }
    if (labels != null) {
      for (int v : labels) {
        if (buf.remaining() < Integer.BYTES) {
          flush(sha, buf);
        }
        buf.putInt(v);
      }
    } else {
      for (float v : targets) {
        if (buf.remaining() < Float.BYTES) {
          flush(sha, buf);
        }
        buf.putInt(Float.floatToIntBits(v));
      }
    }
    flush(sha, buf);
    return HexFormat.of().formatHex(sha.digest());
  }

  private static void flush(MessageDigest sha, ByteBuffer buf) {
    buf.flip();
    sha.update(buf);
    buf.clear();
  }

  /** {@code "1797 x 64 -> 10 classes"} or {@code "200 x 1 -> 1 output"}. */
  public String shape() {
    return rows + " x " + features + " -> "
        + (isClassification() ? classes() + " classes" : outputs + (outputs == 1 ? " output" : " outputs"));
  }

  /** Default feature names {@code prefix0, prefix1, ...}. */
  static List<String> names(String prefix, int count) {
    List<String> names = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      names.add(prefix + i);
    }
    return names;
  }
}
