package dev.strata.experiments.spec;

import dev.strata.common.DidYouMean;
import dev.strata.trainer.data.DataFormatException;
import dev.strata.trainer.data.DataOptions;
import dev.strata.trainer.data.DataRecipe;
import dev.strata.trainer.spec.ClassWeights;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * @param testSource the official test data (a source as {@link dev.strata.trainer.data.Datasets}
 *     takes it, path resolved), read with the training data's input schema and used as the test
 *     part instead of a fraction ({@code test} is then 0); null for none
 * @param classWeights the training loss's class weights ({@link Weighting}); null for none
 */
public record DataSpec(
    String source, DataOptions options, double validation, double test, long splitSeed, List<String> preprocess,
    int folds, String testSource, Weighting classWeights) {

  /** One train/validation/test split (no cross-validation). */
  public DataSpec(String source, DataOptions options, double validation, double test, long splitSeed,
      List<String> preprocess) {
    this(source, options, validation, test, splitSeed, preprocess, 0);
  }

  /** Without an official test file or class weights. */
  public DataSpec(String source, DataOptions options, double validation, double test, long splitSeed,
      List<String> preprocess, int folds) {
    this(source, options, validation, test, splitSeed, preprocess, folds, null, null);
  }

  /**
   * Class weights as an experiment names them: {@code "balanced"}, or weights by class name
   * (classes not named weigh 1). Immutable.
   */
  public record Weighting(boolean balanced, Map<String, Double> byClass) {
    public Weighting {
      byClass = byClass == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(byClass));
    }

    /**
     * The trainer's weights for data with these classes (in class-index order).
     *
     * @throws DataFormatException naming a class the data does not have
     */
    public ClassWeights resolve(List<String> classNames, String source) {
      if (balanced) {
        return ClassWeights.balancedWeights();
      }
      for (String name : byClass.keySet()) {
        if (!classNames.contains(name)) {
          String near = DidYouMean.closestOrNull(name, classNames);
          throw new DataFormatException(source + ": \"classWeights\" names class '" + name + "', which the data does not have"
              + (near == null ? "" : " (did you mean '" + near + "'?)") + "; its classes are: " + String.join(", ", classNames));
        }
      }
      List<Double> w = new ArrayList<>();
      for (String c : classNames) {
        w.add(byClass.getOrDefault(c, 1.0));
      }
      return new ClassWeights(false, w);
    }
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
    if (testSource != null && test != 0) {
      throw new IllegalArgumentException("an official test file (" + testSource + ") is the test part, so the test"
          + " fraction must be 0, got " + test);
    }
  }

  /** This spec with an official test source (null: none, and the test fraction is kept). */
  public DataSpec withTestSource(String testSource) {
    return new DataSpec(source, options, validation, testSource == null ? test : 0, splitSeed, preprocess, folds,
        testSource, classWeights);
  }

  /** This spec as the trainer's {@link DataRecipe}, which a saved model carries. */
  public DataRecipe recipe() {
    return new DataRecipe(source, options, validation, test, splitSeed, preprocess, folds, 0, testSource);
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
