package dev.strata.trainer.train;

import dev.strata.trainer.data.Dataset;
import dev.strata.trainer.spec.Loss;

/**
 * Gathers rows of a dataset into fixed batch buffers and converts labels to the float targets that
 * MSE and binary cross-entropy read: one output with two classes gives the label itself (0 or 1),
 * one output per class gives a one-hot row. Buffers are allocated once. Not thread-safe.
 */
final class Batches {

  final float[] x;
  final int[] labels;
  final float[] targets;
  private final int inputs;
  private final int outputs;
  private final boolean floatTargets;

  Batches(int rows, int inputs, int outputs, Loss loss) {
    this.inputs = inputs;
    this.outputs = outputs;
    this.floatTargets = loss != Loss.SOFTMAX_CROSS_ENTROPY;
    this.x = new float[rows * inputs];
    this.labels = new int[rows];
    this.targets = new float[rows * outputs];
  }

  /** Copies rows {@code order[start .. start + rows)} of {@code d}. */
  void gather(Dataset d, int[] order, int start, int rows) {
    for (int r = 0; r < rows; r++) {
      copyRow(d, order[start + r], r);
    }
  }

  /** Copies the contiguous rows {@code start .. start + rows) of {@code d}. */
  void slice(Dataset d, int start, int rows) {
    System.arraycopy(d.x(), start * inputs, x, 0, rows * inputs);
    for (int r = 0; r < rows; r++) {
      copyTargets(d, start + r, r);
    }
  }

  private void copyRow(Dataset d, int src, int r) {
    System.arraycopy(d.x(), src * inputs, x, r * inputs, inputs);
    copyTargets(d, src, r);
  }

  private void copyTargets(Dataset d, int src, int r) {
    if (d.isClassification()) {
      int label = d.labels()[src];
      labels[r] = label;
      if (floatTargets) {
        if (outputs == 1) {
          targets[r] = label;
        } else {
          java.util.Arrays.fill(targets, r * outputs, (r + 1) * outputs, 0f);
          targets[r * outputs + label] = 1f;
        }
      }
    } else {
      System.arraycopy(d.targets(), src * outputs, targets, r * outputs, outputs);
    }
  }

  /**
   * Why {@code spec}-shaped outputs cannot be trained on {@code d}, or null when they can.
   */
  static String incompatibility(Dataset d, int inputs, int outputs, Loss loss) {
    if (d.features() != inputs) {
      return "the spec has " + inputs + " inputs but dataset '" + d.name() + "' has " + d.features() + " features";
    }
    if (d.isClassification()) {
      int k = d.classes();
      if (loss == Loss.SOFTMAX_CROSS_ENTROPY) {
        return outputs == k ? null : "softmax_cross_entropy needs outputs = number of classes (" + k + "), got " + outputs;
      }
      return outputs == k || (outputs == 1 && k == 2) ? null
          : loss + " on a classification set needs outputs = " + k + " (one-hot)" + (k == 2 ? " or 1" : "") + ", got " + outputs;
    }
    if (loss == Loss.SOFTMAX_CROSS_ENTROPY) {
      return "dataset '" + d.name() + "' is a regression set (no labels); use loss mse";
    }
    return outputs == d.outputs() ? null
        : "the spec has " + outputs + " outputs but dataset '" + d.name() + "' has " + d.outputs() + " targets per row";
  }
}
