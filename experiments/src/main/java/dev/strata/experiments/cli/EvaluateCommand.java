package dev.strata.experiments.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.experiments.spec.BadInputException;
import dev.strata.trainer.data.InputSchema;
import dev.strata.trainer.train.Predictions;
import dev.strata.trainer.train.TrainedNetwork;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code strata evaluate MODEL --data SRC}: the model's metrics on labelled data. */
@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    description = {
      "Evaluates a saved model (model.strata) on labelled data, read as 'strata predict' reads it.",
      "Classification: accuracy, balanced_accuracy, f1_macro, log_loss, roc_auc. Regression: rmse, mae, r2."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:ok", "2:bad input: not a model, data without labels, or data that does not fit the model"})
public final class EvaluateCommand implements Callable<Integer> {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Parameters(index = "0", paramLabel = "MODEL", description = "The model file (.strata).")
  Path modelFile;

  @Option(names = "--data", required = true, paramLabel = "SRC",
      description = "Labelled data: a .csv or .arff file, csv:PATH, arff:PATH, idx:DIR[#t10k] or a built-in name.")
  String data;

  @Option(names = "--json", description = "Print one JSON object instead of a table.")
  boolean json;

  @CommandLine.Mixin DebugMixin debug;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    TrainedNetwork model = PredictCommand.load(modelFile);
    InputSchema schema = model.schema().orElseThrow();
    InputSchema.Input input = schema.read(data, model.preprocessor().imputes());
    if (!input.labeled()) {
      throw new BadInputException(data + ": no label column " + (schema.labelColumns().isEmpty()
          ? "(the training file's label was its last column)" : String.join(",", schema.labelColumns()))
          + "; evaluate needs the true labels (use 'strata predict' for unlabelled data)");
    }
    Predictions p = model.predict(input);
    Map<String, Double> metrics = p.metrics();
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      ObjectNode o = JSON.createObjectNode();
      o.put("rows", p.rows());
      metrics.forEach((k, v) -> {
        if (Double.isFinite(v)) {
          o.put(k, v);
        } else {
          o.putNull(k);
        }
      });
      out.println(o);
    } else {
      out.println("rows               " + p.rows());
      metrics.forEach((k, v) -> out.printf(Locale.ROOT, "%-18s %s%n", k, Double.isFinite(v) ? String.format(Locale.ROOT, "%.4f", v) : "n/a"));
    }
    out.flush();
    return 0;
  }
}
