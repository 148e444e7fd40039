package dev.strata.search.trial;

/** The life cycle of a trial. One enum, shared by strategies, the store and the dashboard. */
public enum TrialStatus {
  /** Proposed, not yet started. */
  PENDING,
  /** Training or evaluating now. */
  RUNNING,
  /** Finished with metrics. */
  COMPLETED,
  /** Crashed, timed out, or the objective raised an error. */
  FAILED,
  /** NaN, Inf or an exploding loss. */
  DIVERGED,
  /** Refused before running: invalid combination, or too large for memory. */
  REJECTED,
  /**
   * Refused before training by pre-screening: the analysis at initialisation (mean-field theory)
   * predicts that it cannot learn; its reason says why.
   */
  UNTRAINABLE,
  /** Stopped early by a multi-fidelity rule; its last intermediate value is known. */
  PRUNED,
  /** Cut short by Ctrl-C or a crash; it will be run again on resume. */
  INTERRUPTED;

  /** Whether the trial has reached a final state that a strategy learns from. */
  public boolean isFinished() {
    return this != PENDING && this != RUNNING && this != INTERRUPTED;
  }
}
