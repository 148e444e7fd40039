package dev.strata.trainer.train;

/**
 * Called by the trainer on the training thread after every epoch. Returning {@link Decision#STOP}
 * ends the run with status {@link TrainingStatus#STOPPED} (e.g. multi-fidelity pruning). An
 * exception thrown here propagates out of {@code Trainer.train}.
 */
@FunctionalInterface
public interface EpochListener {

  enum Decision {
    CONTINUE,
    STOP
  }

  Decision onEpoch(EpochMetrics metrics);

  /** A listener that never stops the run. */
  static EpochListener none() {
    return m -> Decision.CONTINUE;
  }
}
