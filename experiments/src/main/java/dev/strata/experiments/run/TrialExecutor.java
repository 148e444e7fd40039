package dev.strata.experiments.run;

import java.util.function.Consumer;

/**
 * Where trials run: threads of this process ({@link LocalExecutor}) or the workers of a cluster
 * ({@code cluster.ClusterCoordinator}). The {@link Runner} decides what runs and when; an executor
 * only runs what it is given and posts what happens to the runner's inbox as {@link TrialMessage}s.
 *
 * <p>Thread safety: {@link #submit} and {@link #cancel} are called on the runner's thread; messages
 * are posted from the executor's threads. Call order: any number of {@link #submit} and {@link
 * #cancel}, then {@link #close()} once, by whoever created the executor.
 */
public interface TrialExecutor extends AutoCloseable {

  /**
   * Starts the task, or queues it until a worker is free, and returns at once. Every submitted task
   * ends with exactly one {@link TrialMessage.Ended} posted to {@code inbox}.
   */
  void submit(TrialTask task, Consumer<TrialMessage> inbox);

  /**
   * Asks a submitted task to stop (a stop request, pruning, a time limit): a queued task ends at once
   * INTERRUPTED, a running one sees {@link TrialContext#shouldStop()} and its next epoch is refused.
   * Ignored for a task that already ended.
   */
  void cancel(TrialTask task);

  /** Stops the workers; tasks still running end INTERRUPTED. */
  @Override
  void close();
}
