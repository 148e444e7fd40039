package dev.strata.trainer.train;

/**
 * Metrics after one epoch. Immutable. Fields that do not apply are NaN: validation values when there
 * is no validation data, accuracy for regression, RMSE for classification.
 *
 * @param epoch 1-based epoch number
 * @param trainLoss mean training-mode loss over the epoch's batches
 * @param validationLoss inference-mode loss on the validation set
 * @param validationAccuracy classification accuracy on the validation set
 * @param validationRmse regression RMSE on the validation set
 * @param learningRate the rate used for the epoch's last step
 * @param seconds wall-clock seconds since training started
 */
public record EpochMetrics(int epoch, double trainLoss, double validationLoss, double validationAccuracy,
    double validationRmse, double learningRate, double seconds) {

  /** The validation metric to report: accuracy for classification, RMSE for regression. */
  public double validationMetric() {
    return Double.isNaN(validationAccuracy) ? validationRmse : validationAccuracy;
  }
}
