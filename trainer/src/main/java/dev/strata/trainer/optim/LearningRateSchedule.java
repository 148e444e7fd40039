package dev.strata.trainer.optim;

import dev.strata.trainer.spec.ScheduleSpec;

/**
 * The learning rate at each step, from a {@link ScheduleSpec} (formulas there): base rate eta,
 * E total epochs, decay per epoch, optional linear warm-up per step. Immutable and thread-safe.
 */
public final class LearningRateSchedule {

  private final ScheduleSpec spec;
  private final double base;
  private final int epochs;

  public LearningRateSchedule(ScheduleSpec spec, double baseRate, int epochs) {
    this.spec = spec;
    this.base = baseRate;
    this.epochs = epochs;
  }

  /**
   * The rate for epoch {@code epoch} (0-based) at global step {@code step} (0-based) with
   * {@code stepsPerEpoch} steps per epoch.
   */
  public double rate(int epoch, long step, long stepsPerEpoch) {
    double r = switch (spec.type()) {
      case CONSTANT -> base;
      case STEP -> base * Math.pow(spec.gamma(), Math.floorDiv(epoch, spec.stepEpochs()));
      case EXPONENTIAL -> base * Math.pow(spec.gamma(), epoch);
      case COSINE -> spec.minLearningRate()
          + (base - spec.minLearningRate()) * (1 + Math.cos(Math.PI * epoch / epochs)) / 2;
    };
    if (spec.warmupEpochs() > 0) {
      double warm = (double) (step + 1) / ((double) spec.warmupEpochs() * stepsPerEpoch);
      r *= Math.min(1.0, warm);
    }
    return r;
  }
}
