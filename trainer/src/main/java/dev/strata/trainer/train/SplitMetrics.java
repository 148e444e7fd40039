package dev.strata.trainer.train;

/**
 * Inference-mode metrics on one part of the data. Immutable. NaN marks what does not apply:
 * accuracy for regression; RMSE, MAE and R^2 for classification; everything for an empty part.
 *
 * @param loss mean loss (the spec's loss)
 * @param accuracy fraction of rows whose predicted class (argmax, or threshold for one output) is the label
 * @param rmse root mean squared error over all outputs
 * @param mae mean absolute error over all outputs
 * @param r2 1 - SS_res / SS_tot, SS_tot around each output's mean
 * @param rows number of rows evaluated
 */
public record SplitMetrics(double loss, double accuracy, double rmse, double mae, double r2, int rows) {

  public static final SplitMetrics EMPTY = new SplitMetrics(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0);
}
