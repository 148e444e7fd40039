package dev.strata.experiments.objective;

import dev.strata.experiments.run.TrialContext;
import dev.strata.experiments.run.TrialEvaluator;
import dev.strata.experiments.run.TrialResult;
import dev.strata.search.objective.Objective;
import dev.strata.search.trial.Configuration;
import dev.strata.search.trial.TrialStatus;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Evaluates a search-core {@link Objective} (a test function or a table): the value becomes the
 * objective metric, and {@code regret} (distance to the known optimum) is added when the optimum
 * is known. A configuration outside the function's space is REJECTED; a non-finite value DIVERGED.
 * Immutable and thread-safe (objectives are).
 */
public final class FunctionEvaluator implements TrialEvaluator {

  private final Objective objective;
  private final String metric;

  public FunctionEvaluator(Objective objective, String metric) {
    this.objective = Objects.requireNonNull(objective, "objective");
    this.metric = Objects.requireNonNull(metric, "metric");
  }

  @Override
  public TrialResult evaluate(Configuration configuration, TrialContext context) {
    long start = System.nanoTime();
    double value;
    try {
      value = objective.evaluate(configuration);
    } catch (IllegalArgumentException e) {
      return TrialResult.failed(TrialStatus.REJECTED, objective.name() + ": " + e.getMessage());
    } catch (RuntimeException e) {
      return TrialResult.failed(TrialStatus.FAILED, objective.name() + " failed: " + e);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    if (!Double.isFinite(value)) {
      return new TrialResult(TrialStatus.DIVERGED, Map.of(), 0, 0, seconds, null, objective.name() + " returned " + value);
    }
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put(metric, value);
    objective.optimum().ifPresent(o -> metrics.put("regret", Math.abs(value - o)));
    context.reportEpoch(1, Double.NaN, Double.NaN, value, seconds);
    return new TrialResult(TrialStatus.COMPLETED, metrics, 0, 0, seconds, null, "");
  }
}
