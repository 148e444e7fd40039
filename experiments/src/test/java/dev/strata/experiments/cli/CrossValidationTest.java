package dev.strata.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.trainer.train.TrainedNetwork;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * k-fold cross-validation as an experiment option: a trial's value is the mean of its folds'
 * validation values (checked against {@code strata train --folds K --fold I} for every fold), the
 * spread is stored as {@code val_accuracy_sd}, and the exported model (fold 0) is reproduced bit for
 * bit by the printed command.
 */
class CrossValidationTest {

  @TempDir Path dir;

  @Test
  void theTrialValueIsTheMeanOverFoldsAndFoldZeroReproduces() throws Exception {
    Path file = Files.writeString(dir.resolve("cv.json"), """
        {"name": "cv", "dataset": {"source": "blobs", "samples": 90, "noise": 4.0,
           "split": {"test": 0.2, "folds": 3, "seed": 4}, "preprocess": ["standardize"]},
         "space": {"width": {"choice": [4, 8]}, "depth": 1, "epochs": 3},
         "search": {"strategies": ["random"], "budget": {"trials": 2}, "parallel": 1}}
        """);
    Cli.Result validate = Cli.execute("validate", file.toString());
    assertTrue(validate.out().contains("; 3 folds, each 48 training, 24 validation, 18 test rows;"), validate.out());
    Path runs = dir.resolve("runs");
    Cli.Result run = Cli.execute("run", file.toString(), "--runs-dir", runs.toString());
    assertEquals(0, run.code(), run.out() + run.err());
    assertTrue(run.out().contains("(sd over 3 folds)"), run.out());
    Cli.Result status = Cli.execute("status", runs.resolve("cv").toString(), "--json");
    JsonNode study = new ObjectMapper().readTree(status.out()).at("/studies/0");
    assertTrue(study.get("best_sd").isNumber(), status.out());
    String text = Cli.execute("status", runs.resolve("cv").toString()).out();
    assertTrue(text.contains(" " + dev.strata.experiments.report.Comparison.num(study.get("best_value").asDouble())
        + " ± " + dev.strata.experiments.report.Comparison.num(study.get("best_sd").asDouble()) + " "), text);
    Path out = dir.resolve("best");
    Cli.Result export = Cli.execute("export", runs.resolve("cv").toString(), "--best", "--out", out.toString());
    assertEquals(0, export.code(), export.err());
    JsonNode provenance = new ObjectMapper().readTree(Files.readString(out.resolve("provenance.json")));
    assertEquals(3, provenance.at("/metrics/folds").asInt());
    assertTrue(provenance.at("/metrics/val_accuracy_sd").isNumber(), provenance.toString());
    String command = export.out().lines().filter(l -> l.startsWith("reproduce: ")).findFirst().orElseThrow()
        .substring("reproduce: ".length());
    assertTrue(command.contains("--folds 3 --fold 0 --test 0.2 --split-seed 4"), command);
    List<String> args = new ArrayList<>(Arrays.asList(command.split(" ")).subList(1, command.split(" ").length));

    double sum = 0;
    for (int fold = 0; fold < 3; fold++) {
      List<String> a = new ArrayList<>(args);
      a.set(a.indexOf("--fold") + 1, Integer.toString(fold));
      a.set(a.indexOf("--save") + 1, out.resolve("fold" + fold + ".strata").toString());
      Cli.Result train = Cli.execute(a.toArray(String[]::new));
      assertEquals(0, train.code(), train.out() + train.err());
      JsonNode last = new ObjectMapper().readTree(train.out().lines().reduce((x, y) -> y).orElseThrow());
      sum += last.get("val_accuracy").asDouble();
    }
    assertEquals(sum / 3, provenance.get("value").asDouble(), 1e-12, "the trial's value is the mean over its folds");
    TrainedNetwork exported = TrainedNetwork.load(out.resolve("model.strata"));
    TrainedNetwork fold0 = TrainedNetwork.load(out.resolve("fold0.strata"));
    assertArrayEquals(exported.parameters(), fold0.parameters(), "fold 0 reproduced bit for bit");
    assertEquals(3, fold0.recipe().orElseThrow().folds());
  }

  @Test
  void foldsWithValidationIsOneLocatedLine() throws Exception {
    Path file = Files.writeString(dir.resolve("bad.json"), """
        {"name": "bad", "dataset": {"source": "blobs", "split": {"validation": 0.2, "folds": 3}},
         "space": {"width": 4, "depth": 1, "epochs": 1},
         "search": {"strategies": ["random"], "budget": {"trials": 1}}}
        """);
    Cli.Result r = Cli.execute("validate", file.toString());
    assertEquals(2, r.code());
    assertTrue(r.err().strip().startsWith(file + ":1:"), r.err());
    assertTrue(r.err().contains("/dataset/split/validation: with \"folds\" every fold validates in turn"), r.err());
  }
}
