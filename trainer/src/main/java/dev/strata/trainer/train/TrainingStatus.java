package dev.strata.trainer.train;

/** How a training run ended. */
public enum TrainingStatus {
  /** Ran all epochs. */
  COMPLETED,
  /** Stopped by early stopping (validation loss stopped improving); the best weights are restored. */
  EARLY_STOPPED,
  /**
   * Reached the epoch the caller asked to pause at, before the spec's last epoch; metrics are
   * evaluated as if the run had ended there, and the result's checkpoint continues it ({@link
   * Trainer#resume}).
   */
  PAUSED,
  /** An {@link EpochListener} asked to stop, e.g. a multi-fidelity scheduler pruning the trial. */
  STOPPED,
  /** The cancellation signal was raised; the run stopped at the next batch. Final metrics are not evaluated. */
  CANCELLED,
  /** The wall-clock budget ran out; stopped at the next batch, metrics evaluated on the weights so far. */
  TIMED_OUT,
  /** NaN or infinity in the loss or the weights, or an exploding loss; no model. */
  DIVERGED,
  /** Refused before allocation: the spec does not fit the data, or the memory estimate is over the limit; no model. */
  REJECTED;

  /** Whether the result carries a usable trained network. */
  public boolean hasModel() {
    return this != DIVERGED && this != REJECTED;
  }
}
