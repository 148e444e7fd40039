package dev.strata.search.fidelity;

import dev.strata.search.trial.Outcome;
import java.util.List;

/**
 * A multi-fidelity rule wrapped around a {@link dev.strata.search.strategy.Strategy}: it decides
 * which configurations run, for how much resource, and which ones go on.
 *
 * <p>Call order (one coordinator thread; not thread-safe):
 *
 * <ol>
 *   <li>{@link #next(int)} — up to n jobs to run now: {@link Job.Start} (a new configuration asked
 *       from the wrapped strategy) or {@link Job.Promote} (continue a trial from its checkpoint).
 *       Fewer (possibly none) when a synchronous rung waits for results or the search is over.
 *   <li>while a job trains, {@link #report(int, double, double)} for every intermediate result
 *       (e.g. per epoch); on {@link Decision#STOP} the runner stops the training.
 *   <li>{@link #complete(int, double, Outcome)} once per job, when it reached its resource, was
 *       stopped (PRUNED), or failed.
 * </ol>
 *
 * <p><b>What the wrapped strategy hears.</b> Each configuration is told to the strategy exactly once,
 * when it stops advancing: {@code COMPLETED} with its value when it reached the maximum resource;
 * {@code PRUNED} with its value at the largest resource it reached when it was not promoted or was
 * stopped early; the runner's FAILED/DIVERGED/REJECTED outcome as is. A trial that ASHA promotes
 * after it was told (its rung grew) goes on training, but the strategy is not told again ({@code
 * tell} is once per index); its later results are in {@link #trials()}.
 *
 * <p><b>Deterministic and rebuildable:</b> a scheduler adds no randomness of its own, so the same
 * strategy seed and the same sequence of calls give the same jobs, and a new instance fed the
 * recorded calls is in the same state.
 */
public interface Scheduler {

  /** E.g. {@code "asha(random)"}. */
  String name();

  Fidelity fidelity();

  /** Up to {@code n} (&ge; 1) jobs to start now. */
  List<Job> next(int n);

  /**
   * An intermediate result of a running job: {@code value} after {@code resource} (e.g. the
   * validation accuracy after epoch 4). Throws {@link IllegalArgumentException} for a trial that
   * has no job running.
   */
  Decision report(int trialIndex, double resource, double value);

  /**
   * A job ended: it reached {@code resource} (COMPLETED with its value), was stopped (PRUNED; a NaN
   * value is replaced by the last reported one) or failed. Throws {@link
   * IllegalArgumentException} for a trial that has no job running.
   */
  void complete(int trialIndex, double resource, Outcome outcome);

  /** Whether no job is running and {@link #next(int)} will never return a job again. */
  boolean isFinished();

  /** The number of jobs handed out and not completed. */
  int running();

  /** Every trial so far, in index order. */
  List<FidelityTrial> trials();
}
