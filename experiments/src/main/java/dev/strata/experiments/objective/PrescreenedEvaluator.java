package dev.strata.experiments.objective;

import dev.strata.experiments.run.TrialContext;
import dev.strata.experiments.run.TrialEvaluator;
import dev.strata.experiments.run.TrialResult;
import dev.strata.search.prescreen.Screening;
import dev.strata.search.trial.Configuration;
import dev.strata.search.trial.TrialStatus;
import java.util.Objects;

/**
 * The evaluator of a pre-screened search: a trial whose network the mean-field analysis finds
 * untrainable ends UNTRAINABLE with the verdict's reason, without training; every other trial
 * trains as without screening. Pre-screening proposes such a trial only when its whole sample was
 * untrainable ({@code dev.strata.search.prescreen.PrescreenStrategy}), so this check is the
 * verdict alone ({@link ProxyScorer#verdict}: mean-field theory, no pass over the network). Thread-safe, as the evaluator it wraps.
 */
public final class PrescreenedEvaluator implements TrialEvaluator {

  private final TrainingEvaluator training;
  private final ProxyScorer scorer;

  public PrescreenedEvaluator(TrainingEvaluator training, ProxyScorer scorer) {
    this.training = Objects.requireNonNull(training, "training");
    this.scorer = Objects.requireNonNull(scorer, "scorer");
  }

  public TrainingEvaluator training() {
    return training;
  }

  public ProxyScorer scorer() {
    return scorer;
  }

  @Override
  public TrialResult evaluate(Configuration configuration, TrialContext context) {
    Screening s = scorer.verdict(configuration, context.seed());
    if (!s.trainable()) {
      return TrialResult.failed(TrialStatus.UNTRAINABLE, s.reason());
    }
    return training.evaluate(configuration, context);
  }
}
