package dev.strata.experiments.report;

import dev.strata.common.Quantiles;
import dev.strata.search.trial.StudyRecord;
import dev.strata.search.trial.TrialRecord;
import java.util.Optional;

/**
 * The held-out test metric beside the validation objective: for an objective {@code val_X} it is
 * {@code test_X}, read from each study's best trial (best by the objective, never by the test
 * value, so the test part stays an honest estimate). Stateless.
 */
public final class TestMetric {

  private TestMetric() {}

  /** {@code test_X} for {@code val_X}; empty for other objectives. */
  public static Optional<String> of(String metric) {
    return metric.startsWith("val_") ? Optional.of("test_" + metric.substring(4)) : Optional.empty();
  }

  /** The test metric of the study's best trial, NaN when there is none. */
  public static double ofStudy(RunData run, long studyId) {
    Optional<String> name = of(run.experiment().metric());
    Optional<TrialRecord> best = run.best(studyId);
    if (name.isEmpty() || best.isEmpty()) {
      return Double.NaN;
    }
    return best.get().metrics().getOrDefault(name.get(), Double.NaN);
  }

  /** The median over a strategy's studies (seeds) of {@link #ofStudy}, NaN when none has one. */
  public static double medianOf(RunData run, String strategy) {
    double[] values = run.studies().stream().filter(s -> s.strategy().equals(strategy)).mapToLong(StudyRecord::id)
        .mapToDouble(id -> ofStudy(run, id)).filter(v -> !Double.isNaN(v)).sorted().toArray();
    return Quantiles.type7(values, 0.5);
  }
}
