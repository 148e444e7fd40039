package dev.strata.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.trainer.train.Predictions;
import dev.strata.trainer.train.TrainedNetwork;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model that stands alone: trained with {@code strata train --save} on a CSV with named classes,
 * then {@code predict} and {@code evaluate} on a held-out file whose columns come in another order
 * with an extra id column, through the CLI and the Java API; input that does not fit the schema gets
 * one located line and exit 2.
 */
class ModelCommandsTest {

  private static final String SPEC = """
      {"inputs": 2, "outputs": 3,
       "blocks": [{"type": "plain", "width": 16, "layers": 1, "activation": "tanh"}],
       "loss": "softmax_cross_entropy",
       "training": {"optimizer": "adam", "learningRate": 0.02, "batchSize": 16, "epochs": 30}}
      """;
  private static final String[] SPECIES = {"setosa", "versicolor", "virginica"};

  @TempDir static Path dir;
  static Path model;
  static Path heldout;

  /** Three well-separated blobs far from the origin with unequal scales, so standardisation matters. */
  private static String rows(Random rnd, int n, boolean heldoutLayout) {
    StringBuilder sb = new StringBuilder(heldoutLayout ? "id,x2,x1,species\n" : "x1,x2,species\n");
    for (int i = 0; i < n; i++) {
      int k = i % 3;
      double x1 = 1000 + 300 * k + 40 * rnd.nextGaussian();
      double x2 = -5 + 2 * k + 0.3 * rnd.nextGaussian();
      sb.append(heldoutLayout ? String.format("r%d,%.3f,%.2f,%s%n", i, x2, x1, SPECIES[k])
          : String.format("%.2f,%.3f,%s%n", x1, x2, SPECIES[k]));
    }
    return sb.toString().replace(',', ',');
  }

  @BeforeAll
  static void trainOne() throws Exception {
    Random rnd = new Random(11);
    Path train = Files.writeString(dir.resolve("train.csv"), rows(rnd, 150, false));
    heldout = Files.writeString(dir.resolve("heldout.csv"), rows(rnd, 30, true));
    Path spec = Files.writeString(dir.resolve("net.json"), SPEC);
    model = dir.resolve("model.strata");
    Cli.Result r = Cli.execute("train", "--dataset", "csv:" + train, "--label", "species", "--spec", spec.toString(),
        "--seed", "2", "--save", model.toString());
    assertEquals(0, r.code(), r.out() + r.err());
  }

  @Test
  void predictWritesClassNamesAndProbabilities() throws Exception {
    Path out = dir.resolve("pred.csv");
    Cli.Result r = Cli.execute("predict", model.toString(), "--data", heldout.toString(), "--out", out.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("ignored columns the model does not take: id"), r.out());
    List<String> lines = Files.readAllLines(out);
    assertEquals("row,predicted,label,p(setosa),p(versicolor),p(virginica)", lines.getFirst());
    assertEquals(31, lines.size());
    long right = lines.stream().skip(1).map(l -> l.split(",")).filter(f -> f[1].equals(f[2])).count();
    assertTrue(right >= 28, "the held-out blobs are easy once the model standardises them: " + right + " of 30");
    double sum = Arrays.stream(lines.get(1).split(",")).skip(3).mapToDouble(Double::parseDouble).sum();
    assertEquals(1.0, sum, 1e-4, "probabilities sum to one");
  }

  @Test
  void evaluatePrintsMetricsAndTheJavaApiAgrees() throws Exception {
    Cli.Result r = Cli.execute("evaluate", model.toString(), "--data", "csv:" + heldout, "--json");
    assertEquals(0, r.code(), r.err());
    JsonNode json = new ObjectMapper().readTree(r.out());
    assertEquals(30, json.get("rows").asInt());
    for (String m : List.of("accuracy", "balanced_accuracy", "f1_macro", "log_loss", "roc_auc")) {
      assertTrue(json.has(m), m + " in " + r.out());
    }
    TrainedNetwork loaded = TrainedNetwork.load(model);
    Predictions p = loaded.predict(heldout.toString());
    assertEquals(json.get("accuracy").asDouble(), p.metrics().get("accuracy"), 0.0);
    assertEquals(List.of("setosa", "versicolor", "virginica"), loaded.schema().orElseThrow().classNames());
    assertEquals(List.of("x1", "x2"), loaded.schema().orElseThrow().featureNames());
    assertEquals(List.of("standardize"), loaded.recipe().orElseThrow().preprocess());
    // raw features through the Java API give the same answer as the file (preprocessing is inside)
    float[] raw = {1000f, -5f, 1600f, -1f};
    int[] classes = loaded.predictClasses(raw, 2);
    assertArrayEquals(new int[] {0, 2}, classes);
  }

  @Test
  void aMissingColumnIsOneLocatedLine() throws Exception {
    Path bad = Files.writeString(dir.resolve("bad.csv"), "id,x1,xx2\nr0,1000,-5\n");
    Cli.Result r = Cli.execute("predict", model.toString(), "--data", bad.toString());
    assertBadInput(r, bad + ":1: no column 'x2', which the model takes as input (did you mean 'xx2'?)");
  }

  @Test
  void anUnknownClassIsOneLocatedLine() throws Exception {
    Path bad = Files.writeString(dir.resolve("badlabel.csv"), "x1,x2,species\n1000,-5,setosa\n1300,-3,iris\n");
    Cli.Result r = Cli.execute("evaluate", model.toString(), "--data", bad.toString());
    assertBadInput(r, bad + ":3:3: label 'iris' (column 'species') is not one of the model's classes");
  }

  @Test
  void aTrainingCheckpointIsNotAModel() throws Exception {
    Path ckpt = Files.writeString(dir.resolve("weights.ckpt"), "STRATACKjunk");
    Cli.Result r = Cli.execute("predict", ckpt.toString(), "--data", heldout.toString());
    assertBadInput(r, "a .ckpt file is a training checkpoint");
  }

  @Test
  void evaluateWithoutLabelsSaysSo() throws Exception {
    Path unlabelled = Files.writeString(dir.resolve("nolabel.csv"), "x1,x2\n1000,-5\n");
    Cli.Result r = Cli.execute("evaluate", model.toString(), "--data", unlabelled.toString());
    assertBadInput(r, "no label column species");
    Cli.Result p = Cli.execute("predict", model.toString(), "--data", unlabelled.toString());
    assertEquals(0, p.code(), p.err());
    assertEquals("row,predicted,p(setosa),p(versicolor),p(virginica)", p.out().lines().findFirst().orElseThrow());
  }

  private static void assertBadInput(Cli.Result r, String fragment) {
    assertEquals(2, r.code(), r.out() + r.err());
    List<String> lines = r.err().lines().filter(l -> !l.isBlank()).toList();
    assertEquals(1, lines.size(), r.err());
    assertTrue(lines.getFirst().contains(fragment), lines.getFirst());
    assertFalse(r.err().contains("\tat "));
  }
}
