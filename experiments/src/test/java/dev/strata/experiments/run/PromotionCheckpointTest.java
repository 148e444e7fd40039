package dev.strata.experiments.run;

import dev.strata.runs.RunState;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.experiments.objective.Evaluators;
import dev.strata.experiments.run.Plans;
import dev.strata.experiments.spec.ExperimentReader;
import dev.strata.experiments.spec.ExperimentSpec;
import dev.strata.experiments.store.RunStore;
import dev.strata.runs.RunReader;
import dev.strata.search.trial.EpochRecord;
import dev.strata.search.trial.TrialRecord;
import dev.strata.search.trial.TrialStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With ASHA and real training, a promoted trial trains only the epochs above its last rung. */
class PromotionCheckpointTest {

  @TempDir Path tmp;

  static final String EXPERIMENT = """
      { "name": "asha-ckpt", "seed": 4, "dataset": "digits",
        "objective": { "metric": "val_accuracy" },
        "space": {
          "blocks": { "repeat": { "min": 1, "max": 1 }, "of": {
            "type": "plain", "width": { "choice": [8, 16] }, "layers": 1,
            "activation": { "choice": ["relu", "tanh"] } } },
          "optimizer": "adam", "learningRate": { "float": [0.001, 0.03], "log": true }, "batchSize": 128 },
        "search": { "strategies": ["random"], "budget": { "trials": 9, "maxEpochs": 9 },
          "scheduler": { "type": "asha", "minResource": 1, "eta": 3 }, "parallel": 2, "seeds": [1] } }
      """;

  @Test
  void promotionsTrainOnlyTheExtraEpochsAndCheckpointsAreCleanedUp() throws Exception {
    ExperimentSpec spec = ExperimentReader.parse(EXPERIMENT, "asha.json", tmp);
    TrialEvaluator real = Evaluators.create(spec);
    Map<Long, AtomicInteger> trained = new ConcurrentHashMap<>();
    List<String> notes = new CopyOnWriteArrayList<>();
    TrialEvaluator counting = (configuration, context) -> real.evaluate(configuration, new TrialContext() {
      public long seed() { return context.seed(); }
      public long trialId() { return context.trialId(); }
      public int resource() { return context.resource(); }
      public double maxSeconds() { return context.maxSeconds(); }
      public Optional<Path> resumeFrom() { return context.resumeFrom(); }
      public Path checkpointPath() { return context.checkpointPath(); }
      public boolean shouldStop() { return context.shouldStop(); }
      public void note(String message) {
        notes.add(message);
        context.note(message);
      }
      public boolean reportEpoch(int epoch, double trainLoss, double valLoss, double valMetric, double seconds) {
        trained.computeIfAbsent(context.trialId(), id -> new AtomicInteger()).incrementAndGet();
        return context.reportEpoch(epoch, trainLoss, valLoss, valMetric, seconds);
      }
    });
    Path dir = tmp.resolve("run");
    try (RunStore store = RunStore.create(dir, spec.name(), spec.objective().metric(),
        spec.objective().direction(), spec.json())) {
      RunSummary summary = Runner.builder(Plans.of(spec), counting, store).build().run();
      assertEquals(RunState.FINISHED, summary.state());
      int promoted = 0;
      try (RunReader reader = store.reader()) {
        for (TrialRecord t : reader.trials(dev.strata.runs.TrialQuery.firstPage()).items()) {
          List<Integer> epochs = reader.curve(t.id()).stream().map(EpochRecord::epoch).toList();
          int reached = epochs.isEmpty() ? 0 : epochs.getLast();
          assertEquals(java.util.stream.IntStream.rangeClosed(1, reached).boxed().toList(), epochs,
              "trial " + t.id() + ": one curve point per epoch");
          assertEquals(reached, trained.get(t.id()).get(), "trial " + t.id() + " trained each epoch once");
          if (reached > 1) {
            promoted++;
          }
        }
      }
      assertTrue(promoted >= 2, "some trials were promoted: " + promoted);
      assertTrue(summary.count(TrialStatus.COMPLETED) >= 1, "some reach the top rung");
    }
    assertEquals(List.of(), notes, "every promotion found its checkpoint");
    try (Stream<Path> files = Files.list(dir.resolve("checkpoints"))) {
      for (Path f : files.toList()) {
        byte[] head = java.util.Arrays.copyOf(Files.readAllBytes(f), 8);
        assertEquals("STRATANN", new String(head, java.nio.charset.StandardCharsets.US_ASCII),
            "only final models of completed trials are left, not " + f.getFileName());
      }
    }
  }
}
