package dev.strata.experiments.objective;

import dev.strata.experiments.mapping.Mapping;
import dev.strata.experiments.mapping.NetworkMapper;
import dev.strata.experiments.run.TrialClassification;
import dev.strata.experiments.run.TrialContext;
import dev.strata.experiments.run.TrialEvaluator;
import dev.strata.experiments.run.TrialResult;
import dev.strata.search.space.SearchSpace;
import dev.strata.search.trial.Configuration;
import dev.strata.search.trial.Constraint;
import dev.strata.search.trial.Goal;
import dev.strata.search.trial.Objectives;
import dev.strata.search.trial.TrialStatus;
import dev.strata.trainer.data.Dataset;
import dev.strata.trainer.nn.Network;
import dev.strata.trainer.spec.ImageShape;
import dev.strata.trainer.spec.NetworkSpec;
import dev.strata.trainer.spec.NetworkSpecs;
import dev.strata.trainer.train.ClassMetrics;
import dev.strata.trainer.train.DatasetHash;
import dev.strata.trainer.train.EpochListener;
import dev.strata.trainer.train.SplitMetrics;
import dev.strata.trainer.train.TrainedNetwork;
import dev.strata.trainer.train.Trainer;
import dev.strata.trainer.train.TrainingCheckpoint;
import dev.strata.trainer.train.TrainingControl;
import dev.strata.trainer.train.TrainingMetrics;
import dev.strata.trainer.train.TrainingResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Trains the network a configuration maps to ({@link NetworkMapper}) on the run's shared {@link
 * PreparedData}, on the calling thread, with the trial's seed.
 *
 * <ul>
 *   <li>Epochs: the trial's resource (a scheduler's rung) when set, else the budget's {@code
 *       maxEpochs}, else the configuration's {@code epochs}. Each epoch is reported to {@link
 *       TrialContext#reportEpoch}; a {@code false} answer stops training (the runner records the
 *       trial as PRUNED or INTERRUPTED). {@link TrialContext#shouldStop()} cancels between batches.
 *   <li>Rungs: with a scheduler the network is always specified for the top rung ({@code
 *       maxEpochs}, which the learning-rate schedule spans) and training pauses at the trial's
 *       rung; the full training state ({@link TrainingCheckpoint}) then goes to {@link
 *       TrialContext#checkpointPath()}. A promoted trial continues from it ({@link
 *       TrialContext#resumeFrom()}) and trains only the extra epochs, ending exactly as a trial
 *       trained straight to the new rung. A missing, damaged or mismatched checkpoint is noted in
 *       the run log and the trial retrains from its seed (same result, more time).
 *   <li>Time: {@link TrialContext#maxSeconds()} becomes the trainer's time budget.
 *   <li>Model: a trial trained to its last epoch saves its network (with provenance) to {@link
 *       TrialContext#checkpointPath()}; {@code strata export} uses it.
 *   <li>Statuses: completed or early-stopped: COMPLETED; diverged: DIVERGED; rejected by the spec
 *       check or the memory guard: REJECTED; timed out: FAILED; stopped or cancelled: INTERRUPTED.
 *   <li>Metrics: val_accuracy, test_accuracy, train_accuracy, and for the validation and test parts
 *       balanced_accuracy, f1_macro, roc_auc and log_loss (classification, e.g. {@code
 *       val_balanced_accuracy}), val_rmse, test_rmse (regression), val_loss, test_loss,
 *       train_loss, params, flops, epochs; with a goal or constraint on it, the measured {@code
 *       latency_ms_b1} and {@code latency_ms_b64} ({@link InferenceLatency}, not reproducible bits).
 * </ul>
 *
 * Thread-safe: the data is read-only and each call trains its own network.
 */
public final class TrainingEvaluator implements TrialEvaluator {

  private final PreparedData data;
  private final NetworkMapper mapper;
  private final int maxEpochs;
  private final Trainer trainer = new Trainer();
  private final String version;
  /** With k-fold cross-validation, one evaluator per fold; empty otherwise. */
  private final List<TrainingEvaluator> foldEvaluators;
  /** Constraints on {@code params} and {@code flops}, checked on the planned network before training. */
  private final List<Constraint> beforeTraining;
  /** Whether a trained network's inference latency is measured ({@link InferenceLatency}). */
  private final boolean measureLatency;

  public TrainingEvaluator(PreparedData data, SearchSpace space, int maxEpochs) {
    this(data, space, maxEpochs, List.of());
  }

  /**
   * An evaluator for an experiment's goals and constraints: constraints on {@code params} and
   * {@code flops} are checked before training (below), and when a goal or constraint names a
   * latency metric every trained network's latency is measured after training.
   */
  public TrainingEvaluator(PreparedData data, SearchSpace space, int maxEpochs, Objectives objectives) {
    this(data, space, maxEpochs, objectives.constraints(), InferenceLatency.named(java.util.stream.Stream.concat(
        objectives.goals().stream().map(Goal::metric), objectives.constraints().stream().map(Constraint::metric))
        .toList()));
  }

  /**
   * An evaluator that checks the constraints on {@code params} and {@code flops} (others are
   * ignored here) on the planned network before training: a candidate that breaks one ends
   * REJECTED with the reason and its {@code params} and {@code flops} metrics, untrained, and
   * the strategy judges its violation from them ({@link dev.strata.search.trial.Objectives}).
   */
  public TrainingEvaluator(PreparedData data, SearchSpace space, int maxEpochs, List<Constraint> constraints) {
    this(data, space, maxEpochs, constraints, false);
  }

  private TrainingEvaluator(PreparedData data, SearchSpace space, int maxEpochs, List<Constraint> constraints,
      boolean measureLatency) {
    this.data = Objects.requireNonNull(data, "data");
    this.measureLatency = measureLatency;
    this.beforeTraining = constraints.stream()
        .filter(c -> c.metric().equals("params") || c.metric().equals("flops")).toList();
    this.foldEvaluators = data.folds().stream()
        .map(f -> new TrainingEvaluator(f, space, maxEpochs, beforeTraining, measureLatency)).toList();
    this.mapper = new NetworkMapper(imageShape(data), data.inputs(), data.outputs(), data.classification(), Set.of());
    this.maxEpochs = maxEpochs;
    this.version = dev.strata.experiments.run.StrataVersion.get();
  }

  public PreparedData data() {
    return data;
  }

  /** The shape of the data's images (from its pixel feature names), or null when the features are not pixels. */
  static ImageShape imageShape(PreparedData data) {
    int[] chw = data.schema().imageSize();
    return chw == null || chw[0] * chw[1] * chw[2] != data.inputs() ? null : ImageShape.of(chw[0], chw[1], chw[2]);
  }

  /** The epochs every trial is specified for (0: the configuration's own). */
  int maxEpochs() {
    return maxEpochs;
  }

  /** The mapper from configurations to networks for this data. */
  public NetworkMapper mapper() {
    return mapper;
  }

  /**
   * Trains the configuration (see the class comment). With k-fold cross-validation it trains once
   * per fold, in fold order, with the same seed: fold 0 reports its epochs and saves the model, the
   * others train quietly; the trial's metrics are the means over the folds, each {@code val_},
   * {@code test_} and {@code train_} metric with its sample standard deviation as {@code NAME_sd},
   * and {@code folds}. A fold that does not complete ends the trial with its status and reason.
   */
  @Override
  public TrialResult evaluate(Configuration configuration, TrialContext context) {
    if (foldEvaluators.isEmpty()) {
      return evaluateOne(configuration, context, true);
    }
    int k = foldEvaluators.size();
    List<TrialResult> results = new ArrayList<>();
    double seconds = 0;
    for (int i = 0; i < k; i++) {
      TrialResult r = foldEvaluators.get(i).evaluateOne(configuration, i == 0 ? context : quiet(context), i == 0);
      seconds += r.trainSeconds();
      if (r.status() != TrialStatus.COMPLETED) {
        return new TrialResult(r.status(), r.metrics(), r.parameters(), r.flops(), seconds, r.networkSpecJson(),
            "fold " + (i + 1) + " of " + k + ": " + r.reason());
      }
      results.add(r);
    }
    TrialResult first = results.getFirst();
    return new TrialResult(TrialStatus.COMPLETED, meanOverFolds(results), first.parameters(), first.flops(), seconds,
        first.networkSpecJson(), "");
  }

  /** The means over folds (in fold order), {@code NAME_sd} (sample standard deviation) and {@code folds}. */
  static Map<String, Double> meanOverFolds(List<TrialResult> results) {
    Map<String, Double> out = new java.util.TreeMap<>();
    for (String key : results.getFirst().metrics().keySet()) {
      if (!results.stream().allMatch(r -> r.metrics().containsKey(key))) {
        continue;
      }
      double sum = 0;
      for (TrialResult r : results) {
        sum += r.metrics().get(key);
      }
      double mean = sum / results.size();
      out.put(key, mean);
      if (key.startsWith("val_") || key.startsWith("test_") || key.startsWith("train_")) {
        double ss = 0;
        for (TrialResult r : results) {
          double d = r.metrics().get(key) - mean;
          ss += d * d;
        }
        out.put(key + "_sd", Math.sqrt(ss / (results.size() - 1)));
      }
    }
    out.put("folds", (double) results.size());
    return out;
  }

  /** The trial's context for folds after the first: no epoch reports, no checkpoint to continue from. */
  private static TrialContext quiet(TrialContext context) {
    return new TrialContext() {
      @Override public long seed() {
        return context.seed();
      }

      @Override public long trialId() {
        return context.trialId();
      }

      @Override public int resource() {
        return context.resource();
      }

      @Override public double maxSeconds() {
        return context.maxSeconds();
      }

      @Override public java.util.Optional<Path> resumeFrom() {
        return java.util.Optional.empty();
      }

      @Override public Path checkpointPath() {
        return context.checkpointPath();
      }

      @Override public boolean reportEpoch(int epoch, double trainLoss, double valLoss, double valMetric, double seconds) {
        return !context.shouldStop();
      }

      @Override public boolean shouldStop() {
        return context.shouldStop();
      }

      @Override public void note(String message) {
        context.note(message);
      }
    };
  }

  private TrialResult evaluateOne(Configuration configuration, TrialContext context, boolean save) {
    int target = context.resource() > 0 ? context.resource() : maxEpochs;
    int horizon = Math.max(target, maxEpochs);
    int pauseAfter = target < horizon ? target : 0;
    Mapping mapping = mapper.map(configuration, context.seed(), horizon);
    if (mapping instanceof Mapping.Rejected r) {
      return TrialResult.failed(TrialStatus.REJECTED, r.reason());
    }
    NetworkSpec mapped = data.withTrainingOptions(((Mapping.Network) mapping).spec());
    if (!beforeTraining.isEmpty()) {
      Network planned = Network.of(mapped);
      Map<String, Double> known = new LinkedHashMap<>();
      known.put("params", (double) planned.parameterCount());
      known.put("flops", (double) planned.flopsPerSample());
      for (Constraint c : beforeTraining) {
        if (c.violation(known.get(c.metric())) > 0) {
          return new TrialResult(TrialStatus.REJECTED, known, planned.parameterCount(), planned.flopsPerSample(), 0,
              null, "infeasible before training: " + c.metric() + " " + Math.round(known.get(c.metric()))
              + " breaks the constraint " + c);
        }
      }
    }
    NetworkSpec spec = context.maxSeconds() > 0
        ? mapped.withTraining(mapped.training().withMaxSeconds(context.maxSeconds())) : mapped;
    EpochListener listener = m -> context.reportEpoch(m.epoch(), m.trainLoss(), m.validationLoss(),
        m.validationMetric(), m.seconds()) ? EpochListener.Decision.CONTINUE : EpochListener.Decision.STOP;
    TrainingControl control = TrainingControl.defaults()
        .withListener(listener)
        .withCancellation(context::shouldStop)
        .withStrataVersion(version);
    TrainingCheckpoint from = context.resumeFrom().map(p -> usableCheckpoint(p, spec, target, context)).orElse(null);
    TrainingResult result = from != null
        ? trainer.resume(from, data.split(), control, pauseAfter)
        : trainer.train(spec, data.split(), control, pauseAfter);
    String specJson = NetworkSpecs.toJson(spec);
    Map<String, Double> metrics = metrics(result.metrics());
    long params = result.metrics() == null ? 0 : result.metrics().parameterCount();
    double flops = result.metrics() == null ? 0 : result.metrics().flopsPerSample();
    double seconds = result.metrics() == null ? 0 : result.metrics().trainingSeconds();
    TrialStatus status = TrialClassification.of(result.status());
    if (status == TrialStatus.COMPLETED && result.hasNetwork() && data.classification()) {
      classMetrics(metrics, "val", result.network(), data.split().validation());
      classMetrics(metrics, "test", result.network(), data.split().test());
    }
    if (measureLatency && status == TrialStatus.COMPLETED && result.hasNetwork()) {
      Dataset rows = data.split().validation().rows() > 0 ? data.split().validation() : data.split().train();
      InferenceLatency.measure(metrics, result.network(), rows);
    }
    String reason = status == TrialStatus.COMPLETED ? "" : result.status() == dev.strata.trainer.train.TrainingStatus.TIMED_OUT
        ? TrialClassification.timedOut(context.maxSeconds(), result.reason())
        : result.reason();
    if (save && result.hasNetwork()) {
      try {
        Files.createDirectories(context.checkpointPath().toAbsolutePath().getParent());
        if (result.checkpoint() != null) {
          result.checkpoint().write(context.checkpointPath());
        } else {
          data.model(result.network()).save(context.checkpointPath());
        }
      } catch (IOException e) {
        // the result stands: a promotion retrains from scratch, export retrains
        context.note("could not save its checkpoint: " + e.getMessage());
      }
    }
    return new TrialResult(status, metrics, params, flops, seconds, specJson, reason);
  }

  /**
   * The checkpoint at {@code file} when it continues this trial's training ({@code spec}, on this
   * data, before {@code target}); otherwise null, with a note saying why.
   */
  private TrainingCheckpoint usableCheckpoint(Path file, NetworkSpec spec, int target, TrialContext context) {
    String problem;
    try {
      TrainingCheckpoint c = TrainingCheckpoint.read(file);
      if (!NetworkSpecs.toJson(c.spec()).equals(NetworkSpecs.toJson(spec))) {
        problem = "it holds another network or training spec";
      } else if (!c.datasetHash().equals(dataHash())) {
        problem = "it was trained on other data";
      } else if (c.epochs() >= target) {
        problem = "it is already at epoch " + c.epochs() + ", not before " + target;
      } else {
        return c;
      }
    } catch (IOException e) {
      problem = e.getMessage();
    }
    context.note("cannot continue from checkpoint " + file.getFileName() + " (" + problem + "); retraining from scratch");
    return null;
  }

  private volatile String dataHash;

  /** The training data's hash as checkpoints record it; computed once. */
  private String dataHash() {
    String h = dataHash;
    if (h == null) {
      h = DatasetHash.of(data.split());
      dataHash = h;
    }
    return h;
  }

  static Map<String, Double> metrics(TrainingMetrics m) {
    Map<String, Double> out = new LinkedHashMap<>();
    if (m == null) {
      return out;
    }
    put(out, "val", m.validation());
    put(out, "test", m.test());
    put(out, "train", m.train());
    out.put("params", (double) m.parameterCount());
    out.put("flops", (double) m.flopsPerSample());
    out.put("epochs", (double) m.epochsRun());
    out.values().removeIf(v -> v == null || !Double.isFinite(v));
    return out;
  }

  /**
   * {@code PART_balanced_accuracy}, {@code PART_f1_macro}, {@code PART_roc_auc} and {@code
   * PART_log_loss} of a classifier on one part ({@link ClassMetrics}); nothing for an empty part,
   * and an undefined value (AUC with one class present) is left out.
   */
  static void classMetrics(Map<String, Double> out, String part, TrainedNetwork network, Dataset rows) {
    if (rows.rows() == 0) {
      return;
    }
    float[] p = network.predict(rows.x(), rows.rows());
    int k = network.spec().outputs();
    if (k == 1) {
      float[] two = new float[rows.rows() * 2];
      for (int r = 0; r < rows.rows(); r++) {
        two[2 * r] = 1 - p[r];
        two[2 * r + 1] = p[r];
      }
      p = two;
      k = 2;
    }
    ClassMetrics.of(p, rows.labels(), rows.rows(), k).forEach((name, v) -> {
      if (!name.equals("accuracy") && Double.isFinite(v)) {
        out.put(part + "_" + name, v);
      }
    });
  }

  private static void put(Map<String, Double> out, String part, SplitMetrics s) {
    if (s == null) {
      return;
    }
    out.put(part + "_accuracy", s.accuracy());
    out.put(part + "_loss", s.loss());
    out.put(part + "_rmse", s.rmse());
  }

  /** The network spec JSON a configuration maps to with this seed. */
  public String networkJson(Configuration configuration, long seed) {
    Mapping mapping = mapper.map(configuration, seed, maxEpochs);
    if (mapping instanceof Mapping.Network n) {
      return NetworkSpecs.toJson(data.withTrainingOptions(n.spec()));
    }
    throw new IllegalArgumentException("the configuration does not map to a network: "
        + ((Mapping.Rejected) mapping).reason());
  }

  /**
   * Retrains a network spec file on this data (same spec, seed included, same data: the same
   * weights) and saves it to {@code weights}.
   *
   * @throws IllegalStateException when the training does not produce a network
   */
  public void retrain(Path networkFile, Path weights) throws IOException {
    NetworkSpec spec = NetworkSpecs.read(networkFile);
    TrainingResult result = trainer.train(spec, data.split(), TrainingControl.defaults().withStrataVersion(version));
    if (!result.hasNetwork()) {
      throw new IllegalStateException("retraining ended " + result.status() + ": " + result.reason());
    }
    data.model(result.network()).save(weights);
  }
}
