package dev.strata.experiments.run;

import dev.strata.search.trial.EpochRecord;
import java.util.function.Consumer;

/**
 * What an executor tells the runner about a task, posted to the runner's one inbox from any
 * thread. For each submitted task: at most one {@link Started} per worker that takes it (again
 * after a requeue), any {@link Epoch}s and {@link Note}s, then exactly one {@link Ended}.
 */
public sealed interface TrialMessage {

  TrialTask task();

  /** A worker took the task (a local thread {@code local-N}, or a cluster worker's name). */
  record Started(TrialTask task, String worker) implements TrialMessage {}

  /**
   * One epoch's figures. The runner answers on its own thread whether the task goes on; the
   * worker waits for the answer before it trains the next epoch.
   */
  record Epoch(TrialTask task, EpochRecord epoch, Consumer<Boolean> answer) implements TrialMessage {}

  /** A remark for the run log, e.g. a checkpoint that could not be used. */
  record Note(TrialTask task, String text) implements TrialMessage {}

  /**
   * The task is over: the evaluator's result, or the error it threw (then {@code result} is null).
   *
   * @param wallSeconds the task's wall-clock seconds on its worker, store calls included
   */
  record Ended(TrialTask task, TrialResult result, Throwable error, double wallSeconds) implements TrialMessage {}
}
