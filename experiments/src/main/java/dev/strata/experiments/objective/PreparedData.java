package dev.strata.experiments.objective;

import dev.strata.experiments.spec.DataSpec;
import dev.strata.trainer.data.DataSplit;
import dev.strata.trainer.data.Dataset;
import dev.strata.trainer.data.Datasets;
import dev.strata.trainer.data.InputSchema;
import dev.strata.trainer.data.Preprocessor;
import dev.strata.trainer.data.Splitter;
import dev.strata.trainer.train.TrainedNetwork;
import java.util.List;
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
 * @param folds with k-fold cross-validation ({@link DataSpec#folds()}), one prepared single split
 *     per fold, each with the preprocessing fitted on its own training part (then {@code split}
 *     and {@code preprocessor} are fold 0's); empty otherwise
 */
public record PreparedData(
    DataSpec spec, DataSplit split, Preprocessor preprocessor, String hash, InputSchema schema, List<PreparedData> folds) {

  public PreparedData {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(split, "split");
    Objects.requireNonNull(preprocessor, "preprocessor");
    Objects.requireNonNull(hash, "hash");
    Objects.requireNonNull(schema, "schema");
    folds = List.copyOf(folds);
  }

  /** Fold {@code i}'s data (this data itself without cross-validation, for {@code i == 0}). */
  public PreparedData fold(int i) {
    if (folds.isEmpty()) {
      if (i != 0) {
        throw new IllegalArgumentException("no cross-validation: there is only fold 0, asked for " + i);
      }
      return this;
    }
    return folds.get(i);
  }

  /** A trained network with this data's schema, preprocessing and recipe attached, ready to save as a model. */
  public TrainedNetwork model(TrainedNetwork network) {
    return network.withData(schema, preprocessor, spec.recipe());
  }

  /** A model trained on fold {@code fold}'s data: its preprocessing, and a recipe naming the fold. */
  public TrainedNetwork model(TrainedNetwork network, int fold) {
    dev.strata.trainer.data.DataRecipe r = spec.recipe();
    return network.withData(schema, fold(fold).preprocessor(), new dev.strata.trainer.data.DataRecipe(r.source(),
        r.options(), r.validation(), r.test(), r.splitSeed(), r.preprocess(), r.folds(), fold, r.testSource()));
  }

  /**
   * Loads, splits (stratified for classification, with the spec's split seed) and preprocesses.
   *
   * @throws dev.strata.trainer.data.DataFormatException for a bad source or file
   */
  public static PreparedData load(DataSpec spec) {
    Dataset raw = Datasets.load(spec.source(), spec.options());
    return of(spec, raw, spec.testSource() == null ? null : officialTest(spec, raw));
  }

  /**
   * Splits and preprocesses a dataset already in memory (a cluster worker's cached copy). The
   * official test file, if the spec names one, is read when it is there and otherwise left out (an
   * empty test part: a worker without the file reports no test metric; the coordinator does).
   */
  public static PreparedData of(DataSpec spec, Dataset raw) {
    Dataset test = null;
    if (spec.testSource() != null) {
      try {
        test = officialTest(spec, raw);
      } catch (dev.strata.trainer.data.DataFormatException e) {
        test = null;
      }
    }
    return of(spec, raw, test);
  }

  /**
   * The official test data read with {@code raw}'s input schema (same columns, one-hot maps and
   * classes), as a dataset in {@code raw}'s feature space.
   *
   * @throws dev.strata.trainer.data.DataFormatException one line for a file that does not fit
   */
  public static Dataset officialTest(DataSpec spec, Dataset raw) {
    InputSchema schema = InputSchema.of(raw, spec.options().labelColumns());
    InputSchema.Input in = schema.read(spec.testSource(), spec.options().imputes());
    if (in.labels() == null && in.targets() == null) {
      throw new dev.strata.trainer.data.DataFormatException(spec.testSource() + ": the test data has no label column "
          + (spec.options().labelColumns().isEmpty() ? "(the training data's last column)" : spec.options().labelColumns())
          + "; a test part needs labels to be scored");
    }
    return new Dataset(raw.name() + "/test", in.x(), in.rows(), raw.features(), in.labels(), in.targets(), raw.outputs(),
        raw.featureNames(), raw.classNames());
  }

  /**
   * Splits and preprocesses; {@code officialTest} (in {@code raw}'s feature space), when not null,
   * is the test part and the rest of {@code raw} is split into training and validation.
   */
  public static PreparedData of(DataSpec spec, Dataset raw, Dataset officialTest) {
    if (raw.isClassification() && raw.classes() < 2) {
      String label = spec.options().labelColumns().isEmpty() ? "the last column"
          : "column '" + spec.options().labelColumns().getFirst() + "'";
      throw new dev.strata.trainer.data.DataFormatException(spec.source() + ": the label (" + label + ") has only one class"
          + (raw.classes() == 1 ? " '" + raw.classNames().getFirst() + "'" : "") + " in " + raw.rows()
          + " rows; a classifier needs at least two: check the label column, or set \"regression\": true for a numeric target");
    }
    InputSchema schema = InputSchema.of(raw, spec.options().labelColumns());
    String hash = raw.hash();
    List<DataSplit> splits;
    if (spec.classWeights() != null) {
      if (!raw.isClassification()) {
        throw new dev.strata.trainer.data.DataFormatException(spec.source() + ": \"classWeights\" needs class labels, this is"
            + " a regression dataset; remove classWeights");
      }
      spec.classWeights().resolve(raw.classNames(), spec.source());
    }
    try {
      splits = spec.folds() > 1 ? Splitter.folds(raw, spec.folds(), spec.test(), spec.splitSeed())
          : List.of(Splitter.split(raw, spec.validation(), spec.test(), spec.splitSeed()));
    } catch (IllegalArgumentException e) {
      throw new dev.strata.trainer.data.DataFormatException(spec.source() + ": " + e.getMessage());
    }
    if (spec.testSource() != null) {
      Dataset test = officialTest != null ? officialTest : raw.slice(0, 0);
      splits = splits.stream().map(s -> new DataSplit(s.train(), s.validation(), test.withName(raw.name() + "/test")))
          .toList();
    }
    List<PreparedData> prepared = new java.util.ArrayList<>();
    for (DataSplit split : splits) {
      Preprocessor.Prepared p = Preprocessor.fitSplit(spec.preprocess(), split, spec.options().imputes());
      prepared.add(new PreparedData(spec, p.split(), p.preprocessor(), hash, schema, List.of()));
    }
    PreparedData first = prepared.getFirst();
    return spec.folds() > 1 ? new PreparedData(spec, first.split(), first.preprocessor(), hash, schema, prepared) : first;
  }

  /**
   * The class weights for the trainer ({@link DataSpec#classWeights()} resolved against the class
   * names), or null for none.
   */
  public dev.strata.trainer.spec.ClassWeights classWeights() {
    return spec.classWeights() == null ? null : spec.classWeights().resolve(split.train().classNames(), spec.source());
  }

  /** {@code spec} with this data's class weights in its training section. */
  public dev.strata.trainer.spec.NetworkSpec withTrainingOptions(dev.strata.trainer.spec.NetworkSpec spec) {
    return this.spec.classWeights() == null ? spec
        : spec.withTraining(spec.training().withClassWeights(classWeights()));
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
