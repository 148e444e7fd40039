package dev.strata.experiments.run;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What an evaluator gets besides the configuration. Implemented by the runner.
 *
 * <p>Multi-fidelity: {@link #resource()} is the budget to train to (epochs); {@link #resumeFrom()}
 * names a checkpoint to continue from when a trial is promoted (the file the evaluator wrote to
 * {@link #checkpointPath()} when the trial paused at the lower rung). An evaluator that cannot use
 * it (missing, damaged) starts from scratch and says so through {@link #note}.
 */
public interface TrialContext {

  /** The trial's seed, derived from (experiment seed, strategy, study seed, trial index). */
  long seed();

  /** The run-wide trial id. */
  long trialId();

  /** Epochs (or another resource) to run to; 0 means the experiment's own maximum. */
  int resource();

  /** Maximum wall-clock seconds for this trial; 0 for none. */
  double maxSeconds();

  /** A checkpoint to continue from, when the trial is a promotion. */
  Optional<Path> resumeFrom();

  /** Where to save a checkpoint (a file path the evaluator may create). */
  Path checkpointPath();

  /**
   * Reports one epoch; called by the evaluator after each epoch. Returns false when the trial
   * should stop now (pruned by the scheduler, or the run is stopping).
   */
  boolean reportEpoch(int epoch, double trainLoss, double valLoss, double valMetric, double seconds);

  /** Whether the evaluator should stop as soon as it can (Ctrl-C, pruning). */
  boolean shouldStop();

  /** A remark for the run log about this trial (e.g. a checkpoint that could not be used). */
  default void note(String message) {}
}
