package dev.strata.experiments.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.experiments.mapping.NetworkMapper;
import dev.strata.experiments.objective.PreparedData;
import dev.strata.experiments.objective.TrainingEvaluator;
import dev.strata.experiments.report.RunData;
import dev.strata.experiments.run.Seeds;
import dev.strata.experiments.spec.BadInputException;
import dev.strata.experiments.spec.DataSpec;
import dev.strata.experiments.spec.ExperimentReader;
import dev.strata.experiments.spec.ExperimentSpec;
import dev.strata.experiments.spec.ObjectiveSource;
import dev.strata.experiments.store.RunStore;
import dev.strata.runs.RunReader;
import dev.strata.search.trial.StudyRecord;
import dev.strata.search.trial.TrialRecord;
import dev.strata.trainer.data.DataOptions;
import dev.strata.trainer.train.TrainedNetwork;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code strata export DIR --best}: the best trial's network, weights, provenance and command. */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = {
      "Exports the best (or a chosen) trial's network, weights and provenance.",
      "Exports one trial (--best, or --trial ID) into a directory (default DIR/export/trial-ID):",
      "provenance.json (run, trial, strategy, seeds, configuration, metrics, dataset hash, Strata version),",
      "configuration.json, and for network runs network.json (the trainer spec) and model.strata, a model",
      "that stands alone for 'strata predict' and 'strata evaluate' (weights, fitted preprocessing, input",
      "schema, class names, provenance): the trial's saved network when the run kept one, otherwise the",
      "network is retrained from its seed (same spec, same seed, same data: the same weights). Also prints",
      "the 'strata train' command that reproduces it bit for bit (data, label, split, preprocessing, seed)."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:ok", "1:retraining failed", "2:DIR is not a run, no such trial, or no trial completed"})
public final class ExportCommand implements Callable<Integer> {

  static final class Which {
    @Option(names = "--best", required = true, description = "The best COMPLETED trial of the run.")
    boolean best;

    @Option(names = "--trial", required = true, paramLabel = "ID", description = "The trial with this id.")
    Long trial;
  }

  @Parameters(index = "0", paramLabel = "DIR", description = "The run directory.")
  Path runDir;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Which which;

  @Option(names = "--out", paramLabel = "PATH", description = "Directory to write (default: DIR/export/trial-ID).")
  Path out;

  @picocli.CommandLine.Mixin DebugMixin debugOption;

  @Spec CommandSpec spec;

  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public Integer call() throws IOException {
    ResumeCommand.requireRun(runDir);
    RunData run;
    Optional<String> networkJson;
    TrialRecord trial;
    try (RunReader reader = RunStore.openSnapshotReader(runDir)) {
      run = RunData.load(reader);
      if (which.trial != null) {
        trial = run.trials().stream().filter(t -> t.id() == which.trial).findFirst()
            .orElseThrow(() -> new BadInputException("run " + runDir + " has no trial " + which.trial
                + "; list them with 'strata status " + runDir + "' or the report's trials.csv"));
      } else {
        trial = run.best().orElseThrow(() -> new BadInputException("run " + runDir + " has no COMPLETED trial yet;"
            + " check 'strata status " + runDir + "'"));
      }
      networkJson = reader.networkSpecJson(trial.id());
    }
    ExperimentSpec experiment = ExperimentReader.parseStored(run.experiment().specJson(),
        runDir.resolve("experiment.json").toString(), runDir.toAbsolutePath());
    StudyRecord study = run.study(trial.studyId());
    long trialSeed = Seeds.trial(experiment.seed(), study.strategy(), study.seed(), trial.index());
    Path target = out != null ? out : runDir.resolve("export").resolve("trial-" + trial.id());
    Files.createDirectories(target);

    ObjectNode provenance = JSON.createObjectNode();
    provenance.put("run", run.experiment().name());
    provenance.put("trial", trial.id());
    provenance.put("strategy", study.strategy());
    provenance.put("studySeed", study.seed());
    provenance.put("experimentSeed", experiment.seed());
    provenance.put("trialSeed", trialSeed);
    provenance.put("metric", run.experiment().metric());
    provenance.put("value", trial.value());
    provenance.set("metrics", JSON.valueToTree(trial.metrics()));
    provenance.set("configuration", JSON.readTree(trial.configuration().canonicalJson()));
    NetworkMapper.nasBench201(trial.configuration()).ifPresent(name -> provenance.put("nasBench201", name));
    provenance.put("strataVersion", StrataCommand.version());
    provenance.put("exported", Instant.now().toString());
    Files.writeString(target.resolve("configuration.json"), trial.configuration().canonicalJson() + "\n",
        StandardCharsets.UTF_8);

    var o = spec.commandLine().getOut();
    String command = null;
    if (experiment.objective().source() instanceof ObjectiveSource.Training t) {
      PreparedData data = PreparedData.load(t.data());
      provenance.put("dataset", t.data().source());
      provenance.put("datasetHash", data.hash());
      TrainingEvaluator evaluator = new TrainingEvaluator(data, experiment.space(), experiment.search().budget().maxEpochs());
      String network = networkJson.orElseGet(() -> evaluator.networkJson(trial.configuration(), trialSeed));
      Path networkFile = target.resolve("network.json");
      Files.writeString(networkFile, network + "\n", StandardCharsets.UTF_8);
      Optional<Path> checkpoint = checkpoint(runDir, trial.id());
      Path model = target.resolve(MODEL_FILE);
      if (checkpoint.isPresent()) {
        // re-saved with this data's schema, preprocessing and recipe (older runs saved the bare network)
        data.model(TrainedNetwork.load(checkpoint.get())).save(model);
        provenance.put("weights", "checkpoint " + checkpoint.get().getFileName());
      } else {
        o.println("no checkpoint kept for trial " + trial.id() + ": retraining it from its seed " + trialSeed + "...");
        o.flush();
        evaluator.retrain(networkFile, model);
        provenance.put("weights", "retrained from the trial seed");
      }
      command = trainCommand(t.data(), networkFile, trialSeed, model.resolveSibling("reproduced.strata"));
      provenance.put("command", command);
    }
    Files.writeString(target.resolve("provenance.json"),
        JSON.writerWithDefaultPrettyPrinter().writeValueAsString(provenance) + "\n", StandardCharsets.UTF_8);
    o.println("exported trial " + trial.id() + " (" + study.label() + ", " + run.experiment().metric() + " "
        + trial.value() + ") to " + target);
    if (command != null) {
      o.println("reproduce: " + command);
    }
    o.flush();
    return 0;
  }

  /** The exported model's file name: {@code .strata}, never {@code .ckpt} (that is a training checkpoint). */
  static final String MODEL_FILE = "model.strata";

  /**
   * The {@code strata train} command that trains {@code networkFile} on the same data, split and
   * preprocessing with {@code seed}: every option that shapes the data is written out, defaults
   * included, so that a later change of a default cannot change what it trains.
   */
  static String trainCommand(DataSpec data, Path networkFile, long seed, Path save) {
    List<String> args = new ArrayList<>(List.of("strata", "train", "--dataset", data.source()));
    DataOptions o = data.options();
    if (!o.labelColumns().isEmpty()) {
      args.addAll(List.of("--label", String.join(",", o.labelColumns())));
    }
    if (o.regression()) {
      args.add("--regression");
    }
    if (o.nominal() != DataOptions.NominalEncoding.ONE_HOT) {
      args.addAll(List.of("--nominal", "codes"));
    }
    if (o.samples() > 0) {
      args.addAll(List.of("--samples", Integer.toString(o.samples())));
    }
    if (o.classes() > 0) {
      args.addAll(List.of("--classes", Integer.toString(o.classes())));
    }
    if (o.dimensions() > 0) {
      args.addAll(List.of("--dimensions", Integer.toString(o.dimensions())));
    }
    if (!Double.isNaN(o.noise())) {
      args.addAll(List.of("--noise", Double.toString(o.noise())));
    }
    if (o.seed() != 1) {
      args.addAll(List.of("--data-seed", Long.toString(o.seed())));
    }
    if (o.imputes()) {
      args.addAll(List.of("--missing", "impute"));
    }
    if (o.imageHeight() > 0) {
      args.addAll(List.of("--image-size", o.imageHeight() + "x" + o.imageWidth()));
    }
    if (o.imageChannels() > 0) {
      args.addAll(List.of("--channels", Integer.toString(o.imageChannels())));
    }
    if (data.folds() > 1) {
      args.addAll(List.of("--folds", Integer.toString(data.folds()), "--fold", "0"));
    } else {
      args.addAll(List.of("--validation", Double.toString(data.validation())));
    }
    if (data.testSource() != null) {
      args.addAll(List.of("--test-data", data.testSource()));
    } else {
      args.addAll(List.of("--test", Double.toString(data.test())));
    }
    args.addAll(List.of("--split-seed", Long.toString(data.splitSeed()),
        "--preprocess", data.preprocess().isEmpty() ? "none" : String.join(",", data.preprocess()),
        "--spec", networkFile.toString(), "--seed", Long.toString(seed), "--save", save.toString()));
    return String.join(" ", args.stream().map(ExportCommand::shellQuote).toList());
  }

  /** {@code arg} quoted for a POSIX shell when it needs it. */
  static String shellQuote(String arg) {
    return arg.matches("[A-Za-z0-9_@%+=:,./-]+") ? arg : "'" + arg.replace("'", "'\\''") + "'";
  }

  /** Whether {@code file} is a saved network (a paused trial's file is a training state instead). */
  private static boolean isModelFile(Path file) {
    try (var in = Files.newInputStream(file)) {
      return java.util.Arrays.equals(in.readNBytes(8), "STRATANN".getBytes(StandardCharsets.US_ASCII));
    } catch (IOException e) {
      return false;
    }
  }

  /** The saved network of the trial at its largest resource, when the run kept one. */
  static Optional<Path> checkpoint(Path runDir, long trialId) throws IOException {
    Path dir = runDir.resolve("checkpoints");
    if (!Files.isDirectory(dir)) {
      return Optional.empty();
    }
    String prefix = "trial-" + trialId + "-r";
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().startsWith(prefix) && p.toString().endsWith(".ckpt"))
          .filter(ExportCommand::isModelFile)
          .max(Comparator.comparingInt(p -> {
            String n = p.getFileName().toString();
            try {
              return Integer.parseInt(n.substring(prefix.length(), n.length() - 5));
            } catch (NumberFormatException e) {
              return -1;
            }
          }));
    }
  }
}
