package dev.strata.experiments.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.experiments.objective.Evaluators;
import dev.strata.experiments.run.TrialContext;
import dev.strata.experiments.run.TrialResult;
import dev.strata.experiments.spec.ExperimentException;
import dev.strata.experiments.spec.ExperimentReader;
import dev.strata.experiments.spec.ExperimentSpec;
import dev.strata.experiments.spec.ObjectiveSource;
import dev.strata.search.trial.Configuration;
import dev.strata.search.trial.TrialStatus;
import dev.strata.trainer.data.Dataset;
import dev.strata.trainer.data.Datasets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker reads the coordinator's experiment without looking for its dataset file, and trains on
 * the shipped copy exactly as the coordinator would on the file.
 */
class ShippedDatasetTest {

  @Test
  void aWorkerTrainsOnTheShippedCopyOfACsvItCannotSeeWithTheSameMetrics(@TempDir Path tmp) throws Exception {
    Path csv = tmp.resolve("points.csv");
    StringBuilder rows = new StringBuilder("a,b,label\n");
    Random r = new Random(5);
    for (int i = 0; i < 200; i++) {
      rows.append(r.nextGaussian() + (i % 2)).append(',').append(r.nextGaussian()).append(',').append(i % 2 == 0 ? "x" : "y")
          .append('\n');
    }
    Files.writeString(csv, rows);
    Path file = tmp.resolve("e.json");
    Files.writeString(file, """
        {"dataset": {"source": "csv:points.csv", "label": "label"},
         "space": {"width": {"choice": [4, 8]}, "depth": {"int": [1, 2]}, "epochs": 3},
         "search": {"strategies": ["random"], "budget": {"trials": 2}}}
        """);
    ExperimentSpec spec = ExperimentReader.read(file);
    var data = ((ObjectiveSource.Training) spec.objective().source()).data();
    Dataset raw = Datasets.load(data.source(), data.options());
    Configuration configuration = spec.space().sample(new Random(3));
    TrialResult local = Evaluators.create(spec).evaluate(configuration, new Context(spec, tmp.resolve("local.ckpt")));
    assertEquals(TrialStatus.COMPLETED, local.status(), local.reason());

    Files.delete(csv);
    String shipped = spec.json();
    var missing = assertThrows(ExperimentException.class, () -> ExperimentReader.parse(shipped, "x", tmp));
    assertTrue(missing.getMessage().contains("points.csv"), missing.getMessage());
    var remote = new SpecEvaluatorFactory(List.of(), ClusterSetup::workerEvaluator)
        .create(shipped, d -> {
          assertEquals(data.source(), d.source());
          return raw;
        })
        .evaluate(configuration, new Context(spec, tmp.resolve("remote.ckpt")));
    assertEquals(local.status(), remote.status(), remote.reason());
    assertEquals(local.metrics(), remote.metrics(), "bit-identical metrics on the shipped copy");
  }

  @Test
  void onlyDatasetFilesAreExcusedFromTheCheck(@TempDir Path tmp) {
    String table = """
        {"objective": {"table": "%s", "metric": "acc"},
         "search": {"strategies": ["random"], "budget": {"trials": 2}}}
        """.formatted(tmp.resolve("missing.csv"));
    assertThrows(ExperimentException.class, () -> ExperimentReader.parseShipped(table, "x"));
  }

  /** A trial context with no stops and no epoch bookkeeping. */
  private record Context(ExperimentSpec spec, Path checkpoint) implements TrialContext {
    @Override
    public long seed() {
      return 42;
    }

    @Override
    public long trialId() {
      return 1;
    }

    @Override
    public int resource() {
      return spec.search().budget().maxEpochs();
    }

    @Override
    public double maxSeconds() {
      return 0;
    }

    @Override
    public Optional<Path> resumeFrom() {
      return Optional.empty();
    }

    @Override
    public Path checkpointPath() {
      return checkpoint;
    }

    @Override
    public boolean reportEpoch(int epoch, double trainLoss, double valLoss, double valMetric, double seconds) {
      return true;
    }

    @Override
    public boolean shouldStop() {
      return false;
    }
  }
}
