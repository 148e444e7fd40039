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

  private static final String EXPERIMENT = """
      {"name": "t", "dataset": DATASET,
       "objective": {"metric": "val_accuracy"},
       "space": {"blocks": {"repeat": {"min": 1, "max": 1}, "of": {"type": "plain", "width": 4, "layers": 1,
         "activation": "tanh"}}, "learningRate": 0.01, "epochs": 1},
       "search": {"strategies": ["random"], "budget": {"trials": 1}}}
      """;

  private Cli.Result validate(String dataset) throws Exception {
    Path f = Files.writeString(dir.resolve("e" + Math.abs(dataset.hashCode()) + ".json"), EXPERIMENT.replace("DATASET", dataset));
    return Cli.execute("validate", f.toString());
  }

  @Test
  void anOfficialTestFileIsTheTestPartInTrainAndInExperiments() throws Exception {
    Random rnd = new Random(8);
    Files.writeString(dir.resolve("train.csv"), rows(rnd, 80, "x,color,label\n").replace(",?,", ",red,").replace("\n,", "\n0,"));
    Files.writeString(dir.resolve("test.csv"), rows(rnd, 30, "x,color,label\n").replace(",?,", ",red,").replace("\n,", "\n0,"));
    Path spec = Files.writeString(dir.resolve("net.json"), SPEC);
    Cli.Result r = Cli.execute("train", "--dataset", "csv:" + dir.resolve("train.csv"), "--test-data",
        dir.resolve("test.csv").toString(), "--spec", spec.toString());
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("\"test_accuracy\""), r.out());

    Cli.Result v = validate("{\"source\": \"csv:train.csv\", \"split\": {\"test\": \"csv:test.csv\"}}");
    assertEquals(0, v.code(), v.out() + v.err());
    assertTrue(v.out().contains(" 30 test rows (from csv:" + dir.resolve("test.csv") + ")"), v.out());

    Files.writeString(dir.resolve("odd.csv"), "x,color,label\n1,green,yes\n");
    Cli.Result odd = validate("{\"source\": \"csv:train.csv\", \"split\": {\"test\": \"csv:odd.csv\"}}");
    assertEquals(2, odd.code(), odd.out() + odd.err());
    assertTrue(odd.err().contains("odd.csv:2:2: value 'green' in column 'color' was not seen in training"), odd.err());
    Cli.Result gone = validate("{\"source\": \"csv:train.csv\", \"split\": {\"test\": \"csv:gone.csv\"}}");
    assertEquals(2, gone.code());
    assertTrue(gone.err().contains("/dataset/split/test") && gone.err().contains("not found"), gone.err());
  }

  /** An IDX pair: {@code n} 2x2 images whose first pixel is the class. */
  private static void idx(Path dir, String part, int n) throws Exception {
    java.nio.ByteBuffer img = java.nio.ByteBuffer.allocate(16 + 4 * n);
    img.putInt(0x803).putInt(n).putInt(2).putInt(2);
    java.nio.ByteBuffer lab = java.nio.ByteBuffer.allocate(8 + n);
    lab.putInt(0x801).putInt(n);
    for (int i = 0; i < n; i++) {
      int k = i % 2;
      img.put((byte) (k * 200)).put((byte) 30).put((byte) (i * 7)).put((byte) 9);
      lab.put((byte) k);
    }
    Files.write(dir.resolve(part + "-images-idx3-ubyte"), img.array());
    Files.write(dir.resolve(part + "-labels-idx1-ubyte"), lab.array());
  }

  @Test
  void idxUsesItsT10kFilesAsTheTestPartOrSaysHowToDoWithout() throws Exception {
    Path mnist = Files.createDirectories(dir.resolve("mnist"));
    idx(mnist, "train", 40);
    Cli.Result none = validate("\"idx:mnist\"");
    assertEquals(2, none.code(), none.out() + none.err());
    assertTrue(none.err().contains("/dataset") && none.err().contains("t10k") && none.err().contains("\"test\": 0.2"),
        none.err());
    Cli.Result fraction = validate("{\"source\": \"idx:mnist\", \"split\": {\"test\": 0.25}}");
    assertEquals(0, fraction.code(), fraction.out() + fraction.err());
    assertTrue(fraction.out().contains(" 10 test rows;"), fraction.out());
    idx(mnist, "t10k", 12);
    Cli.Result official = validate("\"idx:mnist\"");
    assertEquals(0, official.code(), official.out() + official.err());
    assertTrue(official.out().contains("32 training, 8 validation, 12 test rows (from idx:"), official.out());
  }

  @Test
  void classWeightsByNameAreCheckedAgainstTheData() throws Exception {
    Files.writeString(dir.resolve("w.csv"), rows(new Random(2), 60, "x,color,label\n").replace(",?,", ",red,")
        .replace("\n,", "\n0,"));
    assertEquals(0, validate("{\"source\": \"csv:w.csv\", \"classWeights\": \"balanced\"}").code());
    assertEquals(0, validate("{\"source\": \"csv:w.csv\", \"classWeights\": {\"yes\": 3}}").code());
    Cli.Result typo = validate("{\"source\": \"csv:w.csv\", \"classWeights\": {\"yess\": 3}}");
    assertEquals(2, typo.code());
    assertTrue(typo.err().contains("names class 'yess', which the data does not have (did you mean 'yes'?)"), typo.err());
    assertTrue(typo.err().strip().matches("(?s).*e-?\\d+\\.json:1:\\d+ /dataset/classWeights: csv:.*"),
        "located at the experiment's entry: " + typo.err());
    Cli.Result word = validate("{\"source\": \"csv:w.csv\", \"classWeights\": \"balance\"}");
    assertEquals(2, word.code());
    assertTrue(word.err().contains("/dataset/classWeights: unknown class weighting 'balance'"), word.err());
  }
}
