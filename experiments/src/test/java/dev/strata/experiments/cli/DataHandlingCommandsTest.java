package dev.strata.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data as users have it, through the command line: missing values refused with the cell or imputed
 * (and the imputation travels with the model to predict).
 */
class DataHandlingCommandsTest {

  private static final String SPEC = """
      {"inputs": 3, "outputs": 2,
       "blocks": [{"type": "plain", "width": 8, "layers": 1, "activation": "tanh"}],
       "loss": "softmax_cross_entropy",
       "training": {"optimizer": "adam", "learningRate": 0.05, "batchSize": 16, "epochs": 15}}
      """;

  @TempDir Path dir;

  /** Two classes split by x; about one cell in ten is missing; colour is noise. */
  private static String rows(Random rnd, int n, String header) {
    StringBuilder sb = new StringBuilder(header);
    for (int i = 0; i < n; i++) {
      int k = i % 2;
      String x = rnd.nextInt(10) == 0 ? "" : String.format("%.3f", (k == 0 ? -2 : 2) + 0.5 * rnd.nextGaussian());
      String color = rnd.nextInt(10) == 0 ? "?" : rnd.nextBoolean() ? "red" : "blue";
      sb.append(x).append(',').append(color).append(',').append(k == 0 ? "no" : "yes").append('\n');
    }
    return sb.toString();
  }

  @Test
  void missingValuesAreRefusedWithTheCellOrImputedAndTheModelImputesOnPredict() throws Exception {
    Random rnd = new Random(3);
    Path train = Files.writeString(dir.resolve("train.csv"), rows(rnd, 120, "x,color,label\n"));
    Path heldout = Files.writeString(dir.resolve("new.csv"), rows(rnd, 20, "x,color,label\n"));
    Path spec = Files.writeString(dir.resolve("net.json"), SPEC);
    Path model = dir.resolve("m.strata");

    Cli.Result refused = Cli.execute("train", "--dataset", "csv:" + train, "--spec", spec.toString());
    assertEquals(2, refused.code(), refused.out() + refused.err());
    assertTrue(refused.err().contains(train + ":"), refused.err());
    assertTrue(refused.err().contains("--missing impute"), refused.err());
    assertFalse(refused.err().contains("\tat "), "no stack trace: " + refused.err());

    Cli.Result ok = Cli.execute("train", "--dataset", "csv:" + train, "--spec", spec.toString(), "--missing", "impute",
        "--save", model.toString());
    assertEquals(0, ok.code(), ok.out() + ok.err());
    Cli.Result eval = Cli.execute("evaluate", model.toString(), "--data", heldout.toString());
    assertEquals(0, eval.code(), eval.out() + eval.err());
    assertTrue(eval.out().contains("accuracy"), eval.out());

    Cli.Result bad = Cli.execute("train", "--dataset", "csv:" + train, "--spec", spec.toString(), "--missing", "mean");
    assertEquals(2, bad.code());
    assertTrue(bad.err().contains("--missing mean: unknown mode; use error or impute"), bad.err());
  }

  @Test
  void experimentValidateReportsMissingValuesWithTheCellAndAcceptsImpute() throws Exception {
    Path train = Files.writeString(dir.resolve("d.csv"), rows(new Random(5), 60, "x,color,label\n"));
    String experiment = """
        {"name": "miss", "dataset": {"source": "csv:d.csv", "label": "label" MISSING},
         "objective": {"metric": "val_accuracy"},
         "space": {"blocks": {"repeat": {"min": 1, "max": 1}, "of": {"type": "plain", "width": 4, "layers": 1,
           "activation": "tanh"}}, "learningRate": 0.01, "epochs": 1},
         "search": {"strategies": ["random"], "budget": {"trials": 1}}}
        """;
    Path bad = Files.writeString(dir.resolve("bad.json"), experiment.replace(" MISSING", ""));
    Cli.Result r = Cli.execute("validate", bad.toString());
    assertEquals(2, r.code(), r.out() + r.err());
    assertTrue(r.err().contains(train.toString()) && r.err().contains("missing value"), r.err());
    Path good = Files.writeString(dir.resolve("good.json"), experiment.replace(" MISSING", ", \"missing\": \"impute\""));
    Cli.Result v = Cli.execute("validate", good.toString());
    assertEquals(0, v.code(), v.out() + v.err());
    Path typo = Files.writeString(dir.resolve("typo.json"), experiment.replace(" MISSING", ", \"missing\": \"mean\""));
    Cli.Result t = Cli.execute("validate", typo.toString());
    assertEquals(2, t.code());
    assertTrue(t.err().contains("/dataset/missing"), t.err());
  }
}
