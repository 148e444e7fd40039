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
 */
public record DataRecipe(
    String source, DataOptions options, double validation, double test, long splitSeed, List<String> preprocess) {

  public DataRecipe {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(options, "options");
    preprocess = List.copyOf(preprocess);
  }
}
