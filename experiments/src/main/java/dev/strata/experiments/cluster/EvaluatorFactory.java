package dev.strata.experiments.cluster;

import dev.strata.experiments.run.TrialEvaluator;
import dev.strata.experiments.spec.DataSpec;
import dev.strata.trainer.data.Dataset;

/**
 * Builds a worker's evaluator from the experiment the coordinator sends: the worker runs exactly
 * the objective the experiment names (a network on its dataset, a test function, a table, or an
 * allowed external command) and nothing else: trial messages carry configurations, never code.
 * Implementations must be thread-safe; {@link #create} is called once per coordinator session.
 */
@FunctionalInterface
public interface EvaluatorFactory {

  /**
   * @param experimentJson the experiment as the coordinator stored it ({@code ExperimentSpec.json()})
   * @param datasets gives the experiment's dataset, shipped by the coordinator and cached by hash;
   *     files named in the experiment need not exist on the worker
   */
  TrialEvaluator create(String experimentJson, DatasetResolver datasets);

  /** The experiment's dataset on a worker. Thread-safe; fetches over the cluster at most once. */
  @FunctionalInterface
  interface DatasetResolver {

    /**
     * The raw dataset (before split and preprocessing) that the coordinator loaded for {@code spec}.
     *
     * @throws IllegalStateException when the coordinator shipped no dataset or the transfer failed
     */
    Dataset resolve(DataSpec spec);
  }
}
