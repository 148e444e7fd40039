package dev.strata.search.study;

import dev.strata.search.fidelity.Job;
import dev.strata.search.trial.Configuration;

/**
 * One job a {@link Study} handed out: its scheduler's {@link Job} for one trial, from hand-out until
 * {@link Study#tell}. Immutable; the study keeps the trial's progress.
 *
 * @param seq the hand-out number within the study (results are completed in this order when the
 *     study is ordered)
 * @param trialId the trial's id in the store
 * @param seed the trial's seed
 */
public record StudyJob(long seq, Job job, long trialId, long seed) {

  public int trialIndex() {
    return job.trialIndex();
  }

  public Configuration configuration() {
    return job.configuration();
  }

  /** The resource to train to. */
  public double resource() {
    return job.resource();
  }

  /** The resource a promotion continues from (its checkpoint's); 0 for a job from scratch. */
  public double fromResource() {
    return job instanceof Job.Promote p ? p.fromResource() : 0;
  }
}
