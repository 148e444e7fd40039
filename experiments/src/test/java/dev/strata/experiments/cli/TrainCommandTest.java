package dev.strata.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code strata train}: a real training, and each kind of bad input gets one line and exit 2. */
class TrainCommandTest {

  private static final String XOR_SPEC = """
      {"inputs": 2, "outputs": 2,
       "blocks": [{"type": "plain", "width": 8, "layers": 1, "activation": "tanh"}],
       "loss": "softmax_cross_entropy",
       "training": {"optimizer": "adam", "learningRate": 0.05, "batchSize": 4, "epochs": 200}}
      """;

  @TempDir Path dir;

  record Outcome(int code, String out, String err) {}

  private static Outcome run(String... args) {
    Cli.Result r = Cli.execute(args);
    return new Outcome(r.code(), r.out(), r.err());
  }

  private static void assertOneLineBadInput(Outcome outcome, String fragment) {
    assertEquals(2, outcome.code(), outcome.err());
    List<String> lines = outcome.err().lines().filter(l -> !l.isBlank()).toList();
    assertEquals(1, lines.size(), "exactly one line: " + outcome.err());
    assertTrue(lines.getFirst().contains(fragment), lines.getFirst());
    assertFalse(outcome.err().contains("\tat "), "no stack trace");
  }

  @Test
  void trainsXorAndEndsWithOneJsonLine() throws Exception {
    Path spec = Files.writeString(dir.resolve("xor.json"), XOR_SPEC);
    Outcome outcome = run("train", "--dataset", "xor", "--spec", spec.toString(), "--seed", "3",
        "--validation", "0", "--test", "0", "--preprocess", "none");
    assertEquals(0, outcome.code(), outcome.err());
    List<String> lines = outcome.out().lines().toList();
    assertEquals(201, lines.size(), "one line per epoch plus the JSON line");
    assertTrue(lines.getFirst().startsWith("epoch   1  train_loss ") && !lines.getFirst().contains("NaN"),
        "no validation part, no NaN validation columns: " + lines.getFirst());
    JsonNode json = new ObjectMapper().readTree(lines.getLast());
    assertEquals("COMPLETED", json.get("status").asText());
    assertEquals(42, json.get("params").asLong(), "2*8+8 + 8*2+2 parameters");
    assertTrue(json.has("seconds") && json.has("val_accuracy") && json.has("test_accuracy"));
  }

  @Test
  void invalidSpecNamesTheField() throws Exception {
    Path spec = Files.writeString(dir.resolve("bad.json"), XOR_SPEC.replace("\"width\": 8", "\"widht\": 8"));
    assertOneLineBadInput(run("train", "--dataset", "xor", "--spec", spec.toString()), "/blocks/0/widht");
  }

  @Test
  void unknownDatasetSuggestsAName() throws Exception {
    Path spec = Files.writeString(dir.resolve("xor.json"), XOR_SPEC);
    assertOneLineBadInput(run("train", "--dataset", "digitz", "--spec", spec.toString()), "did you mean 'digits'");
  }

  @Test
  void raggedCsvNamesTheLine() throws Exception {
    Path spec = Files.writeString(dir.resolve("xor.json"), XOR_SPEC);
    Path csv = Files.writeString(dir.resolve("data.csv"), "a,b,label\n1,2,x\n3,4\n5,6,y\n");
    assertOneLineBadInput(run("train", "--dataset", "csv:" + csv, "--spec", spec.toString()), "data.csv:3");
  }

  @Test
  void nonNumericCsvNamesLineAndColumn() throws Exception {
    Path spec = Files.writeString(dir.resolve("xor.json"), XOR_SPEC);
    Path csv = Files.writeString(dir.resolve("data.csv"), "a,b,label\n1,2,x\n3,abc,y\n");
    assertOneLineBadInput(run("train", "--dataset", "csv:" + csv, "--spec", spec.toString()), "data.csv:3:");
  }

  @Test
  void missingFilesAreBadInput() throws Exception {
    assertOneLineBadInput(run("train", "--dataset", "xor", "--spec", dir.resolve("none.json").toString()), "none.json");
    Path spec = Files.writeString(dir.resolve("xor.json"), XOR_SPEC);
    assertOneLineBadInput(run("train", "--dataset", "csv:" + dir.resolve("missing.csv"), "--spec", spec.toString()),
        "missing.csv");
  }

  @Test
  void specShapeMustMatchTheData() throws Exception {
    Path spec = Files.writeString(dir.resolve("xor.json"), XOR_SPEC.replace("\"inputs\": 2", "\"inputs\": 5"));
    assertOneLineBadInput(run("train", "--dataset", "xor", "--spec", spec.toString()), "/inputs");
  }

  @Test
  void datasetsListsTheBuiltIns() {
    Outcome outcome = run("datasets");
    assertEquals(0, outcome.code());
    assertTrue(outcome.out().contains("digits") && outcome.out().contains("1797 x 64"), outcome.out());
  }
}
