package dev.strata.experiments.cluster;

import dev.strata.experiments.run.Fixtures;
import dev.strata.experiments.run.TrialEvaluator;
import dev.strata.experiments.run.TrialResult;
import dev.strata.trainer.data.Dataset;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;

/**
 * The test workers' evaluator factory: the "experiment" is {@code {"epochs": E, "maxSleepMs": S,
 * "dataset": true}} and the evaluator is {@link Fixtures#branin(int, int)}, plus a {@code
 * dataset_rows} metric read from the shipped dataset when {@code dataset} is true. Used by worker
 * processes through {@code --evaluator-factory}.
 */
public final class SyntheticFactory implements EvaluatorFactory {

  public SyntheticFactory() {}

  @Override
  public TrialEvaluator create(String experimentJson, DatasetResolver datasets) {
    JsonObject o = new JsonObject(experimentJson);
    return evaluator(o, () -> datasets.resolve(null));
  }

  /** Branin after exactly {@code sleepMs} of sleep, reporting {@code epochs} epochs: for the benchmark. */
  static TrialEvaluator fixed(int epochs, int sleepMs) {
    return (configuration, context) -> {
      double v = Fixtures.branin(configuration);
      for (int e = 1; e <= epochs; e++) {
        try {
          Thread.sleep(sleepMs / epochs);
        } catch (InterruptedException ex) {
          Thread.currentThread().interrupt();
        }
        if (!context.reportEpoch(e, v, v, v, 0)) {
          return TrialResult.failed(dev.strata.search.trial.TrialStatus.INTERRUPTED, "stopped");
        }
      }
      return TrialResult.completed(Map.of("loss", v), sleepMs / 1000.0);
    };
  }

  /** The same evaluator on the coordinator, given its dataset directly. */
  static TrialEvaluator evaluator(JsonObject experiment, java.util.function.Supplier<Dataset> dataset) {
    int epochs = experiment.getInteger("epochs", 3);
    TrialEvaluator branin = experiment.containsKey("fixedSleepMs")
        ? fixed(epochs, experiment.getInteger("fixedSleepMs"))
        : Fixtures.branin(epochs, experiment.getInteger("maxSleepMs", 0));
    boolean withData = experiment.getBoolean("dataset", false);
    return (configuration, context) -> {
      TrialResult r = branin.evaluate(configuration, context);
      if (!withData || !r.status().isFinished()) {
        return r;
      }
      Map<String, Double> metrics = new HashMap<>(r.metrics());
      metrics.put("dataset_rows", (double) dataset.get().rows());
      return new TrialResult(r.status(), metrics, r.parameters(), r.flops(), r.trainSeconds(), r.networkSpecJson(),
          r.reason());
    };
  }
}
