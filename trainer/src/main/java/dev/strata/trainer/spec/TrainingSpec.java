package dev.strata.trainer.spec;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;

/**
 * Hyperparameters of one training run. Immutable; build with {@link #builder()} (documented
 * defaults below), copy with the {@code withX} methods. In JSON every field is optional and takes
 * the same default.
 *
 * @param optimizer default {@code adam}
 * @param learningRate base rate eta &gt; 0; default per optimizer, see {@link OptimizerType#defaultLearningRate()}
 * @param momentum mu in [0, 1) for momentum and nesterov; default 0.9
 * @param beta1 Adam's first-moment decay in [0, 1); default 0.9
 * @param beta2 Adam's second-moment decay in [0, 1); default 0.999
 * @param eps numerical floor &gt; 0; default per optimizer ({@link OptimizerType#defaultEps()})
 * @param rho squared-gradient decay in (0, 1) for rmsprop and adadelta; default per optimizer
 * @param weightDecay lambda &gt;= 0: an L2 term lambda w added to the gradient of every weight matrix
 *     (not biases or batch-norm parameters), except for adamw where it is decoupled; default 0
 * @param clipNorm rescale the gradient when its global L2 norm exceeds this; 0 (default) disables
 * @param schedule learning-rate schedule; default constant
 * @param batchSize rows per mini-batch &gt;= 1; default 32
 * @param epochs maximum epochs &gt;= 1; default 20
 * @param patience early stopping: stop after this many epochs without a validation-loss improvement
 *     of more than {@code minDelta}; 0 (default) disables early stopping
 * @param minDelta &gt;= 0; default 0
 * @param dropout default dropout rate for blocks that do not set their own, in [0, 1); default 0
 * @param init weight initialiser; default glorot_uniform
 * @param biasSigma biases are drawn from N(0, biasSigma^2); default 0 (zero biases)
 * @param maxSeconds wall-clock budget for training, 0 (default) for none
 * @param threads threads for one training &gt;= 1; default 1. Above 1, large matrix products are split
 *     across a shared pool; results are bit-identical for any thread count
 * @param divergenceFactor a batch loss above this many times the first batch's loss counts as
 *     divergence; &gt; 1, default 1000
 * @param classWeights per-class weights of the training loss ({@link ClassWeights}: {@code
 *     "balanced"} or one weight per class); null (default) for none
 * @param augment on-the-fly augmentation of image training batches ({@link Augmentation}); null
 *     (default) for none
 */
@JsonDeserialize(builder = TrainingSpec.Builder.class)
public record TrainingSpec(
    OptimizerType optimizer,
    double learningRate,
    double momentum,
    double beta1,
    double beta2,
    double eps,
    double rho,
    double weightDecay,
    double clipNorm,
    ScheduleSpec schedule,
    int batchSize,
    int epochs,
    int patience,
    double minDelta,
    double dropout,
    WeightInit init,
    double biasSigma,
    double maxSeconds,
    int threads,
    double divergenceFactor,
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    ClassWeights classWeights,
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    Augmentation augment) {

  private static final double INF = Double.POSITIVE_INFINITY;
  private static final String OPTIMIZER_NAMES = "sgd, momentum, nesterov, adagrad, rmsprop, adadelta, adam, adamw";

  public TrainingSpec {
    if (optimizer == null) {
      throw SpecException.at("/optimizer", "is missing; use one of " + OPTIMIZER_NAMES);
    }
    SpecException.checkRange("/learningRate", learningRate, 0, false, INF, false, "e.g. \"learningRate\": 0.001");
    SpecException.checkRange("/momentum", momentum, 0, true, 1, false, "e.g. \"momentum\": 0.9");
    SpecException.checkRange("/beta1", beta1, 0, true, 1, false, "e.g. \"beta1\": 0.9");
    SpecException.checkRange("/beta2", beta2, 0, true, 1, false, "e.g. \"beta2\": 0.999");
    SpecException.checkRange("/eps", eps, 0, false, INF, false, "e.g. \"eps\": 1e-8");
    SpecException.checkRange("/rho", rho, 0, false, 1, false, "e.g. \"rho\": 0.9");
    SpecException.checkRange("/weightDecay", weightDecay, 0, true, INF, false, "use 0 for none, e.g. 1e-4");
    SpecException.checkRange("/clipNorm", clipNorm, 0, true, INF, false, "use 0 to disable clipping, e.g. 1.0");
    if (schedule == null) {
      schedule = ScheduleSpec.constant();
    }
    SpecException.checkAtLeast("/batchSize", batchSize, 1, "e.g. \"batchSize\": 32");
    SpecException.checkAtLeast("/epochs", epochs, 1, "e.g. \"epochs\": 20");
    SpecException.checkAtLeast("/patience", patience, 0, "use 0 to disable early stopping");
    SpecException.checkRange("/minDelta", minDelta, 0, true, INF, false, "use 0 to count any improvement");
    SpecException.checkRange("/dropout", dropout, 0, true, 1, false, "use 0 for no dropout, e.g. 0.2");
    if (init == null) {
      init = WeightInit.glorotUniform();
    }
    SpecException.checkRange("/biasSigma", biasSigma, 0, true, INF, false, "use 0 for zero biases");
    SpecException.checkRange("/maxSeconds", maxSeconds, 0, true, INF, false, "use 0 for no time limit");
    SpecException.checkAtLeast("/threads", threads, 1, "use 1");
    SpecException.checkRange("/divergenceFactor", divergenceFactor, 1, false, INF, true, "e.g. 1000");
  }

  /** All defaults: adam with lr 0.001, batch 32, 20 epochs, glorot_uniform, no regularisation. */
  public static TrainingSpec defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder pre-filled with this spec's values. */
  public Builder toBuilder() {
    return new Builder().optimizer(optimizer).learningRate(learningRate).momentum(momentum).beta1(beta1).beta2(beta2)
        .eps(eps).rho(rho).weightDecay(weightDecay).clipNorm(clipNorm).schedule(schedule).batchSize(batchSize)
        .epochs(epochs).patience(patience).minDelta(minDelta).dropout(dropout).init(init).biasSigma(biasSigma)
        .maxSeconds(maxSeconds).threads(threads).divergenceFactor(divergenceFactor).classWeights(classWeights)
        .augment(augment);
  }

  /**
   * A copy with another optimizer. Its learning rate, eps and rho are reset to the new optimizer's
   * defaults; chain {@link #withLearningRate(double)} to choose the rate.
   */
  public TrainingSpec withOptimizer(OptimizerType o) {
    return toBuilder().optimizer(o).learningRate(Double.NaN).eps(Double.NaN).rho(Double.NaN).build();
  }

  public TrainingSpec withLearningRate(double v) {
    return toBuilder().learningRate(v).build();
  }

  public TrainingSpec withWeightDecay(double v) {
    return toBuilder().weightDecay(v).build();
  }

  public TrainingSpec withClipNorm(double v) {
    return toBuilder().clipNorm(v).build();
  }

  public TrainingSpec withSchedule(ScheduleSpec v) {
    return toBuilder().schedule(v).build();
  }

  public TrainingSpec withBatchSize(int v) {
    return toBuilder().batchSize(v).build();
  }

  public TrainingSpec withEpochs(int v) {
    return toBuilder().epochs(v).build();
  }

  public TrainingSpec withEarlyStopping(int patience, double minDelta) {
    return toBuilder().patience(patience).minDelta(minDelta).build();
  }

  public TrainingSpec withDropout(double v) {
    return toBuilder().dropout(v).build();
  }

  public TrainingSpec withInit(WeightInit v) {
    return toBuilder().init(v).build();
  }

  public TrainingSpec withBiasSigma(double v) {
    return toBuilder().biasSigma(v).build();
  }

  public TrainingSpec withMaxSeconds(double v) {
    return toBuilder().maxSeconds(v).build();
  }

  /** A copy with these class weights (null for none). */
  public TrainingSpec withClassWeights(ClassWeights v) {
    return toBuilder().classWeights(v).build();
  }

  /** A copy with this augmentation (null for none). */
  public TrainingSpec withAugment(Augmentation v) {
    return toBuilder().augment(v).build();
  }

  /**
   * Builder with the documented defaults. Learning rate, eps and rho left unset (NaN) take the
   * optimizer's defaults in {@link #build()}. Not thread-safe.
   */
  @JsonPOJOBuilder(withPrefix = "")
  public static final class Builder {
    private OptimizerType optimizer = OptimizerType.ADAM;
    private double learningRate = Double.NaN;
    private double momentum = 0.9;
    private double beta1 = 0.9;
    private double beta2 = 0.999;
    private double eps = Double.NaN;
    private double rho = Double.NaN;
    private double weightDecay;
    private double clipNorm;
    private ScheduleSpec schedule = ScheduleSpec.constant();
    private int batchSize = 32;
    private int epochs = 20;
    private int patience;
    private double minDelta;
    private double dropout;
    private WeightInit init = WeightInit.glorotUniform();
    private double biasSigma;
    private double maxSeconds;
    private int threads = 1;
    private double divergenceFactor = 1000;
    private ClassWeights classWeights;
    private Augmentation augment;

    public Builder classWeights(ClassWeights v) {
      classWeights = v;
      return this;
    }

    public Builder augment(Augmentation v) {
      augment = v;
      return this;
    }

    public Builder optimizer(OptimizerType v) {
      optimizer = v; // null is reported by the constructor, with the pointer and the choices
      return this;
    }

    public Builder learningRate(double v) {
      learningRate = v;
      return this;
    }

    public Builder momentum(double v) {
      momentum = v;
      return this;
    }

    public Builder beta1(double v) {
      beta1 = v;
      return this;
    }

    public Builder beta2(double v) {
      beta2 = v;
      return this;
    }

    public Builder eps(double v) {
      eps = v;
      return this;
    }

    public Builder rho(double v) {
      rho = v;
      return this;
    }

    public Builder weightDecay(double v) {
      weightDecay = v;
      return this;
    }

    public Builder clipNorm(double v) {
      clipNorm = v;
      return this;
    }

    public Builder schedule(ScheduleSpec v) {
      schedule = v;
      return this;
    }

    public Builder batchSize(int v) {
      batchSize = v;
      return this;
    }

    public Builder epochs(int v) {
      epochs = v;
      return this;
    }

    public Builder patience(int v) {
      patience = v;
      return this;
    }

    public Builder minDelta(double v) {
      minDelta = v;
      return this;
    }

    public Builder dropout(double v) {
      dropout = v;
      return this;
    }

    public Builder init(WeightInit v) {
      init = v;
      return this;
    }

    public Builder biasSigma(double v) {
      biasSigma = v;
      return this;
    }

    public Builder maxSeconds(double v) {
      maxSeconds = v;
      return this;
    }

    public Builder threads(int v) {
      threads = v;
      return this;
    }

    public Builder divergenceFactor(double v) {
      divergenceFactor = v;
      return this;
    }

    public TrainingSpec build() {
      if (optimizer == null) {
        throw SpecException.at("/optimizer", "is missing; use one of " + OPTIMIZER_NAMES);
      }
      return new TrainingSpec(optimizer,
          Double.isNaN(learningRate) ? optimizer.defaultLearningRate() : learningRate,
          momentum, beta1, beta2,
          Double.isNaN(eps) ? optimizer.defaultEps() : eps,
          Double.isNaN(rho) ? optimizer.defaultRho() : rho,
          weightDecay, clipNorm, schedule, batchSize, epochs, patience, minDelta, dropout, init, biasSigma, maxSeconds,
          threads, divergenceFactor, classWeights, augment);
    }
  }
}
