package dev.strata.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.trainer.train.TrainedNetwork;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code strata export} prints a {@code strata train} command that reproduces the trial bit for bit:
 * a search on a CSV with a named label, a non-default split seed and fractions and preprocessing,
 * then the printed command is run and its weights compared with the exported model's. The same
 * command with the split seed train defaults to trains other weights, so the comparison can fail.
 */
class ExportReproduceTest {

  @TempDir Path dir;

  @Test
  void thePrintedTrainCommandReproducesTheExportedWeights() throws Exception {
    Random rnd = new Random(5);
    StringBuilder csv = new StringBuilder("a,b,kind,c\n");
    for (int i = 0; i < 90; i++) {
      int k = i % 3;
      csv.append(String.format("%.3f,%.3f,%s,%.3f%n", 10 + k + rnd.nextGaussian(), 50 * k + 20 * rnd.nextGaussian(),
          "k" + k, rnd.nextGaussian()));
    }
    Files.writeString(dir.resolve("data.csv"), csv);
    Path experiment = Files.writeString(dir.resolve("exp.json"), """
        {"name": "repro", "dataset": {"source": "csv:data.csv", "label": "kind",
           "split": {"validation": 0.25, "test": 0.15, "seed": 7}, "preprocess": ["minmax"]},
         "space": {"width": {"choice": [6, 10]}, "depth": 1, "epochs": 4, "optimizer": "adam"},
         "search": {"strategies": ["random"], "budget": {"trials": 2}, "parallel": 1}}
        """);
    Path runs = dir.resolve("runs");
    Cli.Result run = Cli.execute("run", experiment.toString(), "--runs-dir", runs.toString());
    assertEquals(0, run.code(), run.out() + run.err());
    Path out = dir.resolve("best");
    Cli.Result export = Cli.execute("export", runs.resolve("repro").toString(), "--best", "--out", out.toString());
    assertEquals(0, export.code(), export.err());
    assertTrue(Files.isRegularFile(out.resolve("model.strata")), "the model is model.strata");
    assertFalse(Files.exists(out.resolve("weights.ckpt")), "no file named like a training checkpoint");
    String command = export.out().lines().filter(l -> l.startsWith("reproduce: ")).findFirst().orElseThrow()
        .substring("reproduce: ".length());
    for (String option : List.of("--label kind", "--validation 0.25", "--test 0.15", "--split-seed 7",
        "--preprocess minmax", "--seed ")) {
      assertTrue(command.contains(option), option + " in " + command);
    }
    List<String> args = new ArrayList<>(Arrays.asList(command.split(" ")));
    assertEquals(List.of("strata", "train"), args.subList(0, 2));
    Cli.Result train = Cli.execute(args.subList(1, args.size()).toArray(String[]::new));
    assertEquals(0, train.code(), train.out() + train.err());

    TrainedNetwork exported = TrainedNetwork.load(out.resolve("model.strata"));
    TrainedNetwork reproduced = TrainedNetwork.load(out.resolve("reproduced.strata"));
    assertArrayEquals(exported.parameters(), reproduced.parameters(), "bit for bit");
    assertArrayEquals(exported.state(), reproduced.state());
    assertEquals(exported.provenance().datasetHash(), reproduced.provenance().datasetHash());
    assertEquals(exported.preprocessor().toJson(), reproduced.preprocessor().toJson());

    // what the old command left out matters: train's default split seed gives other weights
    List<String> otherSplit = new ArrayList<>(args.subList(1, args.size()));
    otherSplit.set(otherSplit.indexOf("--split-seed") + 1, "0");
    otherSplit.set(otherSplit.indexOf("--save") + 1, out.resolve("other.strata").toString());
    assertEquals(0, Cli.execute(otherSplit.toArray(String[]::new)).code());
    TrainedNetwork other = TrainedNetwork.load(out.resolve("other.strata"));
    assertFalse(Arrays.equals(exported.parameters(), other.parameters()), "another split trains other weights");
  }
}
