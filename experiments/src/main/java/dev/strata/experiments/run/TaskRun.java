package dev.strata.experiments.run;

import dev.strata.search.trial.EpochRecord;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Runs one task's evaluator on the calling thread and posts its epochs, notes and end: the one way a trial is
 * evaluated in this process, whether by a {@link LocalExecutor} thread or a cluster coordinator's
 * local slot. Stateless.
 */
public final class TaskRun {

  private TaskRun() {}

  /**
   * Evaluates, then posts {@code Ended} (also when the evaluator throws). The caller has posted
   * {@code Started}, when the task was handed to this thread.
   *
   * @param cancelled turns true when the runner cancelled the task; the evaluator sees it through
   *     {@link TrialContext#shouldStop()} and a refused epoch
   */
  public static void execute(TrialEvaluator evaluator, TrialTask task, Consumer<TrialMessage> inbox,
      BooleanSupplier cancelled) {
    long t0 = System.nanoTime();
    TrialResult result = null;
    Throwable error = null;
    try {
      result = evaluator.evaluate(task.configuration(), new Context(task, inbox, cancelled));
      if (result == null) {
        error = new IllegalStateException("the evaluator returned no result");
      }
    } catch (Exception | OutOfMemoryError | StackOverflowError e) {
      error = e;
    } finally {
      inbox.accept(new TrialMessage.Ended(task, result, error, (System.nanoTime() - t0) / 1e9));
    }
  }

  /** The evaluator's view of its task; called on the task's thread. */
  private record Context(TrialTask task, Consumer<TrialMessage> inbox, BooleanSupplier cancelled)
      implements TrialContext {

    @Override
    public long seed() {
      return task.seed();
    }

    @Override
    public long trialId() {
      return task.trialId();
    }

    @Override
    public int resource() {
      return task.resource();
    }

    @Override
    public double maxSeconds() {
      return task.maxSeconds();
    }

    @Override
    public Optional<Path> resumeFrom() {
      return task.resumeFrom();
    }

    @Override
    public Path checkpointPath() {
      return task.checkpointPath();
    }

    @Override
    public void note(String message) {
      inbox.accept(new TrialMessage.Note(task, message));
    }

    @Override
    public boolean reportEpoch(int epoch, double trainLoss, double valLoss, double valMetric, double seconds) {
      CompletableFuture<Boolean> answer = new CompletableFuture<>();
      inbox.accept(new TrialMessage.Epoch(task,
          new EpochRecord(task.trialId(), epoch, trainLoss, valLoss, valMetric, seconds), answer::complete));
      while (true) {
        try {
          return answer.get(100, TimeUnit.MILLISECONDS) && !cancelled.getAsBoolean();
        } catch (TimeoutException e) {
          if (cancelled.getAsBoolean()) {
            return false; // the runner gave up on the task (it stopped or failed) and may never answer
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        } catch (ExecutionException e) {
          return false;
        }
      }
    }

    @Override
    public boolean shouldStop() {
      return cancelled.getAsBoolean();
    }
  }
}
