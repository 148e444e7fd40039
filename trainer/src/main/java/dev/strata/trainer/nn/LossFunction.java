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

  public LossFunction(Loss loss, int outputs) {
    this.loss = loss;
    this.outputs = outputs;
  }

  public Loss loss() {
    return loss;
  }

  /** Whether this loss reads integer labels (softmax cross-entropy) rather than float targets. */
  public boolean usesLabels() {
    return loss == Loss.SOFTMAX_CROSS_ENTROPY;
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
