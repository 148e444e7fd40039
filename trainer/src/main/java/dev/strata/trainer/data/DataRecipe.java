package dev.strata.trainer.data;

import java.util.List;
import java.util.Objects;

/**
 * How a model's training data was made, so that {@code strata train} can make it again: the source,
 * the label, the split and the preprocessing. A saved model carries it ({@code docs/model-format.md});
 * {@code strata export} prints it as a {@code strata train} command. Immutable.
 *
 * @param source the dataset source as {@link Datasets#load(String, DataOptions)} takes it
 * @param options the loader options: label columns, regression flag, nominal encoding, generator
 *     options
 * @param validation the validation fraction of the split
 * @param test the test fraction of the split
 * @param splitSeed the seed of the stratified split ({@link Splitter})
 * @param preprocess the preprocessing steps, fitted on the training part ({@link Preprocessor})
 * @param folds 0 for one split ({@link Splitter#split}); {@code k >= 2} for k-fold cross-validation
 *     ({@link Splitter#folds}), where the model was trained on fold {@code fold}'s split
 * @param fold the fold the model was trained on (0 without cross-validation)
 * @param testSource the official test data used as the test part instead of a fraction, or null
 */
public record DataRecipe(
    String source, DataOptions options, double validation, double test, long splitSeed, List<String> preprocess,
    int folds, int fold, String testSource) {

  /** Without an official test file. */
  public DataRecipe(String source, DataOptions options, double validation, double test, long splitSeed,
      List<String> preprocess, int folds, int fold) {
    this(source, options, validation, test, splitSeed, preprocess, folds, fold, null);
  }

  public DataRecipe {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(options, "options");
    preprocess = List.copyOf(preprocess);
  }
}
