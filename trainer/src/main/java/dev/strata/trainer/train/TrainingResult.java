package dev.strata.trainer.train;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of {@code Trainer.train}. Immutable (the trained network inside is not thread-safe
 * for mutation but its {@code predict} is synchronised).
 *
 * @param status how the run ended
 * @param reason a human-readable explanation: why it was rejected, diverged, stopped; "" when completed
 * @param metrics final metrics; for REJECTED and DIVERGED (and CANCELLED) the split metrics are NaN
 * @param history one entry per completed epoch
 * @param network the trained network, or null when {@code !status.hasModel()}
 * @param estimate the memory estimate (also for REJECTED)
 * @param checkpoint the state to continue from when {@code status} is PAUSED, else null
 */
public record TrainingResult(TrainingStatus status, String reason, TrainingMetrics metrics, List<EpochMetrics> history,
    TrainedNetwork network, MemoryEstimate estimate, TrainingCheckpoint checkpoint) {

  /** A result without a checkpoint (every status but PAUSED). */
  public TrainingResult(TrainingStatus status, String reason, TrainingMetrics metrics, List<EpochMetrics> history,
      TrainedNetwork network, MemoryEstimate estimate) {
    this(status, reason, metrics, history, network, estimate, null);
  }

  public TrainingResult {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(metrics, "metrics");
    history = List.copyOf(history);
  }

  public boolean hasNetwork() {
    return network != null;
  }
}
