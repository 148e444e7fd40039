package dev.strata.trainer.train;

import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * How a caller steers one training run (as opposed to what is trained, which is the spec).
 * Immutable; the listener and cancellation signal are called on the training thread.
 *
 * @param listener called after every epoch; may stop the run
 * @param cancelled polled before every batch; when it returns true the run ends as CANCELLED
 *     (e.g. {@code atomicBoolean::get})
 * @param memoryLimitBytes the memory guard's limit; 0 means 25% of the JVM's maximum heap
 * @param evalBatchSize rows per inference batch for validation and final metrics (>= 1)
 * @param strataVersion recorded in the trained network's provenance
 */
public record TrainingControl(EpochListener listener, BooleanSupplier cancelled, long memoryLimitBytes,
    int evalBatchSize, String strataVersion) {

  public TrainingControl {
    Objects.requireNonNull(listener, "listener");
    Objects.requireNonNull(cancelled, "cancelled");
    Objects.requireNonNull(strataVersion, "strataVersion");
    if (memoryLimitBytes < 0) {
      throw new IllegalArgumentException("memoryLimitBytes must be >= 0 (0 = 25% of max heap), got " + memoryLimitBytes);
    }
    if (evalBatchSize < 1) {
      throw new IllegalArgumentException("evalBatchSize must be >= 1, got " + evalBatchSize);
    }
  }

  /** No listener, never cancelled, default memory limit, evaluation batches of 256, version "dev". */
  public static TrainingControl defaults() {
    return new TrainingControl(EpochListener.none(), () -> false, 0, 256, "dev");
  }

  /** The limit in effect: {@link #memoryLimitBytes()} or 25% of {@code Runtime.maxMemory()}. */
  public long effectiveMemoryLimit() {
    return memoryLimitBytes > 0 ? memoryLimitBytes : Runtime.getRuntime().maxMemory() / 4;
  }

  public TrainingControl withListener(EpochListener v) {
    return new TrainingControl(v, cancelled, memoryLimitBytes, evalBatchSize, strataVersion);
  }

  public TrainingControl withCancellation(BooleanSupplier v) {
    return new TrainingControl(listener, v, memoryLimitBytes, evalBatchSize, strataVersion);
  }

  public TrainingControl withMemoryLimitBytes(long v) {
    return new TrainingControl(listener, cancelled, v, evalBatchSize, strataVersion);
  }

  public TrainingControl withEvalBatchSize(int v) {
    return new TrainingControl(listener, cancelled, memoryLimitBytes, v, strataVersion);
  }

  public TrainingControl withStrataVersion(String v) {
    return new TrainingControl(listener, cancelled, memoryLimitBytes, evalBatchSize, v);
  }
}
