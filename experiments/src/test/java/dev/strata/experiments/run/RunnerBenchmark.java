package dev.strata.experiments.run;

import dev.strata.experiments.store.RunStore;
import dev.strata.search.trial.Direction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Runner benchmarks (not tests; run by {@code bench/runner-overhead.sh}, skipped otherwise):
 *
 * <ol>
 *   <li>overhead per trial: 2,000 trials of a no-op evaluator, one study, parallel 1 — wall time /
 *       trials is the runner's and the store's cost (ask, 3–4 commits, tell);
 *   <li>scaling: a CPU-bound evaluator (about 50 ms of arithmetic per trial, calibrated after warm-up), 40 trials at parallel
 *       1 and at parallel 2 — the ratio of trials per hour.
 * </ol>
 */
@EnabledIfSystemProperty(named = "strata.bench", matches = "true")
class RunnerBenchmark {

  @Test
  void overheadPerTrial() throws Exception {
    int n = Integer.getInteger("strata.bench.trials", 2000);
    TrialEvaluator noop = (c, ctx) -> TrialResult.completed(Map.of("loss", 1.0), 0);
    run(noop, 1, 200, "warm-up");
    double seconds = run(noop, 1, n, "no-op");
    System.out.printf("BENCH overhead: %d trials, %.3f ms per trial (no-op evaluator, parallel 1)%n", n,
        seconds * 1000 / n);
    double seconds2 = run(noop, 2, n, "no-op parallel 2");
    System.out.printf("BENCH overhead: %d trials, %.3f ms per trial (no-op evaluator, parallel 2)%n", n,
        seconds2 * 1000 / n);
  }

  @Test
  void scalingWithTwoWorkers() throws Exception {
    int n = 40;
    long work = calibrate(0.050);
    TrialEvaluator cpu = (c, ctx) -> TrialResult.completed(Map.of("loss", burn(work)), 0.04);
    run(cpu, 2, 4, "warm-up");
    double one = run(cpu, 1, n, "cpu parallel 1");
    double two = run(cpu, 2, n, "cpu parallel 2");
    System.out.printf("BENCH scaling: %d CPU-bound trials: parallel 1 %.2f s, parallel 2 %.2f s, speed-up %.2fx"
        + " (cores: %d)%n", n, one, two, one / two, Runtime.getRuntime().availableProcessors());
  }

  private static double run(TrialEvaluator evaluator, int parallel, int trials, String name) throws Exception {
    Path dir = Files.createTempDirectory("strata-bench");
    RunPlan plan = Fixtures.plan().studies(List.of(StudyPlan.of("random", 1))).parallel(parallel).reproducible(false)
        .budget(Budget.trials(trials)).build();
    try (RunStore store = RunStore.create(dir.resolve("run"), name, "loss", Direction.MINIMIZE, "{}")) {
      long t0 = System.nanoTime();
      Runner.builder(plan, evaluator, store).strategies(Fixtures.STRATEGIES).log(RunLog.none()).build().run();
      return (System.nanoTime() - t0) / 1e9;
    }
  }

  /** Iterations of {@link #burn} that take about {@code seconds} on this machine. */
  private static long calibrate(double seconds) {
    long n = 2_000_000;
    double per = Double.MAX_VALUE;
    for (int round = 0; round < 20; round++) {
      long t0 = System.nanoTime();
      burn(n);
      per = Math.min(per, (System.nanoTime() - t0) / 1e9 / n);
    }
    return (long) (seconds / per);
  }

  static double burn(long iterations) {
    double x = 0.5;
    for (long i = 0; i < iterations; i++) {
      x = x * 3.9 * (1 - x);
    }
    return x;
  }
}
