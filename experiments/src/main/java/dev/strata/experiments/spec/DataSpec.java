package dev.strata.experiments.spec;

import dev.strata.trainer.data.DataOptions;
import dev.strata.trainer.data.DataRecipe;
import java.util.List;
import java.util.Objects;

/**
 * Where the training data comes from and how it is split and preprocessed. Immutable.
 *
 * @param source a built-in name ({@code digits}) or {@code csv:PATH}, {@code idx:DIR}, {@code
 *     arff:PATH} with the path already resolved against the experiment file's directory
 * @param options label columns, regression flag, generator options (see {@link DataOptions})
 * @param validation the validation fraction, in [0, 1)
 * @param test the test fraction, in [0, 1); {@code validation + test < 1}
 * @param splitSeed the seed of the stratified split (the same for every trial)
 * @param preprocess preprocessing steps fitted on the training part, e.g. {@code standardize}
 * @param folds 0 for one train/validation/test split; {@code k >= 2} for k-fold cross-validation
 *     over the rows outside the test part ({@link dev.strata.trainer.data.Splitter#folds}), which
 *     replaces the validation fraction
 */
public record DataSpec(
    String source, DataOptions options, double validation, double test, long splitSeed, List<String> preprocess,
    int folds) {

  /** One train/validation/test split (no cross-validation). */
  public DataSpec(String source, DataOptions options, double validation, double test, long splitSeed,
      List<String> preprocess) {
    this(source, options, validation, test, splitSeed, preprocess, 0);
  }

  public DataSpec {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(options, "options");
    preprocess = List.copyOf(preprocess);
    if (!(validation >= 0 && validation < 1) || !(test >= 0 && test < 1) || validation + test >= 1) {
      throw new IllegalArgumentException("split fractions validation=" + validation + ", test=" + test
          + " must each be in [0, 1) with a sum below 1");
    }
    if (folds == 1 || folds < 0) {
      throw new IllegalArgumentException("folds must be 0 (one split) or at least 2, got " + folds);
    }
  }

  /** This spec as the trainer's {@link DataRecipe}, which a saved model carries. */
  public DataRecipe recipe() {
    return new DataRecipe(source, options, validation, test, splitSeed, preprocess, folds, 0);
  }

  /**
   * The preprocessing when an experiment names none, the same as {@code strata train}'s default:
   * standardize (fitted on the training part). {@code "preprocess": []} asks for none.
   */
  public static final List<String> DEFAULT_PREPROCESS = List.of("standardize");

  /** Default split: 20 % validation, 20 % test. */
  public static final double DEFAULT_VALIDATION = 0.2;

  public static final double DEFAULT_TEST = 0.2;
}
