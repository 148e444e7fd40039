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
 *   <li>{@code cost RUN}: re-scores every completed trial (its configuration and seed, as
 *       pre-screening does) and compares the scoring time with the trial's training time.
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
      case "cost" -> cost(Path.of(args[1]));
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

  static void cost(Path run) {
    try (RunReader r = RunStore.openReader(run)) {
      ExperimentSpec e = ExperimentReader.parseStored(r.experiment().specJson(), run.resolve("experiment.json").toString(),
          run.toAbsolutePath());
      TrainingEvaluator training = Evaluators.training(Evaluators.create(e));
      ProxyScorer scorer = new ProxyScorer(training, "naswot");
      Map<Long, StudyRecord> studies = new TreeMap<>();
      r.studies().forEach(s -> studies.put(s.id(), s));
      List<TrialRecord> trials = completed(r);
      // warm-up: the first pass compiles the kernels, as a long search's first minutes do
      for (TrialRecord t : trials.subList(0, Math.min(20, trials.size()))) {
        scorer.score(t.configuration(), 1);
      }
      double[] ratio = new double[trials.size()];
      double[] ms = new double[trials.size()];
      double scoreTotal = 0;
      double trainTotal = 0;
      for (int i = 0; i < trials.size(); i++) {
        TrialRecord t = trials.get(i);
        StudyRecord s = studies.get(t.studyId());
        long seed = Seeds.trial(e.seed(), s.strategy(), s.seed(), t.index());
        long t0 = System.nanoTime();
        scorer.score(t.configuration(), seed);
        double sec = (System.nanoTime() - t0) / 1e9;
        ms[i] = sec * 1e3;
        ratio[i] = sec / t.trainSeconds();
        scoreTotal += sec;
        trainTotal += t.trainSeconds();
      }
      Arrays.sort(ratio);
      Arrays.sort(ms);
      System.out.printf(Locale.ROOT, "%d trials: scoring one candidate median %.2f ms (p90 %.2f, max %.2f);"
          + " training median %.2f s; scoring / training per trial: median %.2f%%, p90 %.2f%%, max %.2f%%;"
          + " all scoring / all training %.2f%%%n", trials.size(), q(ms, 0.5), q(ms, 0.9), ms[ms.length - 1],
          median(trials), 100 * q(ratio, 0.5), 100 * q(ratio, 0.9), 100 * ratio[ratio.length - 1],
          100 * scoreTotal / trainTotal);
    }
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
    System.out.printf(Locale.ROOT, "%s: best %.4f after %d trials, %.1f s; %s reaches it after %s trials, %s s"
        + " (its best %.4f after %d trials, %.1f s)%n", plain.getFileName(), target, a.values.length, a.seconds[a.seconds.length - 1],
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
}
