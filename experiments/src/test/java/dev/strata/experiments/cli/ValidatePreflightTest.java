package dev.strata.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code validate} finds what {@code run} would: it opens the data and maps sampled configurations,
 * and each mistake is one located line; {@code run} makes the same checks before it creates
 * anything.
 */
class ValidatePreflightTest {

  @TempDir Path dir;

  private Path experiment(String dataset, String space) throws Exception {
    Files.writeString(dir.resolve("data.csv"), "a,b,label\n1,2,x\n3,4,y\n5,6,x\n7,8,y\n1,3,x\n2,4,y\n5,5,x\n6,6,y\n"
        + "1,1,x\n2,2,y\n");
    return Files.writeString(dir.resolve("exp.json"), """
        {"name": "pre",
         "dataset": %s,
         "space": %s,
         "search": {"strategies": ["random"], "budget": {"trials": 2}}}
        """.formatted(dataset, space));
  }

  private static final String DATA = "{\"source\": \"csv:data.csv\", \"label\": \"label\"}";

  private static String oneLine(Cli.Result r) {
    assertEquals(2, r.code(), r.out() + r.err());
    List<String> lines = r.err().lines().filter(l -> !l.isBlank()).toList();
    assertEquals(1, lines.size(), r.err());
    assertFalse(r.err().contains("\tat "));
    return lines.getFirst();
  }

  @Test
  void aMisspeltBlockTypeIsLocatedAtItsChoice() throws Exception {
    Path file = experiment(DATA, """
        {"blocks": {"repeat": {"min": 1, "max": 3}, "of": {
            "type": {"choice": ["plain", "reisdual"]},
            "width": {"choice": [4, 8]}}},
         "epochs": 2}""");
    String line = oneLine(Cli.execute("validate", file.toString()));
    assertTrue(line.startsWith(file + ":4:34 /space/blocks/of/type/choice/1: the network mapper rejects "), line);
    assertTrue(line.contains("unknown block type 'reisdual' (did you mean 'residual'?)"), line);
  }

  @Test
  void l2WithWeightDecayIsLocated() throws Exception {
    Path file = experiment(DATA, "{\"width\": 4, \"depth\": 1, \"l2\": 0.01, \"weightDecay\": 0.01}");
    String line = oneLine(Cli.execute("validate", file.toString()));
    assertTrue(line.contains(" /space/weightDecay: the network mapper rejects 256 of 256 sampled configurations:"
        + " 'l2' and 'weightDecay' are the same thing; keep one"), line);
  }

  @Test
  void aParameterTheMapperWouldIgnoreIsAnError() throws Exception {
    Path file = experiment(DATA, """
        {"blocks": {"repeat": {"min": 1, "max": 2}, "of": {
            "type": "inception", "width": 4,
            "branches": {"repeat": {"min": 2, "max": 2}, "of": {"width": {"choice": [2, 4]}, "kernel": {"choice": [1, 3]}}}}},
         "epochs": 2}""");
    String line = oneLine(Cli.execute("validate", file.toString()));
    assertTrue(line.contains(" /space/blocks/of/branches/of/kernel: "), line);
    assertTrue(line.contains("'kernel' is not a parameter of an inception branch"), line);
  }

  @Test
  void augmentationOnFlatFeaturesIsLocatedAtItsEntry() throws Exception {
    Path file = experiment(DATA, "{\"width\": 4, \"depth\": 1,\n \"augment\": {\"choice\": [true, false]}}");
    String line = oneLine(Cli.execute("validate", file.toString()));
    assertTrue(line.startsWith(file + ":4:13 /space/augment: the network mapper rejects "), line);
    assertTrue(line.contains("augmentation (random crops and flips) needs image data"), line);
  }

  @Test
  void aWrongLabelColumnIsFoundByValidate() throws Exception {
    Path file = experiment("{\"source\": \"csv:data.csv\", \"label\": \"lable\"}", "{\"width\": 4, \"depth\": 1}");
    String line = oneLine(Cli.execute("validate", file.toString()));
    assertTrue(line.contains("data.csv:1: no column 'lable' in the header (did you mean 'label'?)"), line);
  }

  @Test
  void aOneClassFileIsRefusedBeforeARunDirectoryExists() throws Exception {
    Path file = experiment(DATA, "{\"width\": 4, \"depth\": 1}");
    Files.writeString(dir.resolve("data.csv"), "a,b,label\n1,2,x\n3,4,x\n5,6,x\n7,8,x\n1,1,x\n");
    assertTrue(oneLine(Cli.execute("validate", file.toString())).contains("has only one class 'x' in 5 rows"));
    Path runs = dir.resolve("runs");
    String line = oneLine(Cli.execute("run", file.toString(), "--runs-dir", runs.toString()));
    assertTrue(line.contains("has only one class"), line);
    assertFalse(Files.exists(runs.resolve("pre")), "nothing created");
  }

  @Test
  void moreFoldsThanRowsIsLocatedAtTheFolds() throws Exception {
    Path file = experiment("{\"source\": \"csv:data.csv\", \"label\": \"label\",\n  \"split\": {\"test\": 0.2, \"folds\": 20}}",
        "{\"width\": 4, \"depth\": 1}");
    String line = oneLine(Cli.execute("validate", file.toString()));
    assertTrue(line.startsWith(file + ":3:35 /dataset/split/folds: csv:"), line);
    assertTrue(line.contains("8 rows outside the test part, too few for 20 folds"), line);
  }

  @Test
  void aTypoStopsRunBeforeAnythingIsCreated() throws Exception {
    Path file = experiment(DATA, "{\"widht\": {\"choice\": [4, 8]}, \"depth\": 1}");
    Path runs = dir.resolve("runs");
    String line = oneLine(Cli.execute("run", file.toString(), "--runs-dir", runs.toString()));
    assertTrue(line.contains("/space/widht: the network mapper rejects 256 of 256 sampled configurations:"
        + " unknown parameter 'widht' (did you mean 'width'?)"), line);
    assertFalse(Files.exists(runs.resolve("pre")), "nothing created");
  }

  @Test
  void aGoodExperimentSaysWhatItChecked() throws Exception {
    Path file = experiment(DATA, "{\"width\": {\"choice\": [4, 8]}, \"depth\": 1}");
    Cli.Result r = Cli.execute("validate", file.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("data: csv:"), r.out());
    assertTrue(r.out().contains("2 features -> 2 classes; 6 training, 2 validation, 2 test rows; 256 sampled"
        + " configurations map to networks"), r.out());
  }
}
