package dev.strata.experiments.cli;

import dev.strata.experiments.spec.BadInputException;
import dev.strata.trainer.data.InputSchema;
import dev.strata.trainer.train.Predictions;
import dev.strata.trainer.train.TrainedNetwork;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code strata predict MODEL --data SRC [--out FILE]}: one CSV row per input row with the predicted
 * class name and the class probabilities, or the predicted values of a regression model.
 */
@Command(
    name = "predict",
    mixinStandardHelpOptions = true,
    description = {
      "Predicts new data with a saved model (model.strata from 'strata export' or 'strata train --save').",
      "The data is read with the model's input schema: CSV columns are matched by header name (extra columns",
      "are ignored and named), nominal values are one-hot encoded with the training categories, and the",
      "model's fitted preprocessing is applied. Writes CSV: row, predicted, p(CLASS) per class",
      "(classification) or row and one column per target (regression); 'label' too when the data has one."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:ok", "2:bad input: not a model, or data that does not fit the model (one line says where)"})
public final class PredictCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "MODEL", description = "The model file (.strata).")
  Path modelFile;

  @Option(names = "--data", required = true, paramLabel = "SRC",
      description = "The data: a .csv or .arff file, csv:PATH, arff:PATH, idx:DIR[#t10k] or a built-in name.")
  String data;

  @Option(names = "--out", paramLabel = "FILE", description = "Write the CSV here (default: standard output).")
  Path out;

  @CommandLine.Mixin DebugMixin debug;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    TrainedNetwork model = load(modelFile);
    InputSchema schema = model.schema().orElseThrow();
    InputSchema.Input input = schema.read(data, model.preprocessor().imputes());
    Predictions p = model.predict(input);
    PrintWriter console = spec.commandLine().getOut();
    if (out == null) {
      write(p, schema, console);
      console.flush();
      note(spec.commandLine().getErr(), input);
      return 0;
    }
    Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
    try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      write(p, schema, new PrintWriter(w));
    }
    Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING);
    console.println("wrote " + p.rows() + " predictions to " + out);
    note(console, input);
    console.flush();
    return 0;
  }

  private static void note(PrintWriter w, InputSchema.Input input) {
    if (!input.ignoredColumns().isEmpty()) {
      w.println("note: ignored columns the model does not take: " + String.join(", ", input.ignoredColumns()));
      w.flush();
    }
  }

  /** The predictions as CSV (see the command description). */
  static void write(Predictions p, InputSchema schema, PrintWriter w) {
    List<String> header = new ArrayList<>(List.of("row"));
    if (p.classification()) {
      header.add("predicted");
      if (p.labels() != null) {
        header.add("label");
      }
      header.addAll(p.probabilityColumns());
    } else {
      List<String> names = schema.labelColumns().size() == p.outputs() ? schema.labelColumns() : outputNames(p.outputs());
      for (String n : names) {
        header.add("predicted_" + n);
      }
      if (p.targets() != null) {
        names.forEach(n -> header.add("label_" + n));
      }
    }
    w.println(String.join(",", header.stream().map(PredictCommand::csv).toList()));
    StringBuilder line = new StringBuilder();
    for (int r = 0; r < p.rows(); r++) {
      line.setLength(0);
      line.append(r + 1);
      if (p.classification()) {
        line.append(',').append(csv(p.predictedName(r)));
        if (p.labels() != null) {
          line.append(',').append(csv(p.classNames().get(p.labels()[r])));
        }
      }
      for (int k = 0; k < p.outputs(); k++) {
        line.append(',').append(number(p.value(r, k)));
      }
      if (!p.classification() && p.targets() != null) {
        for (int k = 0; k < p.outputs(); k++) {
          line.append(',').append(number(p.targets()[r * p.outputs() + k]));
        }
      }
      w.println(line);
    }
    w.flush();
  }

  private static List<String> outputNames(int n) {
    if (n == 1) {
      return List.of("value");
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add("y" + i);
    }
    return out;
  }

  private static String number(float v) {
    return String.format(Locale.ROOT, "%.6g", v);
  }

  private static String csv(String s) {
    return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
  }

  /**
   * Loads a model file for predict and evaluate: a missing file, a file that is not a model (or a
   * training checkpoint) and a model without an input schema are bad input with a fix.
   */
  static TrainedNetwork load(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new BadInputException(file + ": no such model file; export one with 'strata export RUN --best'"
          + " (it writes model.strata) or train one with 'strata train ... --save model.strata'");
    }
    TrainedNetwork model;
    try {
      model = TrainedNetwork.load(file);
    } catch (NoSuchFileException e) {
      throw new BadInputException(file + ": no such model file", e);
    } catch (IOException e) {
      String hint = file.toString().endsWith(".ckpt")
          ? "; a .ckpt file is a training checkpoint, the model is model.strata in the export directory" : "";
      throw new BadInputException(e.getMessage() + hint, e);
    }
    if (model.schema().isEmpty()) {
      throw new BadInputException(file + ": this model file carries no input schema (it was written before model"
          + " format 2, or from arrays); export it again with 'strata export RUN --best'");
    }
    return model;
  }
}
