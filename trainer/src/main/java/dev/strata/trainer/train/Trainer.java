package dev.strata.trainer.train;

import dev.strata.trainer.data.DataSplit;
import dev.strata.trainer.data.Dataset;
import dev.strata.trainer.init.Rngs;
import dev.strata.trainer.kernel.ElementwiseKernel;
import dev.strata.trainer.nn.Network;
import dev.strata.trainer.optim.GradientClipping;
import dev.strata.trainer.optim.LearningRateSchedule;
import dev.strata.trainer.optim.Optimizer;
import dev.strata.trainer.spec.ClassWeights;
import dev.strata.trainer.spec.NetworkSpec;
import dev.strata.trainer.spec.TrainingSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * Trains a network described by a {@link NetworkSpec} on a {@link DataSplit}.
 *
 * <p>The run, in order:
 *
 * <ol>
 *   <li>check that the spec fits the data (inputs, outputs, loss vs labels/targets, class weights, an
 *       image shape for augmentation), else REJECTED; resolve {@code "balanced"} class weights on the
 *       training part ({@link ClassWeights#resolve}), so the model's spec records the numbers used;
 *   <li>plan the network and estimate its memory ({@link MemoryEstimate}); above the limit, or too
 *       large for Java arrays, REJECTED with the estimate in the reason, before allocating anything;
 *   <li>allocate every buffer once, initialise the weights from the seed;
 *   <li>per epoch: shuffle the training rows (seeded), augment them when the spec asks ({@link
 *       dev.strata.trainer.spec.Augmentation}, its own seeded stream), run mini-batches (forward, loss, backward,
 *       optional clipping by global norm, scheduled learning rate, optimizer step), checking before each
 *       batch the cancellation signal and the time budget, and after each batch the loss; then evaluate
 *       the validation set, call the listener, apply early stopping;
 *   <li>restore the best weights when early stopping is on; evaluate train, validation and test.
 * </ol>
 *
 * <p>A run can pause at the end of an epoch ({@link #train(NetworkSpec, DataSplit, TrainingControl,
 * int)}) and continue later from its {@link TrainingCheckpoint} ({@link #resume}); the two parts
 * together equal one uninterrupted run, bit for bit. Multi-fidelity schedulers promote trials this way.
 *
 * <p>Divergence (a NaN or infinite batch loss, a batch loss above {@code divergenceFactor} times
 * the first batch's, non-finite weights after an epoch, or a non-finite validation loss) ends the run as
 * DIVERGED with a reason; it never throws. The steady-state batch step allocates nothing.
 *
 * <p>Reproducible: the same spec (seed included) and data give bit-identical weights and metrics, also
 * when several trainings run concurrently, because every random stream is derived from the seed
 * ({@link Rngs}) and the kernels are deterministic. The trainer has no state: one instance may serve
 * any number of threads, each training its own network.
 */
public final class Trainer {

  /** Divergence threshold floor: the first loss counts as at least this when scaling by the factor. */
  private static final double MIN_REFERENCE_LOSS = 1e-3;

  public Trainer() {}

  /** {@link #train(NetworkSpec, DataSplit, TrainingControl)} with {@link TrainingControl#defaults()}. */
  public TrainingResult train(NetworkSpec spec, DataSplit split) {
    return train(spec, split, TrainingControl.defaults());
  }

  /** The memory estimate for training {@code spec} on {@code split} (nothing large is allocated). */
  public static MemoryEstimate estimate(NetworkSpec spec, DataSplit split, TrainingControl control) {
    return estimate(spec, Network.of(spec), split, control);
  }

  private static MemoryEstimate estimate(NetworkSpec spec, Network planned, DataSplit split, TrainingControl control) {
    return MemoryEstimate.of(spec, planned, rowCapacity(spec, split, control), split.train().rows(), keepsBest(spec, split));
  }

  private static int rowCapacity(NetworkSpec spec, DataSplit split, TrainingControl control) {
    int batch = Math.min(spec.training().batchSize(), split.train().rows());
    int largest = Math.max(split.train().rows(), Math.max(split.validation().rows(), split.test().rows()));
    return Math.max(1, Math.max(batch, Math.min(control.evalBatchSize(), largest)));
  }

  private static boolean keepsBest(NetworkSpec spec, DataSplit split) {
    return spec.training().patience() > 0 && split.validation().rows() > 0;
  }

  /** Trains {@code spec} on {@code split}; never throws for divergence, oversize or data mismatch. */
  public TrainingResult train(NetworkSpec spec, DataSplit split, TrainingControl control) {
    return start(spec, split, control, 0, null);
  }

  /**
   * Like {@link #train(NetworkSpec, DataSplit, TrainingControl)}, but ends after epoch {@code
   * pauseAfter} (when it comes before the spec's last) as {@link TrainingStatus#PAUSED}, with a
   * {@link TrainingResult#checkpoint() checkpoint} that {@link #resume} continues. The spec's {@code
   * epochs} stays the horizon (the learning-rate schedule spans it), so a paused and resumed run
   * equals an uninterrupted one bit for bit. {@code pauseAfter} 0 never pauses.
   */
  public TrainingResult train(NetworkSpec spec, DataSplit split, TrainingControl control, int pauseAfter) {
    if (pauseAfter < 0) {
      throw new IllegalArgumentException("pauseAfter must be >= 0 (0 = do not pause), got " + pauseAfter);
    }
    return start(spec, split, control, pauseAfter, null);
  }

  /**
   * Continues a paused run from its checkpoint on the same data, to the spec's last epoch or to
   * {@code pauseAfter} (0: do not pause again). Only the remaining epochs are trained; the result's
   * history and epoch count include the checkpoint's, its training seconds are this call's.
   *
   * @throws IllegalArgumentException when {@code split} is not the data the checkpoint trained on, or
   *     {@code pauseAfter} is not after the checkpoint's epoch
   */
  public TrainingResult resume(TrainingCheckpoint from, DataSplit split, TrainingControl control, int pauseAfter) {
    if (pauseAfter != 0 && pauseAfter <= from.epochs()) {
      throw new IllegalArgumentException("cannot pause after epoch " + pauseAfter + ": the checkpoint is at epoch "
          + from.epochs());
    }
    String hash = DatasetHash.of(split);
    if (!hash.equals(from.datasetHash())) {
      throw new IllegalArgumentException("the checkpoint was trained on data " + from.datasetHash() + ", not on "
          + hash + "; resume it on the same split");
    }
    return start(from.spec(), split, control, pauseAfter, from);
  }

  private TrainingResult start(NetworkSpec spec, DataSplit split, TrainingControl control, int pauseAfter,
      TrainingCheckpoint from) {
    long start = System.nanoTime();
    String dataProblem = classWeightsAndAugmentProblem(spec, split.train());
    if (dataProblem != null) {
      Network planned = Network.of(spec);
      return rejected("spec does not fit the data: " + dataProblem, planned, estimate(spec, planned, split, control));
    }
    spec = resolveClassWeights(spec, split.train());
    TrainingSpec t = spec.training();
    Network net = Network.of(spec);
    MemoryEstimate est = estimate(spec, net, split, control);

    for (Dataset d : new Dataset[] {split.train(), split.validation(), split.test()}) {
      String problem = Batches.incompatibility(d, spec.inputs(), spec.outputs(), spec.loss());
      if (problem != null && (d.rows() > 0 || d == split.train())) {
        return rejected("spec does not fit the data: " + problem, net, est);
      }
    }
    if (split.train().rows() == 0) {
      return rejected("the training set is empty", net, est);
    }
    long limit = control.effectiveMemoryLimit();
    int rows = est.rows();
    if (!net.fitsArrays(rows) || est.totalBytes() > limit) {
      return rejected("estimated memory " + est + " exceeds the limit of " + MemoryEstimate.human(limit)
          + (net.fitsArrays(rows) ? "" : " (a buffer would exceed the largest Java array)")
          + "; use fewer or narrower layers, a smaller batch, or raise the limit", net, est);
    }
    try {
      net.allocate(rows);
    } catch (OutOfMemoryError e) {
      return rejected("out of memory while allocating " + est + " despite the estimate being under the limit", net, est);
    }
    if (from == null) {
      net.initialize();
    }
    return new Run(spec, split, control, net, est, start, pauseAfter, from).run();
  }

  /** Why the spec's class weights or augmentation cannot apply to {@code train}, or null. */
  private static String classWeightsAndAugmentProblem(NetworkSpec spec, Dataset train) {
    ClassWeights cw = spec.training().classWeights();
    if (cw != null) {
      if (!train.isClassification()) {
        return "training.classWeights needs a classification dataset, '" + train.name() + "' is a regression set;"
            + " remove classWeights";
      }
      if (!cw.balanced() && cw.weights().size() != train.classes()) {
        return "training.classWeights has " + cw.weights().size() + " weights but the data has " + train.classes()
            + " classes " + train.classNames() + "; give one weight per class, in that order";
      }
    }
    if (spec.training().augment() != null && spec.image() == null) {
      return "training.augment needs an image spec (\"image\": {\"channels\": C, \"height\": H, \"width\": W});"
          + " remove augment for flat inputs";
    }
    return null;
  }

  /**
   * The spec with {@code "balanced"} class weights replaced by the weights they stand for on {@code
   * train} ({@link ClassWeights#resolve}), so the trained model records the numbers it used.
   */
  static NetworkSpec resolveClassWeights(NetworkSpec spec, Dataset train) {
    ClassWeights cw = spec.training().classWeights();
    if (cw == null || !cw.balanced()) {
      return spec;
    }
    return spec.withTraining(spec.training().withClassWeights(ClassWeights.of(cw.resolve(train.classCounts()))));
  }

  private static TrainingResult rejected(String reason, Network planned, MemoryEstimate est) {
    return new TrainingResult(TrainingStatus.REJECTED, reason, emptyMetrics(planned, 0, 0, est), List.of(), null, est);
  }

  private static TrainingMetrics emptyMetrics(Network net, double seconds, int epochs, MemoryEstimate est) {
    return new TrainingMetrics(SplitMetrics.EMPTY, SplitMetrics.EMPTY, SplitMetrics.EMPTY, net.parameterCount(),
        net.flopsPerSample(), seconds, 0, epochs, est.totalBytes());
  }

  /** One run's mutable state; lives on the training thread only. */
  private static final class Run {

    private final NetworkSpec spec;
    private final TrainingSpec t;
    private final DataSplit split;
    private final TrainingControl control;
    private final Network net;
    private final MemoryEstimate est;
    private final long start;
    private final int batchSize;
    private final Batches batch;
    private final Evaluator evaluator;
    private final Optimizer optimizer;
    private final LearningRateSchedule schedule;
    private final RandomGenerator shuffleRng;
    /** Augments training batches, or null. */
    private final Augmenter augmenter;
    private final int[] order;
    private final float[] bestParams;
    private final float[] bestState;
    private final List<EpochMetrics> history = new ArrayList<>();
    private final int pauseAfter;
    /** The checkpoint this run continues, or null for a fresh run. */
    private final TrainingCheckpoint resumed;
    private final double priorSeconds;

    Run(NetworkSpec spec, DataSplit split, TrainingControl control, Network net, MemoryEstimate est, long start,
        int pauseAfter, TrainingCheckpoint resumed) {
      this.spec = spec;
      this.t = spec.training();
      this.split = split;
      this.control = control;
      this.net = net;
      this.est = est;
      this.start = start;
      this.batchSize = Math.min(t.batchSize(), split.train().rows());
      this.batch = new Batches(est.rows(), spec.inputs(), spec.outputs(), spec.loss());
      this.evaluator = new Evaluator(net, batch, est.rows());
      this.optimizer = Optimizer.create(t, net.parameters(), net.gradients(), net.parameterSlots());
      this.schedule = new LearningRateSchedule(t.schedule(), t.learningRate(), t.epochs());
      this.shuffleRng = Rngs.of(spec.seed(), Rngs.SHUFFLE);
      this.augmenter = t.augment() == null ? null
          : new Augmenter(t.augment(), spec.image(), Rngs.of(spec.seed(), Rngs.AUGMENT));
      this.order = new int[split.train().rows()];
      for (int i = 0; i < order.length; i++) {
        order[i] = i;
      }
      boolean keepBest = keepsBest(spec, split);
      this.bestParams = keepBest ? new float[net.parameters().length] : null;
      this.bestState = keepBest ? new float[net.state().length] : null;
      this.pauseAfter = pauseAfter;
      this.resumed = resumed;
      this.priorSeconds = resumed == null ? 0 : resumed.seconds();
      if (resumed != null) {
        resumed.restore(net.parameters(), net.state(), optimizer.stateBuffers(), bestParams, bestState);
        optimizer.restoreStepCount(resumed.optimizerSteps());
        net.skipDropoutDraws(resumed.dropoutDraws());
        history.addAll(resumed.history());
        // the shuffle stream draws a fixed count per epoch: replaying it restores both it and the order
        for (int e = 0; e < resumed.epochs(); e++) {
          shuffle();
          if (augmenter != null) {
            augmenter.skip(split.train().rows());
          }
        }
      }
    }

    private double seconds() {
      return (System.nanoTime() - start) / 1e9;
    }

    TrainingResult run() {
      Dataset train = split.train();
      int n = train.rows();
      long stepsPerEpoch = (n + batchSize - 1) / batchSize;
      boolean fresh = resumed == null;
      long step = fresh ? 0 : resumed.step();
      double firstLoss = fresh ? Double.NaN : resumed.firstLoss();
      double bestLoss = fresh ? Double.POSITIVE_INFINITY : resumed.bestLoss();
      int bestEpoch = fresh ? -1 : resumed.bestEpoch();
      int sinceBest = fresh ? 0 : resumed.sinceBest();
      TrainingStatus status = TrainingStatus.COMPLETED;
      String reason = "";
      int epochsRun = fresh ? 0 : resumed.epochs();
      TrainingCheckpoint checkpoint = null;
      double lr = Double.NaN;
      int paramCount = net.parameters().length;

      epochs:
      for (int epoch = epochsRun; epoch < t.epochs(); epoch++) {
        shuffle();
        double lossSum = 0;
        for (int b = 0; b < n; b += batchSize) {
          if (control.cancelled().getAsBoolean()) {
            status = TrainingStatus.CANCELLED;
            reason = "cancelled during epoch " + (epoch + 1);
            break epochs;
          }
          if (t.maxSeconds() > 0 && seconds() > t.maxSeconds()) {
            status = TrainingStatus.TIMED_OUT;
            reason = String.format(Locale.ROOT, "time budget of %.3g s used up during epoch %d", t.maxSeconds(), epoch + 1);
            break epochs;
          }
          int rows = Math.min(batchSize, n - b);
          batch.gather(train, order, b, rows);
          if (augmenter != null) {
            augmenter.apply(batch.x, rows);
          }
          double loss = net.forwardBackward(batch.x, rows, batch.labels, batch.targets);
          if (!Double.isFinite(loss)) {
            return diverged("training loss became " + loss + " at epoch " + (epoch + 1) + ", batch " + (b / batchSize + 1), epochsRun);
          }
          if (Double.isNaN(firstLoss)) {
            firstLoss = loss;
          } else if (loss > t.divergenceFactor() * Math.max(firstLoss, MIN_REFERENCE_LOSS)) {
            return diverged(String.format(Locale.ROOT, "training loss exploded to %.4g at epoch %d, batch %d "
                + "(more than %.4g times the first batch's %.4g)", loss, epoch + 1, b / batchSize + 1,
                t.divergenceFactor(), firstLoss), epochsRun);
          }
          if (t.clipNorm() > 0) {
            double norm = GradientClipping.clipByGlobalNorm(net.gradients(), paramCount, t.clipNorm());
            if (!Double.isFinite(norm)) {
              return diverged("gradient norm became " + norm + " at epoch " + (epoch + 1), epochsRun);
            }
          }
          lr = schedule.rate(epoch, step, stepsPerEpoch);
          optimizer.step(lr);
          step++;
          lossSum += loss * rows;
        }
        epochsRun = epoch + 1;
        if (!ElementwiseKernel.allFinite(paramCount, net.parameters(), 0)) {
          return diverged("weights became NaN or infinite during epoch " + epochsRun, epochsRun);
        }
        SplitMetrics val = evaluator.evaluate(split.validation());
        if (val.rows() > 0 && !Double.isFinite(val.loss())) {
          return diverged("validation loss became " + val.loss() + " after epoch " + epochsRun, epochsRun);
        }
        EpochMetrics m = new EpochMetrics(epochsRun, lossSum / n, val.loss(), val.accuracy(), val.rmse(), lr,
            priorSeconds + seconds());
        history.add(m);
        EpochListener.Decision decision = control.listener().onEpoch(m);
        if (bestParams != null) {
          if (val.loss() < bestLoss - t.minDelta()) {
            bestLoss = val.loss();
            bestEpoch = epochsRun;
            sinceBest = 0;
            System.arraycopy(net.parameters(), 0, bestParams, 0, paramCount);
            System.arraycopy(net.state(), 0, bestState, 0, bestState.length);
          } else if (++sinceBest >= t.patience()) {
            status = TrainingStatus.EARLY_STOPPED;
            reason = String.format(Locale.ROOT, "validation loss did not improve by more than %.3g for %d epochs; "
                + "best %.6g at epoch %d", t.minDelta(), t.patience(), bestLoss, bestEpoch);
            break;
          }
        }
        if (decision == EpochListener.Decision.STOP) {
          status = TrainingStatus.STOPPED;
          reason = "stopped by the epoch listener after epoch " + epochsRun;
          break;
        }
        if (epochsRun == pauseAfter && epochsRun < t.epochs()) {
          status = TrainingStatus.PAUSED;
          reason = "paused after epoch " + epochsRun + " of " + t.epochs();
          checkpoint = new TrainingCheckpoint(spec, DatasetHash.of(split), epochsRun, step, firstLoss, bestLoss,
              bestEpoch, sinceBest, optimizer.stepCount(), net.dropoutDraws(), priorSeconds + seconds(), history,
              net.parameters(), net.state(), optimizer.stateBuffers(), bestParams, bestState);
          break;
        }
      }
      if (bestParams != null && bestEpoch > 0 && status != TrainingStatus.CANCELLED) {
        System.arraycopy(bestParams, 0, net.parameters(), 0, paramCount);
        System.arraycopy(bestState, 0, net.state(), 0, bestState.length);
      }
      double trainingSeconds = seconds();
      Provenance provenance = new Provenance(spec.seed(), DatasetHash.of(split), control.strataVersion(), Instant.now());
      TrainedNetwork model = new TrainedNetwork(net, provenance);
      if (status == TrainingStatus.CANCELLED) {
        return new TrainingResult(status, reason, emptyMetrics(net, trainingSeconds, epochsRun, est), history, model, est);
      }
      long evalStart = System.nanoTime();
      SplitMetrics trainM = evaluator.evaluate(split.train());
      SplitMetrics valM = evaluator.evaluate(split.validation());
      SplitMetrics testM = evaluator.evaluate(split.test());
      double evalSeconds = (System.nanoTime() - evalStart) / 1e9;
      TrainingMetrics metrics = new TrainingMetrics(trainM, valM, testM, net.parameterCount(), net.flopsPerSample(),
          trainingSeconds, evalSeconds, epochsRun, est.totalBytes());
      return new TrainingResult(status, reason, metrics, history, model, est, checkpoint);
    }

    /** Fisher-Yates with the run's shuffle stream. */
    private void shuffle() {
      for (int i = order.length - 1; i > 0; i--) {
        int j = shuffleRng.nextInt(i + 1);
        int tmp = order[i];
        order[i] = order[j];
        order[j] = tmp;
      }
    }

    private TrainingResult diverged(String reason, int epochsRun) {
      return new TrainingResult(TrainingStatus.DIVERGED, reason, emptyMetrics(net, seconds(), epochsRun, est), history,
          null, est);
    }
  }
}
