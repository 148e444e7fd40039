package dev.strata.trainer.train;

/**
 * Final metrics of a run. Immutable.
 *
 * @param train inference-mode metrics on the training set
 * @param validation on the validation set
 * @param test on the test set
 * @param parameterCount trainable parameters
 * @param flopsPerSample forward floating-point operations per sample
 * @param trainingSeconds wall-clock seconds of the epoch loop (including per-epoch validation)
 * @param evaluationSeconds wall-clock seconds of the final evaluation
 * @param epochsRun completed epochs
 * @param estimatedBytes the memory estimate the guard approved
 */
public record TrainingMetrics(SplitMetrics train, SplitMetrics validation, SplitMetrics test, long parameterCount,
    long flopsPerSample, double trainingSeconds, double evaluationSeconds, int epochsRun, long estimatedBytes) {}
