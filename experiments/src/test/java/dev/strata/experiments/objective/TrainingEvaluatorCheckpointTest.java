package dev.strata.experiments.objective;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.experiments.run.TrialEvaluator;
import dev.strata.experiments.run.TrialResult;
import dev.strata.experiments.spec.ExperimentReader;
import dev.strata.experiments.spec.ExperimentSpec;
import dev.strata.search.trial.Configuration;
import dev.strata.search.trial.TrialStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A promoted trial continues from its rung's checkpoint and ends as a trial trained straight there. */
class TrainingEvaluatorCheckpointTest {

  @TempDir Path tmp;

  static final String EXPERIMENT = """
      { "name": "ckpt", "dataset": "digits",
        "objective": { "metric": "val_accuracy" },
        "space": {
          "blocks": { "repeat": { "min": 1, "max": 1 }, "of": {
            "type": "plain", "width": { "choice": [16, 24] }, "layers": 1,
            "activation": { "choice": ["relu", "tanh"] }, "dropout": 0.1 } },
          "optimizer": "adam", "learningRate": { "float": [0.003, 0.03], "log": true },
          "batchSize": 64, "schedule": "cosine", "epochs": 9 },
        "search": { "strategies": ["random"], "budget": { "trials": 9, "maxEpochs": 9 },
          "scheduler": { "type": "asha", "minResource": 1, "eta": 3 }, "parallel": 2, "seeds": [1] } }
      """;

  static ExperimentSpec experiment(Path dir) {
    return ExperimentReader.parse(EXPERIMENT, "test.json", dir);
  }

  @Test
  void promotionFromACheckpointEqualsAStraightRun() throws IOException {
    ExperimentSpec spec = experiment(tmp);
    TrialEvaluator evaluator = Evaluators.create(spec);
    Configuration config = spec.space().sample(new java.util.SplittableRandom(1));

    FakeContext straight = new FakeContext(7, 9, 0, tmp.resolve("straight.ckpt"), null);
    TrialResult whole = evaluator.evaluate(config, straight);

    FakeContext rung = new FakeContext(7, 3, 0, tmp.resolve("r3.ckpt"), null);
    TrialResult low = evaluator.evaluate(config, rung);
    assertEquals(TrialStatus.COMPLETED, low.status(), low.reason());
    assertEquals(3.0, low.metrics().get("epochs"));
    FakeContext promoted = new FakeContext(7, 9, 0, tmp.resolve("r9.ckpt"), tmp.resolve("r3.ckpt"));
    TrialResult high = evaluator.evaluate(config, promoted);

    assertEquals(List.of(4, 5, 6, 7, 8, 9), promoted.epochs.stream().map(FakeContext.Epoch::epoch).toList(),
        "only the extra epochs are trained");
    assertEquals(List.of(), promoted.notes);
    assertEquals(withoutTime(whole.metrics()), withoutTime(high.metrics()), "bit-identical metrics");
    assertEquals(whole.networkSpecJson(), high.networkSpecJson());
  }

  @Test
  void aDamagedCheckpointFallsBackToRetrainingWithANote() throws IOException {
    ExperimentSpec spec = experiment(tmp);
    TrialEvaluator evaluator = Evaluators.create(spec);
    Configuration config = spec.space().sample(new java.util.SplittableRandom(2));
    evaluator.evaluate(config, new FakeContext(7, 3, 0, tmp.resolve("r3.ckpt"), null));
    byte[] bytes = Files.readAllBytes(tmp.resolve("r3.ckpt"));
    Files.write(tmp.resolve("r3.ckpt"), java.util.Arrays.copyOf(bytes, bytes.length / 2));

    FakeContext promoted = new FakeContext(7, 9, 0, tmp.resolve("r9.ckpt"), tmp.resolve("r3.ckpt"));
    TrialResult high = evaluator.evaluate(config, promoted);
    TrialResult whole = evaluator.evaluate(config, new FakeContext(7, 9, 0, tmp.resolve("w.ckpt"), null));

    assertEquals(9, promoted.epochs.size(), "retrained from scratch");
    assertEquals(1, promoted.notes.size());
    assertTrue(promoted.notes.getFirst().contains("truncated") && promoted.notes.getFirst().contains("from scratch"),
        promoted.notes.getFirst());
    assertEquals(withoutTime(whole.metrics()), withoutTime(high.metrics()));
  }

  private static Map<String, Double> withoutTime(Map<String, Double> metrics) {
    return new java.util.TreeMap<>(metrics);
  }
}
