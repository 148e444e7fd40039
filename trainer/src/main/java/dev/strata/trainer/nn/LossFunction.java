package dev.strata.trainer.nn;

import dev.strata.trainer.kernel.LossKernel;
import dev.strata.trainer.spec.Loss;

/**
 * A {@link Loss} applied to a batch of network outputs, returning the batch mean and (optionally)
 * the gradient of that mean with respect to the outputs. Formulas on {@link Loss}. Softmax
 * cross-entropy reads integer {@code labels}; MSE and binary cross-entropy read float
 * {@code targets} ({@code rows x outputs}). Immutable and thread-safe (buffers are passed in).
 */
public final class LossFunction {

  private final Loss loss;
  private final int outputs;
  /** Per-class weights of the training loss, or null for none ({@link dev.strata.trainer.spec.ClassWeights}). */
  private final double[] classWeights;

  public LossFunction(Loss loss, int outputs) {
    this(loss, outputs, null);
  }

  /** A loss whose training value ({@link #applyTraining}) weights each row by its class's weight. */
  public LossFunction(Loss loss, int outputs, double[] classWeights) {
    this.loss = loss;
    this.outputs = outputs;
    this.classWeights = classWeights == null ? null : classWeights.clone();
  }

  public Loss loss() {
    return loss;
  }

  /** Whether this loss reads integer labels (softmax cross-entropy) rather than float targets. */
  public boolean usesLabels() {
    return loss == Loss.SOFTMAX_CROSS_ENTROPY;
  }

  /**
   * The training loss: {@link #apply} without class weights; with them, the weighted mean {@code
   * sum_i w[y_i] l_i / sum_i w[y_i]} over the batch (a batch whose weights sum to 0 has loss 0 and a
   * zero gradient), with the gradient of that weighted mean in {@code grad}. {@code labels} must
   * hold the rows' classes (the trainer fills them for every classification loss).
   */
  public double applyTraining(float[] out, int rows, int[] labels, float[] targets, float[] grad) {
    if (classWeights == null || rows == 0) {
      return apply(out, rows, labels, targets, grad);
    }
    double sum = 0;
    for (int r = 0; r < rows; r++) {
      sum += classWeights[labels[r]];
    }
    double total = 0;
    for (int r = 0; r < rows; r++) {
      double share = sum == 0 ? 0 : classWeights[labels[r]] / sum;
      int o = r * outputs;
      total += share * switch (loss) {
        case SOFTMAX_CROSS_ENTROPY -> LossKernel.softmaxCrossEntropy(1, outputs, out, o, labels, r, grad, o, (float) share);
        case BINARY_CROSS_ENTROPY ->
            LossKernel.sigmoidCrossEntropy(outputs, out, o, targets, o, grad, o, (float) (share / outputs)) / outputs;
        case MSE -> LossKernel.squaredError(outputs, out, o, targets, o, grad, o, (float) (share / outputs)) / outputs;
      };
    }
    return total;
  }

  /**
   * Mean loss over {@code rows}; writes {@code d(mean loss)/d(out)} into {@code grad} unless it is null.
   */
  public double apply(float[] out, int rows, int[] labels, float[] targets, float[] grad) {
    if (rows == 0) {
      return 0;
    }
    int n = rows * outputs;
    return switch (loss) {
      case SOFTMAX_CROSS_ENTROPY ->
          LossKernel.softmaxCrossEntropy(rows, outputs, out, 0, labels, 0, grad, 0, 1.0f / rows) / rows;
      case BINARY_CROSS_ENTROPY -> LossKernel.sigmoidCrossEntropy(n, out, 0, targets, 0, grad, 0, 1.0f / n) / n;
      case MSE -> LossKernel.squaredError(n, out, 0, targets, 0, grad, 0, 1.0f / n) / n;
    };
  }
}
