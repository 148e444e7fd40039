package dev.strata.trainer.spec;


/**
 * A learning-rate schedule. With base rate eta, epoch e (0-based) and E total epochs:
 *
 * <ul>
 *   <li>{@code constant}: eta
 *   <li>{@code step}: eta * gamma^floor(e / stepEpochs)
 *   <li>{@code exponential}: eta * gamma^e
 *   <li>{@code cosine}: minLearningRate + (eta - minLearningRate) (1 + cos(pi e / E)) / 2
 * </ul>
 *
 * The decayed rate is constant within an epoch. With {@code warmupEpochs = W > 0} the rate is
 * additionally multiplied by {@code min(1, (s + 1) / (W * stepsPerEpoch))} at global step s (0-based):
 * a linear ramp over the first W epochs. Immutable.
 *
 * @param type the shape
 * @param stepEpochs epochs between decays, >= 1 for {@code step}
 * @param gamma decay factor in (0, 1] for {@code step} and {@code exponential}
 * @param minLearningRate floor of the cosine schedule, >= 0
 * @param warmupEpochs epochs of linear warm-up, >= 0
 */
public record ScheduleSpec(ScheduleType type, int stepEpochs, double gamma, double minLearningRate, int warmupEpochs) {

  public ScheduleSpec {
    if (type == null) {
      throw SpecException.at("/type", "is missing; use one of constant, step, exponential, cosine");
    }
    if (type == ScheduleType.STEP) {
      SpecException.checkAtLeast("/stepEpochs", stepEpochs, 1, "a step schedule needs e.g. \"stepEpochs\": 10");
    }
    if (type == ScheduleType.STEP || type == ScheduleType.EXPONENTIAL) {
      SpecException.checkRange("/gamma", gamma, 0, false, 1, true, "a " + type + " schedule needs e.g. \"gamma\": 0.5");
    }
    SpecException.checkRange("/minLearningRate", minLearningRate, 0, true, Double.POSITIVE_INFINITY, false,
        "use 0 to decay to zero");
    SpecException.checkAtLeast("/warmupEpochs", warmupEpochs, 0, "use 0 for no warm-up");
  }

  /** The JSON form: fields a schedule type does not use may be left out. */
  @com.fasterxml.jackson.annotation.JsonCreator
  static ScheduleSpec fromJson(
      @com.fasterxml.jackson.annotation.JsonProperty("type") ScheduleType type,
      @com.fasterxml.jackson.annotation.JsonProperty("stepEpochs") Integer stepEpochs,
      @com.fasterxml.jackson.annotation.JsonProperty("gamma") Double gamma,
      @com.fasterxml.jackson.annotation.JsonProperty("minLearningRate") Double minLearningRate,
      @com.fasterxml.jackson.annotation.JsonProperty("warmupEpochs") Integer warmupEpochs) {
    return new ScheduleSpec(type, stepEpochs == null ? 0 : stepEpochs, gamma == null ? 0 : gamma,
        minLearningRate == null ? 0 : minLearningRate, warmupEpochs == null ? 0 : warmupEpochs);
  }

  public static ScheduleSpec constant() {
    return new ScheduleSpec(ScheduleType.CONSTANT, 0, 0, 0, 0);
  }

  public static ScheduleSpec step(int stepEpochs, double gamma) {
    return new ScheduleSpec(ScheduleType.STEP, stepEpochs, gamma, 0, 0);
  }

  public static ScheduleSpec exponential(double gamma) {
    return new ScheduleSpec(ScheduleType.EXPONENTIAL, 0, gamma, 0, 0);
  }

  public static ScheduleSpec cosine(double minLearningRate) {
    return new ScheduleSpec(ScheduleType.COSINE, 0, 0, minLearningRate, 0);
  }

  public ScheduleSpec withWarmupEpochs(int epochs) {
    return new ScheduleSpec(type, stepEpochs, gamma, minLearningRate, epochs);
  }
}
