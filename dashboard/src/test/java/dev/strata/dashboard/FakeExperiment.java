package dev.strata.dashboard;

import dev.strata.runs.RunState;
import dev.strata.search.trial.Configuration;
import dev.strata.search.trial.Direction;
import dev.strata.search.trial.StudyRecord;
import dev.strata.search.trial.TrialStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A pretend running experiment over an {@link InMemoryRun}: several strategies × seeds propose
 * network configurations (plain, residual and inception blocks), train them for a few epochs
 * (with learning-curve events) and finish them: mostly completed, some failed, diverged,
 * rejected or pruned. Deterministic for a given seed; {@link #step()} advances one tick, {@link
 * #startGrowing(long)} ticks on a background thread.
 */
final class FakeExperiment implements AutoCloseable {

  static final List<String> STRATEGIES = List.of("random", "evolution", "bayesian");
  private static final String[] TYPES = {"plain", "residual", "inception"};
  private static final int[] WIDTHS = {32, 64, 128, 256};
  private static final String[] ACTIVATIONS = {"relu", "tanh", "sigmoid"};
  private static final String[] OPTIMIZERS = {"sgd", "momentum", "adam", "rmsprop"};
  static final int EPOCHS = 4;

  final InMemoryRun run;
  private final Random random;
  private final List<StudyRecord> studies = new ArrayList<>();
  private final Map<Long, Integer> nextIndex = new LinkedHashMap<>();
  private final List<Running> running = new ArrayList<>();
  private final int parallel;
  private ScheduledExecutorService timer;

  private record Running(long trialId, StudyRecord study, int index, double quality, long parameters, int[] epoch) {}

  FakeExperiment(String name, List<String> strategies, List<Long> seeds, int budgetPerStudy, long seed) {
    this.run = new InMemoryRun(name, "val_accuracy", Direction.MAXIMIZE);
    this.random = new Random(seed);
    for (String s : strategies) {
      for (long sd : seeds) {
        StudyRecord st = run.addStudy(s, sd, budgetPerStudy);
        studies.add(st);
        nextIndex.put(st.id(), 0);
      }
    }
    this.parallel = Math.max(2, studies.size());
  }

  /** A run with every trial finished at once, for tests and benchmarks that need volume. */
  static InMemoryRun finished(String name, int trialsPerStudy, List<String> strategies, List<Long> seeds, long seed) {
    FakeExperiment f = new FakeExperiment(name, strategies, seeds, trialsPerStudy, seed);
    for (StudyRecord st : f.studies) {
      for (int i = 0; i < trialsPerStudy; i++) {
        Proposal p = f.propose(st, i);
        long id = f.run.startTrial(st.id(), i, p.config(), p.spec());
        f.finish(new Running(id, st, i, p.quality(), p.parameters(), new int[] {EPOCHS}));
      }
    }
    f.run.setState(RunState.FINISHED);
    return f.run;
  }

  /** One tick: running trials advance an epoch (finishing after the last), free slots start new trials. */
  synchronized void step() {
    List<Running> done = new ArrayList<>();
    for (Running r : running) {
      int e = ++r.epoch()[0];
      double progress = (double) e / EPOCHS;
      double acc = r.quality() * (0.6 + 0.4 * progress) + random.nextGaussian() * 0.005;
      run.addEpoch(r.trialId(), e, 2.3 * (1 - acc) + 0.05, 2.3 * (1 - acc) + 0.1, acc, e * 1.5);
      if (e >= EPOCHS) {
        done.add(r);
      }
    }
    for (Running r : done) {
      running.remove(r);
      finish(r);
    }
    while (running.size() < parallel) {
      StudyRecord st = studies.stream().filter(s -> nextIndex.get(s.id()) < s.budgetTrials())
          .min(java.util.Comparator.comparingInt(s -> nextIndex.get(s.id()))).orElse(null);
      if (st == null) {
        if (running.isEmpty() && run.experiment().state() != RunState.FINISHED) {
          run.setState(RunState.FINISHED);
        }
        return;
      }
      int index = nextIndex.merge(st.id(), 1, Integer::sum) - 1;
      Proposal p = propose(st, index);
      long id = run.startTrial(st.id(), index, p.config(), p.spec());
      running.add(new Running(id, st, index, p.quality(), p.parameters(), new int[] {0}));
    }
  }

  private void finish(Running r) {
    double u = random.nextDouble();
    double seconds = r.epoch()[0] * 1.5 + random.nextDouble();
    if (u < 0.04) {
      run.finishTrial(r.trialId(), TrialStatus.DIVERGED, Double.NaN, r.parameters(), seconds, "loss became NaN at epoch 2");
    } else if (u < 0.07) {
      run.finishTrial(r.trialId(), TrialStatus.FAILED, Double.NaN, r.parameters(), seconds, "worker crashed");
    } else if (u < 0.09) {
      run.finishTrial(r.trialId(), TrialStatus.REJECTED, Double.NaN, r.parameters(), 0, "too large for memory");
    } else if (u < 0.13) {
      run.finishTrial(r.trialId(), TrialStatus.PRUNED, r.quality() * 0.8, r.parameters(), seconds / 2, "below median at epoch 2");
    } else {
      run.finishTrial(r.trialId(), TrialStatus.COMPLETED, r.quality(), r.parameters(), seconds, "");
    }
  }

  /** Starts ticking every {@code periodMillis} on a daemon thread. */
  FakeExperiment startGrowing(long periodMillis) {
    timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "fake-experiment");
      t.setDaemon(true);
      return t;
    });
    timer.scheduleAtFixedRate(this::step, 0, periodMillis, TimeUnit.MILLISECONDS);
    return this;
  }

  @Override
  public void close() {
    if (timer != null) {
      timer.shutdownNow();
    }
  }

  record Proposal(Configuration config, String spec, double quality, long parameters) {}

  /** A configuration whose quality improves with the index, faster for model-based strategies. */
  Proposal propose(StudyRecord study, int index) {
    int blocks = 1 + random.nextInt(4);
    List<Map<String, Object>> blockList = new ArrayList<>();
    StringBuilder spec = new StringBuilder("{\"inputs\":64,\"outputs\":10,\"blocks\":[");
    long params = 0;
    int prev = 64;
    for (int b = 0; b < blocks; b++) {
      String type = index == 0 && b == 0 ? "residual" : TYPES[random.nextInt(TYPES.length)];
      int width = WIDTHS[random.nextInt(WIDTHS.length)];
      int layers = 1 + random.nextInt(3);
      String act = ACTIVATIONS[random.nextInt(ACTIVATIONS.length)];
      Map<String, Object> block = new LinkedHashMap<>();
      block.put("type", type);
      block.put("width", width);
      block.put("layers", layers);
      block.put("activation", act);
      if (b > 0) {
        spec.append(',');
      }
      if (type.equals("inception")) {
        int branches = 2 + random.nextInt(3);
        block.put("branches", branches);
        spec.append("{\"type\":\"inception\",\"branches\":[");
        int concat = 0;
        for (int i = 0; i < branches; i++) {
          int bw = Math.max(16, width / 2 >> (i % 2));
          int bl = 1 + (i % 2);
          spec.append(i > 0 ? "," : "").append(String.format(Locale.ROOT,
              "{\"width\":%d,\"layers\":%d,\"activation\":\"%s\"}", bw, bl, act));
          params += (long) prev * bw + bw + (long) (bl - 1) * (bw * bw + bw);
          concat += bw;
        }
        spec.append(String.format(Locale.ROOT, "],\"projection\":%d,\"dropout\":0.1}", width));
        params += (long) concat * width + width;
      } else {
        spec.append(String.format(Locale.ROOT,
            "{\"type\":\"%s\",\"width\":%d,\"layers\":%d,\"activation\":\"%s\",\"dropout\":0.0}", type, width, layers, act));
        params += (long) prev * width + width + (long) (layers - 1) * (width * width + width);
        if (type.equals("residual") && prev != width) {
          params += (long) prev * width;
        }
      }
      prev = width;
      blockList.add(block);
    }
    params += (long) prev * 10 + 10;
    String optimizer = OPTIMIZERS[random.nextInt(OPTIMIZERS.length)];
    double lr = Math.pow(10, -4 + 3 * random.nextDouble());
    int batch = new int[] {16, 32, 64, 128}[random.nextInt(4)];
    spec.append(String.format(Locale.ROOT,
        "],\"outputActivation\":\"softmax\",\"loss\":\"cross_entropy\",\"training\":{\"optimizer\":\"%s\",\"learningRate\":%s,\"batchSize\":%d,\"epochs\":%d},\"seed\":%d}",
        optimizer, lr, batch, EPOCHS, study.seed()));
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("blocks", blockList);
    config.put("optimizer", optimizer);
    config.put("learningRate", lr);
    config.put("batchSize", batch);
    config.put("init", random.nextBoolean() ? "he" : "glorot");
    double skill = switch (study.strategy()) {
      case "bayesian" -> 0.06;
      case "evolution" -> 0.04;
      default -> 0.015;
    };
    double quality = Math.min(0.995, 0.80 + 0.12 * (1 - Math.exp(-skill * index)) + random.nextDouble() * 0.06
        - Math.abs(Math.log10(lr) + 2.5) * 0.01);
    return new Proposal(Configuration.of(config), spec.toString(), quality, params);
  }
}
