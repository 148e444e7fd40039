package dev.strata.search.fidelity;

/** What a {@link Scheduler} answers to an intermediate result. */
public enum Decision {
  /** Keep training towards the job's resource. */
  CONTINUE,
  /**
   * Stop now; the runner then calls {@link Scheduler#complete} with a {@link
   * dev.strata.search.trial.TrialStatus#PRUNED PRUNED} outcome (its value may be NaN: the scheduler
   * fills in the last reported value).
   */
  STOP
}
