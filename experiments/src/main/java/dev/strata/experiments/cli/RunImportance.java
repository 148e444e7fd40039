package dev.strata.experiments.cli;

import dev.strata.experiments.spec.ExperimentReader;
import dev.strata.experiments.spec.ExperimentSpec;
import dev.strata.runs.BestSoFar;
import dev.strata.runs.ExperimentRecord;
import dev.strata.runs.ParameterImportance;
import dev.strata.search.importance.Fanova;
import dev.strata.search.importance.PedAnova;
import dev.strata.search.trial.Configuration;
import dev.strata.search.trial.TrialRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The parameter importance of one run, for {@code strata importance} and the dashboard's panel:
 * the run's search space and seed read from its stored experiment, then search-core's {@link
 * PedAnova} or {@link Fanova} (seeded with the experiment's seed) over the trials that can set a
 * best-so-far ({@link BestSoFar#counts}: COMPLETED, finite value, feasible), their losses in the
 * objective's direction. The experiment is parsed on first use. Thread-safe.
 */
public final class RunImportance implements ParameterImportance {

  private final Path runDir;
  private final java.util.function.Supplier<ExperimentRecord> experiment;
  private volatile ExperimentSpec spec;

  /**
   * @param runDir the run directory (the stored experiment's relative paths are resolved there)
   * @param experiment the stored experiment, read when first needed
   */
  public RunImportance(Path runDir, java.util.function.Supplier<ExperimentRecord> experiment) {
    this.runDir = runDir;
    this.experiment = experiment;
  }

  @Override
  public Result of(List<TrialRecord> trials, Method method, double quantile) {
    ExperimentRecord e = experiment.get();
    ExperimentSpec s = spec(e);
    List<Configuration> configurations = new ArrayList<>();
    List<Double> losses = new ArrayList<>();
    for (TrialRecord t : trials) {
      if (BestSoFar.counts(t)) {
        configurations.add(t.configuration());
        losses.add(e.direction().toLoss(t.value()));
      }
    }
    if (configurations.size() < 2) {
      throw new IllegalArgumentException("importance needs at least 2 COMPLETED feasible trials, the run has "
          + configurations.size());
    }
    double[] l = losses.stream().mapToDouble(Double::doubleValue).toArray();
    Map<String, Double> importance = method == Method.FANOVA
        ? Fanova.importances(s.space(), configurations, l, s.seed())
        : PedAnova.importances(s.space(), configurations, l, quantile);
    return new Result(method, configurations.size(), importance);
  }

  private ExperimentSpec spec(ExperimentRecord e) {
    ExperimentSpec s = spec;
    if (s == null) {
      s = ExperimentReader.parse(e.specJson(), runDir.resolve("experiment.json").toString(), runDir.toAbsolutePath());
      spec = s;
    }
    return s;
  }
}
