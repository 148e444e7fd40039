package dev.strata.experiments.bench;

import dev.strata.experiments.objective.Evaluators;
import dev.strata.experiments.objective.PrescreenedEvaluator;
import dev.strata.experiments.objective.ProxyScorer;
import dev.strata.experiments.objective.TrainingEvaluator;
import dev.strata.experiments.run.Seeds;
import dev.strata.experiments.spec.ExperimentReader;
import dev.strata.experiments.spec.ExperimentSpec;
import dev.strata.experiments.store.RunStore;
import dev.strata.runs.RunReader;
import dev.strata.runs.TrialQuery;
import dev.strata.search.prescreen.ProxyCorrelation;
import dev.strata.search.trial.StudyRecord;
import dev.strata.search.trial.TrialRecord;
import dev.strata.search.trial.TrialStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Pre-screening figures on finished runs (run by {@code bench/prescreen.sh}; a harness, not a
 * test):
 *
 * <ul>
 *   <li>{@code rho RUN...}: Spearman's ρ of each stored proxy against the objective, per study and
 *       over all completed trials of the runs ({@link ProxyCorrelation}).
 *   <li>{@code cost RUN [EVERY] [RETRAIN]}: re-scores every EVERY-th completed trial (its
 *       configuration and seed, as pre-screening does) by all proxies, by each alone and by the
 *       verdict alone, and compares the scoring time with the trial's stored training time; then
 *       retrains the first RETRAIN of them and compares CPU times.
 *   <li>{@code verdict RUN N}: trains the first N trials the mean-field verdict ended UNTRAINABLE
 *       (as an unscreened search would: same configuration, seed and epochs) and prints their
 *       validation accuracy beside the run's trained ones.
 *   <li>{@code tta PLAIN SCREENED}: for two runs of one seed (parallel 1), the final best-so-far of
 *       PLAIN, and the trials and wall-clock seconds (from the run's creation) each run needed to
 *       reach it.
 * </ul>
 */
public final class PrescreenBenchmark {

  private PrescreenBenchmark() {}

  public static void main(String[] args) {
    switch (args[0]) {
      case "rho" -> rho(Arrays.stream(args).skip(1).map(Path::of).toList());
      case "cost" -> cost(Path.of(args[1]), args.length > 2 ? Integer.parseInt(args[2]) : 1,
          args.length > 3 ? Integer.parseInt(args[3]) : 0);
      case "tta" -> tta(Path.of(args[1]), Path.of(args[2]));
      case "verdict" -> verdict(Path.of(args[1]), Integer.parseInt(args[2]));
      default -> throw new IllegalArgumentException("mode rho, cost or tta, got " + args[0]);
    }
  }

  static List<TrialRecord> completed(RunReader r) {
    List<TrialRecord> out = new ArrayList<>();
    long after = 0;
    while (true) {
      var page = r.trials(new TrialQuery(Optional.empty(), Optional.empty(), Optional.of(TrialStatus.COMPLETED), "id", true,
          0, 1000, after, 0));
      out.addAll(page.items());
      if (page.items().isEmpty() || !page.hasNext()) {
        return out;
      }
      after = page.items().getLast().id();
    }
  }

  static void rho(List<Path> runs) {
    List<ProxyCorrelation.Trial> all = new ArrayList<>();
    for (Path run : runs) {
      try (RunReader r = RunStore.openReader(run)) {
        Map<Long, String> label = new TreeMap<>();
        r.studies().forEach(s -> label.put(s.id(), s.label()));
        Map<Long, List<ProxyCorrelation.Trial>> byStudy = new TreeMap<>();
        for (TrialRecord t : completed(r)) {
          var trial = new ProxyCorrelation.Trial(ProxyCorrelation.scoresOf(t.tags()), t.value());
          byStudy.computeIfAbsent(t.studyId(), k -> new ArrayList<>()).add(trial);
          all.add(trial);
        }
        byStudy.forEach((id, trials) -> print(run.getFileName() + " " + label.get(id), trials));
      }
    }
    print("all", all);
  }

  private static void print(String what, List<ProxyCorrelation.Trial> trials) {
    StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-28s n=%3d", what, trials.size()));
    for (ProxyCorrelation.Result c : ProxyCorrelation.of(trials, 1)) {
      b.append(String.format(Locale.ROOT, "  %s %.3f (%d)", c.proxy(), c.rho(), c.trials()));
    }
    System.out.println(b);
  }

  /** The scorings {@code cost} times: all four proxies, each alone, and the verdict alone. */
  static final List<String> COST_MODES = List.of("all", "naswot", "synflow", "snip", "grad_norm", "verdict");

  /**
   * Re-scores every {@code every}-th completed trial of {@code run} in each of {@link #COST_MODES}
   * (wall-clock and thread CPU time) against its stored training time, then retrains the first
   * {@code retrain} of them in this process and compares CPU time with CPU time (the figure that
   * load on the host does not skew).
   */
  static void cost(Path run, int every, int retrain) {
    try (RunReader r = RunStore.openReader(run)) {
      ExperimentSpec e = ExperimentReader.parseStored(r.experiment().specJson(), run.resolve("experiment.json").toString(),
          run.toAbsolutePath());
      TrainingEvaluator training = Evaluators.training(Evaluators.create(e));
      Map<String, ProxyScorer> scorers = new java.util.LinkedHashMap<>();
      for (String m : COST_MODES) {
        scorers.put(m, m.equals("all") || m.equals("verdict") ? new ProxyScorer(training, "naswot", true, true)
            : new ProxyScorer(training, m, true, false));
      }
      Map<Long, StudyRecord> studies = new TreeMap<>();
      r.studies().forEach(s -> studies.put(s.id(), s));
      List<TrialRecord> all = completed(r);
      // warm-up: the first pass compiles the kernels, as a long search's first minutes do
      for (TrialRecord t : all.subList(0, Math.min(20, all.size()))) {
        scorers.get("all").score(t.configuration(), 1);
        scorers.get("verdict").verdict(t.configuration(), 1);
      }
      List<TrialRecord> trials = new ArrayList<>();
      for (int i = 0; i < all.size(); i += Math.max(1, every)) {
        trials.add(all.get(i));
      }
      Map<String, double[][]> times = new java.util.LinkedHashMap<>(); // mode -> {wall ms, cpu ms} x trial
      for (String m : COST_MODES) {
        times.put(m, new double[2][trials.size()]);
      }
      for (int i = 0; i < trials.size(); i++) {
        TrialRecord t = trials.get(i);
        long seed = seed(e, studies, t);
        for (String m : COST_MODES) {
          long c0 = cpuNanos();
          long t0 = System.nanoTime();
          if (m.equals("verdict")) {
            scorers.get(m).verdict(t.configuration(), seed);
          } else {
            scorers.get(m).score(t.configuration(), seed);
          }
          times.get(m)[0][i] = (System.nanoTime() - t0) / 1e6;
          times.get(m)[1][i] = (cpuNanos() - c0) / 1e6;
        }
      }
      double[] trainWall = trials.stream().mapToDouble(TrialRecord::trainSeconds).toArray();
      System.out.printf(Locale.ROOT, "%d of %d trials (every %d); stored training (wall, under the run's load): median"
          + " %.2f s%n", trials.size(), all.size(), every, q(sorted(trainWall), 0.5));
      for (String m : COST_MODES) {
        double[] wall = times.get(m)[0];
        double[] ratio = new double[wall.length];
        for (int i = 0; i < wall.length; i++) {
          ratio[i] = wall[i] / 1e3 / trainWall[i];
        }
        System.out.printf(Locale.ROOT, "  %-9s scoring wall median %8.2f ms (p90 %8.2f), cpu median %8.2f ms (p90 %8.2f);"
            + " wall / stored training wall: median %.2f%%, p90 %.2f%%%n", m, q(sorted(wall), 0.5), q(sorted(wall), 0.9),
            q(sorted(times.get(m)[1]), 0.5), q(sorted(times.get(m)[1]), 0.9), 100 * q(sorted(ratio), 0.5),
            100 * q(sorted(ratio), 0.9));
      }
      int k = Math.min(retrain, trials.size());
      if (k == 0) {
        return;
      }
      double[] trainCpu = new double[k];
      double[] trainWallNow = new double[k];
      for (int i = 0; i < k; i++) {
        TrialRecord t = trials.get(i);
        long c0 = cpuNanos();
        long t0 = System.nanoTime();
        train(training, e, t, seed(e, studies, t));
        trainWallNow[i] = (System.nanoTime() - t0) / 1e6;
        trainCpu[i] = (cpuNanos() - c0) / 1e6;
      }
      System.out.printf(Locale.ROOT, "retrained the first %d in this process: training cpu median %.0f ms (p90 %.0f),"
          + " wall median %.0f ms%n", k, q(sorted(trainCpu), 0.5), q(sorted(trainCpu), 0.9), q(sorted(trainWallNow), 0.5));
      for (String m : COST_MODES) {
        double[] ratio = new double[k];
        double sc = 0;
        double tc = 0;
        for (int i = 0; i < k; i++) {
          ratio[i] = times.get(m)[1][i] / trainCpu[i];
          sc += times.get(m)[1][i];
          tc += trainCpu[i];
        }
        System.out.printf(Locale.ROOT, "  %-9s scoring cpu / training cpu: median %.2f%%, p90 %.2f%%, max %.2f%%;"
            + " summed %.2f%%%n", m, 100 * q(sorted(ratio), 0.5), 100 * q(sorted(ratio), 0.9),
            100 * sorted(ratio)[k - 1], 100 * sc / tc);
      }
    }
  }

  /**
   * CPU time of the calling thread, in nanoseconds (the process's CPU time ticks in 10 ms on Linux,
   * too coarse for a score). Scoring runs on this thread alone; a training whose matrix products
   * split across a pool would be undercounted, which only raises the ratio measured.
   */
  private static long cpuNanos() {
    return java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
  }

  private static double[] sorted(double[] v) {
    double[] c = v.clone();
    Arrays.sort(c);
    return c;
  }

  private static long seed(ExperimentSpec e, Map<Long, StudyRecord> studies, TrialRecord t) {
    StudyRecord s = studies.get(t.studyId());
    return Seeds.trial(e.seed(), s.strategy(), s.seed(), t.index());
  }

  private static double median(List<TrialRecord> trials) {
    double[] s = trials.stream().mapToDouble(TrialRecord::trainSeconds).sorted().toArray();
    return q(s, 0.5);
  }

  private static double q(double[] sorted, double p) {
    return sorted[(int) Math.min(sorted.length - 1, Math.floor(p * (sorted.length - 1) + 0.5))];
  }

  static void tta(Path plain, Path screened) {
    Curve a = curve(plain);
    Curve b = curve(screened);
    double target = a.best();
    System.out.printf(Locale.ROOT, "%s: best %.4f reached at trial %d, %.1f s (of %d trials, %.1f s); %s reaches it after %s"
        + " trials, %s s (its best %.4f after %d trials, %.1f s)%n", plain.getFileName(), target, a.reach(target) + 1,
        a.seconds[a.reach(target)], a.values.length, a.seconds[a.seconds.length - 1],
        screened.getFileName(), b.reach(target) < 0 ? "never (" + b.values.length + ")" : Integer.toString(b.reach(target) + 1),
        b.reach(target) < 0 ? "–" : String.format(Locale.ROOT, "%.1f", b.seconds[b.reach(target)]), b.best(),
        b.values.length, b.seconds[b.seconds.length - 1]);
  }

  /** The completed trials' values and wall-clock seconds since the run's creation, in finishing order. */
  record Curve(double[] values, double[] seconds) {
    double best() {
      return Arrays.stream(values).max().orElse(Double.NaN);
    }

    int reach(double target) {
      for (int i = 0; i < values.length; i++) {
        if (values[i] >= target) {
          return i;
        }
      }
      return -1;
    }
  }

  static Curve curve(Path run) {
    try (RunReader r = RunStore.openReader(run)) {
      Instant created = r.experiment().created();
      List<TrialRecord> done = new ArrayList<>(completed(r));
      done.sort((x, y) -> x.finished().compareTo(y.finished()));
      double[] v = done.stream().mapToDouble(TrialRecord::value).toArray();
      double[] s = done.stream().mapToDouble(t -> Duration.between(created, t.finished()).toNanos() / 1e9).toArray();
      return new Curve(v, s);
    }
  }

  static void verdict(Path run, int n) {
    try (RunReader r = RunStore.openReader(run)) {
      ExperimentSpec e = ExperimentReader.parseStored(r.experiment().specJson(), run.resolve("experiment.json").toString(),
          run.toAbsolutePath());
      TrainingEvaluator training = Evaluators.training(Evaluators.create(e));
      Map<Long, StudyRecord> studies = new TreeMap<>();
      r.studies().forEach(s -> studies.put(s.id(), s));
      var page = r.trials(new TrialQuery(Optional.empty(), Optional.empty(), Optional.of(TrialStatus.UNTRAINABLE), "id",
          true, 0, Math.max(1, n)));
      List<Double> acc = new ArrayList<>();
      for (TrialRecord t : page.items()) {
        StudyRecord s = studies.get(t.studyId());
        long seed = Seeds.trial(e.seed(), s.strategy(), s.seed(), t.index());
        var result = train(training, e, t, seed);
        double v = result.metrics().getOrDefault(e.objective().metric(), Double.NaN);
        acc.add(v);
        System.out.printf(Locale.ROOT, "trial %d: %s %s -> %s %.4f%n", t.id(), t.reason(), t.configuration().canonicalJson(),
            result.status(), v);
      }
      double[] trained = completed(r).stream().mapToDouble(TrialRecord::value).sorted().toArray();
      double[] u = acc.stream().mapToDouble(Double::doubleValue).filter(Double::isFinite).sorted().toArray();
      System.out.printf(Locale.ROOT, "verdict-untrainable, trained anyway: n=%d, median %s %.4f, max %.4f; the run's trained"
          + " trials: n=%d, median %.4f%n", u.length, e.objective().metric(), u.length == 0 ? Double.NaN : q(u, 0.5),
          u.length == 0 ? Double.NaN : u[u.length - 1], trained.length, q(trained, 0.5));
    }
  }

  /** Trains trial {@code t}'s configuration with {@code seed} as an unscreened search would. */
  static dev.strata.experiments.run.TrialResult train(TrainingEvaluator training, ExperimentSpec e, TrialRecord t,
      long seed) {
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"), "prescreen-verdict-" + t.id() + ".bin");
    var result = training.evaluate(t.configuration(), new dev.strata.experiments.run.TrialContext() {
      @Override public long seed() {
        return seed;
      }

      @Override public long trialId() {
        return t.id();
      }

      @Override public int resource() {
        return e.search().budget().maxEpochs();
      }

      @Override public double maxSeconds() {
        return 0;
      }

      @Override public Optional<Path> resumeFrom() {
        return Optional.empty();
      }

      @Override public Path checkpointPath() {
        return tmp;
      }

      @Override public boolean reportEpoch(int epoch, double trainLoss, double valLoss, double valMetric, double seconds) {
        return true;
      }

      @Override public boolean shouldStop() {
        return false;
      }

      @Override public void note(String message) {
      }
    });
    try {
      java.nio.file.Files.deleteIfExists(tmp);
    } catch (java.io.IOException ignored) {
      // a temporary file
    }
    return result;
  }
}
