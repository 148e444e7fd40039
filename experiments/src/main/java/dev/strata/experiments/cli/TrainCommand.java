package dev.strata.experiments.cli;

import dev.strata.experiments.spec.BadInputException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.experiments.objective.PreparedData;
import dev.strata.experiments.spec.DataSpec;
import dev.strata.trainer.data.DataOptions;
import dev.strata.trainer.data.Preprocessor;
import dev.strata.trainer.spec.NetworkSpec;
import dev.strata.trainer.spec.NetworkSpecs;
import dev.strata.trainer.train.EpochListener;
import dev.strata.trainer.train.SplitMetrics;
import dev.strata.trainer.train.Trainer;
import dev.strata.trainer.train.TrainingControl;
import dev.strata.trainer.train.TrainingResult;
import dev.strata.trainer.train.TrainingStatus;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code strata train}: trains one network spec on one dataset and prints its metrics: a progress
 * line per epoch, then one JSON line.
 */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = "Trains one network on one dataset; prints a line per epoch and a final JSON line.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:the training completed (or stopped early)",
      "1:the training diverged or was rejected",
      "2:bad input: spec, dataset or options"
    })
public final class TrainCommand implements Callable<Integer> {

  private static final ObjectMapper JSON = new ObjectMapper();

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin DebugMixin debug;

  @Option(names = "--dataset", required = true, paramLabel = "SRC",
      description = "A built-in name (see 'strata datasets'), csv:PATH, idx:DIR or arff:PATH.")
  String dataset;

  @Option(names = "--spec", required = true, paramLabel = "FILE", description = "The network spec (JSON).")
  Path specFile;

  @Option(names = "--seed", defaultValue = "1", description = "Seed for initialisation, shuffling and dropout (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--label", paramLabel = "COLUMN", split = ",",
      description = "Label column of a CSV or ARFF file (default: the last); regression: one or more target columns, comma-separated.")
  List<String> label;

  @Option(names = "--nominal", paramLabel = "ENCODING", defaultValue = "one-hot",
      description = "How ARFF nominal features are encoded: one-hot or codes (default ${DEFAULT-VALUE}).")
  String nominal;

  @Option(names = "--samples", paramLabel = "N", description = "Rows to generate (generated datasets; default: the generator's).")
  int samples;

  @Option(names = "--classes", paramLabel = "N", description = "Classes to generate (spiral, blobs).")
  int classes;

  @Option(names = "--dimensions", paramLabel = "N", description = "Input dimensions to generate (blobs).")
  int dimensions;

  @Option(names = "--noise", paramLabel = "SD", description = "Generator noise (a standard deviation).")
  Double noise;

  @Option(names = "--data-seed", paramLabel = "SEED", defaultValue = "1",
      description = "Seed of a generated dataset (default ${DEFAULT-VALUE}).")
  long dataSeed;

  @Option(names = "--regression", description = "Treat the label column as a numeric regression target.")
  boolean regression;

  @Option(names = "--validation", defaultValue = "0.2", description = "Validation fraction (default ${DEFAULT-VALUE}).")
  double validation;

  @Option(names = "--test", defaultValue = "0.2", description = "Test fraction (default ${DEFAULT-VALUE}).")
  double test;

  @Option(names = "--test-data", paramLabel = "SRC",
      description = "Official test data (csv:PATH, arff:PATH, idx:DIR#t10k, cifar:DIR#test, or a .csv/.arff path) as the"
          + " test part instead of --test; read with the training data's columns and classes. idx:DIR and cifar:DIR use"
          + " their official test files unless --test or --test-data is given.")
  String testData;

  @Option(names = "--folds", paramLabel = "K", defaultValue = "0",
      description = "k-fold cross-validation over the rows outside the test part (replaces --validation); train on fold --fold.")
  int folds;

  @Option(names = "--fold", paramLabel = "I", defaultValue = "0",
      description = "With --folds: the fold to validate on, 0 to K-1 (default ${DEFAULT-VALUE}).")
  int fold;

  @Option(names = "--missing", paramLabel = "MODE", defaultValue = "error",
      description = "A missing feature value (empty, ?, NA, NaN) in a CSV or ARFF file: error (default) or impute"
          + " (the training part's median, or most frequent category; stored with the model).")
  String missing;

  @Option(names = "--image-size", paramLabel = "HxW",
      description = "images:DIR: resize every image to HEIGHTxWIDTH, e.g. 32x32 (default: the files' size, which must then agree).")
  String imageSize;

  @Option(names = "--channels", paramLabel = "C", defaultValue = "0",
      description = "images:DIR: 1 (grey) or 3 (RGB) (default: 1 when every file is grey, else 3).")
  int channels;

  @Option(names = "--split-seed", defaultValue = "0", description = "Seed of the train/validation/test split (default ${DEFAULT-VALUE}).")
  long splitSeed;

  @Option(names = "--preprocess", split = ",", defaultValue = "standardize",
      description = "Preprocessing fitted on the training part: standardize, minmax, pca:K, pca:F, whiten (default ${DEFAULT-VALUE}; 'none' for none).")
  List<String> preprocess;

  @Option(names = "--save", paramLabel = "FILE",
      description = "Save the model here (conventionally NAME.strata): spec, weights, fitted preprocessing, input schema, class names, provenance; 'strata predict' reads it.")
  Path save;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    if (!Files.isRegularFile(specFile)) {
      throw new BadInputException(specFile + ": no such spec file; pass an existing JSON file to --spec (see examples/)");
    }
    NetworkSpec network = NetworkSpecs.read(specFile).withSeed(seed);
    List<String> steps = preprocess.size() == 1 && preprocess.getFirst().equals("none") ? List.of() : preprocess;
    steps.forEach(Preprocessor::check);
    if (!(validation >= 0 && test >= 0 && validation + test < 1)) {
      throw new BadInputException("--validation " + validation + " --test " + test
          + ": fractions must be >= 0 with a sum below 1; for example --validation 0.2 --test 0.2");
    }
    DataOptions.Builder options = DataOptions.builder().regression(regression).samples(samples).classes(classes)
        .dimensions(dimensions).seed(dataSeed);
    if (label != null) {
      options.label(label.toArray(String[]::new));
    }
    if (noise != null) {
      options.noise(noise);
    }
    switch (nominal) {
      case "one-hot" -> options.nominal(DataOptions.NominalEncoding.ONE_HOT);
      case "codes" -> options.nominal(DataOptions.NominalEncoding.CODES);
      default -> throw new BadInputException("--nominal " + nominal + ": unknown encoding; use one-hot or codes");
    }
    int imageHeight = 0;
    int imageWidth = 0;
    if (imageSize != null) {
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,4})x(\\d{1,4})").matcher(imageSize.strip());
      if (!m.matches() || Integer.parseInt(m.group(1)) == 0 || Integer.parseInt(m.group(2)) == 0) {
        throw new BadInputException("--image-size " + imageSize + ": expected HEIGHTxWIDTH in pixels, e.g. --image-size 32x32");
      }
      imageHeight = Integer.parseInt(m.group(1));
      imageWidth = Integer.parseInt(m.group(2));
    }
    if (channels != 0 && channels != 1 && channels != 3) {
      throw new BadInputException("--channels " + channels + ": use 1 (grey) or 3 (RGB)");
    }
    options.image(imageHeight, imageWidth, channels);
    switch (missing) {
      case "error" -> options.missing(DataOptions.Missing.ERROR);
      case "impute" -> options.missing(DataOptions.Missing.IMPUTE);
      default -> throw new BadInputException("--missing " + missing + ": unknown mode; use error or impute");
    }
    if (samples < 0 || classes < 0 || dimensions < 0 || (noise != null && !(noise >= 0))) {
      throw new BadInputException("--samples, --classes, --dimensions and --noise must be >= 0; for example --samples 500");
    }
    if (folds == 1 || folds < 0 || (folds > 1 && (fold < 0 || fold >= folds)) || (folds == 0 && fold != 0)) {
      throw new BadInputException("--folds " + folds + " --fold " + fold + ": use --folds K (K >= 2) with --fold 0 to K-1,"
          + " or neither; for example --folds 5 --fold 0");
    }
    String testSource = testData;
    boolean testGiven = spec.commandLine().getParseResult().hasMatchedOption("--test");
    if (testSource != null && testGiven) {
      throw new BadInputException("--test " + test + " --test-data " + testData + ": give one test part, a fraction or a file");
    }
    String lower = dataset.strip().toLowerCase(java.util.Locale.ROOT);
    if (testSource == null && !testGiven && !dataset.contains("#") && (lower.startsWith("idx:") || lower.startsWith("cifar:"))) {
      testSource = dataset.strip() + (lower.startsWith("idx:") ? "#t10k" : "#test");
      try {
        dev.strata.trainer.data.Datasets.checkPart(testSource);
      } catch (dev.strata.trainer.data.DataFormatException e) {
        throw new BadInputException(e.getMessage() + "; the official test files are the test part of " + dataset
            + " by default: add them, or pass --test 0.2 to hold out a fraction of the training files");
      }
    }
    if (testSource != null && !testSource.contains(":")) {
      String l = testSource.toLowerCase(java.util.Locale.ROOT).replaceAll("\\.gz$", "");
      testSource = (l.endsWith(".arff") ? "arff:" : "csv:") + testSource;
    }
    PreparedData all = PreparedData.load(new DataSpec(dataset, options.build(), folds > 1 ? 0 : validation,
        testSource == null ? test : 0, splitSeed, steps, folds, testSource, null));
    PreparedData data = all.fold(fold);
    checkShape(network, data);

    TrainingControl control = TrainingControl.defaults()
        .withStrataVersion(StrataCommand.version())
        .withListener(m -> {
          // with --validation 0 there is nothing to validate on: no NaN columns
          String validated = data.split().validation().rows() == 0 ? ""
              : String.format(java.util.Locale.ROOT, "val_loss %.5f  %s  ", m.validationLoss(), data.classification()
                  ? String.format(java.util.Locale.ROOT, "val_accuracy %.4f", m.validationAccuracy())
                  : String.format(java.util.Locale.ROOT, "val_rmse %.5f", m.validationRmse()));
          out.printf(java.util.Locale.ROOT, "epoch %3d  train_loss %.5f  %s%.2fs%n", m.epoch(), m.trainLoss(), validated,
              m.seconds());
          out.flush();
          return EpochListener.Decision.CONTINUE;
        });
    TrainingResult result = new Trainer().train(network, data.split(), control);
    out.println(summary(result, data.classification()));
    out.flush();
    if (save != null && result.network() != null) {
      all.model(result.network(), fold).save(save);
    }
    boolean ok = result.status() != TrainingStatus.DIVERGED && result.status() != TrainingStatus.REJECTED;
    return ok ? 0 : ErrorHandler.EXIT_FAILED;
  }

  private void checkShape(NetworkSpec network, PreparedData data) {
    String where = specFile + " /inputs";
    if (network.inputs() != data.inputs()) {
      throw new BadInputException(where + ": the spec has " + network.inputs() + " inputs but dataset '" + dataset
          + "' has " + data.inputs() + " features after preprocessing; set \"inputs\": " + data.inputs());
    }
    if (network.outputs() != data.outputs()) {
      throw new BadInputException(specFile + " /outputs: the spec has " + network.outputs() + " outputs but dataset '"
          + dataset + "' has " + data.outputs() + (data.classification() ? " classes" : " targets")
          + "; set \"outputs\": " + data.outputs());
    }
  }

  private static String summary(TrainingResult result, boolean classification) {
    ObjectNode json = JSON.createObjectNode();
    json.put("status", result.status().name());
    if (!result.reason().isEmpty()) {
      json.put("reason", result.reason());
    }
    var metrics = result.metrics();
    if (metrics != null) {
      SplitMetrics val = metrics.validation();
      SplitMetrics test = metrics.test();
      if (classification) {
        putFinite(json, "val_accuracy", val.accuracy());
        putFinite(json, "test_accuracy", test.accuracy());
      } else {
        putFinite(json, "val_rmse", val.rmse());
        putFinite(json, "val_mae", val.mae());
        putFinite(json, "val_r2", val.r2());
        putFinite(json, "test_rmse", test.rmse());
        putFinite(json, "test_mae", test.mae());
        putFinite(json, "test_r2", test.r2());
      }
      putFinite(json, "val_loss", val.loss());
      json.put("params", metrics.parameterCount());
      json.put("flops", metrics.flopsPerSample());
      json.put("epochs", metrics.epochsRun());
      json.put("seconds", Math.round(metrics.trainingSeconds() * 1000) / 1000.0);
    }
    return json.toString();
  }

  private static void putFinite(ObjectNode json, String key, double value) {
    if (Double.isFinite(value)) {
      json.put(key, value);
    } else {
      json.putNull(key);
    }
  }
}
