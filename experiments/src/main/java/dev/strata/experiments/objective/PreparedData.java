package dev.strata.experiments.objective;

import dev.strata.experiments.spec.DataSpec;
import dev.strata.trainer.data.DataSplit;
import dev.strata.trainer.data.Dataset;
import dev.strata.trainer.data.Datasets;
import dev.strata.trainer.data.InputSchema;
import dev.strata.trainer.data.Preprocessor;
import dev.strata.trainer.data.Splitter;
import dev.strata.trainer.train.TrainedNetwork;
import java.util.Objects;

/**
 * A dataset loaded, split and preprocessed once per run and shared read-only by every trial (the
 * arrays are never written after construction). Immutable and thread-safe.
 *
 * @param spec where it came from
 * @param split the preprocessed training, validation and test parts
 * @param preprocessor the fitted preprocessing (fitted on the training part only)
 * @param hash the content hash of the raw dataset ({@link Dataset#hash()}), for provenance
 * @param schema what a model trained on it takes as input (raw columns, one-hot maps, classes)
 */
public record PreparedData(DataSpec spec, DataSplit split, Preprocessor preprocessor, String hash, InputSchema schema) {

  public PreparedData {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(split, "split");
    Objects.requireNonNull(preprocessor, "preprocessor");
    Objects.requireNonNull(hash, "hash");
    Objects.requireNonNull(schema, "schema");
  }

  /** A trained network with this data's schema, preprocessing and recipe attached, ready to save as a model. */
  public TrainedNetwork model(TrainedNetwork network) {
    return network.withData(schema, preprocessor, spec.recipe());
  }

  /**
   * Loads, splits (stratified for classification, with the spec's split seed) and preprocesses.
   *
   * @throws dev.strata.trainer.data.DataFormatException for a bad source or file
   */
  public static PreparedData load(DataSpec spec) {
    return of(spec, Datasets.load(spec.source(), spec.options()));
  }

  /** Splits and preprocesses a dataset already in memory (a cluster worker's cached copy). */
  public static PreparedData of(DataSpec spec, Dataset raw) {
    if (raw.isClassification() && raw.classes() < 2) {
      String label = spec.options().labelColumns().isEmpty() ? "the last column"
          : "column '" + spec.options().labelColumns().getFirst() + "'";
      throw new dev.strata.trainer.data.DataFormatException(spec.source() + ": the label (" + label + ") has only one class"
          + (raw.classes() == 1 ? " '" + raw.classNames().getFirst() + "'" : "") + " in " + raw.rows()
          + " rows; a classifier needs at least two: check the label column, or set \"regression\": true for a numeric target");
    }
    DataSplit split;
    try {
      split = Splitter.split(raw, spec.validation(), spec.test(), spec.splitSeed());
    } catch (IllegalArgumentException e) {
      throw new dev.strata.trainer.data.DataFormatException(spec.source() + ": " + e.getMessage());
    }
    Preprocessor.Prepared prepared = Preprocessor.fitSplit(spec.preprocess(), split);
    return new PreparedData(spec, prepared.split(), prepared.preprocessor(), raw.hash(),
        InputSchema.of(raw, spec.options().labelColumns()));
  }

  public boolean classification() {
    return split.train().isClassification();
  }

  /** Features per sample after preprocessing. */
  public int inputs() {
    return split.train().features();
  }

  /** Classes, or target columns for regression. */
  public int outputs() {
    return classification() ? split.train().classes() : split.train().outputs();
  }
}
