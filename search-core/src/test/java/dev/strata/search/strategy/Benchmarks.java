package dev.strata.search.strategy;

import dev.strata.search.objective.Objective;
import dev.strata.search.trial.Outcome;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Sequential optimisation runs for the statistical tests. */
final class Benchmarks {

  private Benchmarks() {}

  /** Best value after each evaluation (index i: best of the first i + 1), one ask/tell at a time. */
  static double[] run(String strategy, Objective objective, long seed, int evaluations, Map<String, Object> options) {
    Strategy s = Strategies.create(strategy, objective.space(), objective.direction(), seed, options);
    double[] best = new double[evaluations];
    double b = Double.POSITIVE_INFINITY;
    for (int i = 0; i < evaluations; i++) {
      Proposal p = s.ask(1).getFirst();
      double v = objective.evaluate(p.configuration());
      s.tell(p.index(), Outcome.completed(v));
      b = Math.min(b, v);
      best[i] = b;
    }
    return best;
  }

  /** {@link #run} for each seed, on two threads (strategies are independent). */
  static List<double[]> runSeeds(String strategy, Objective objective, long[] seeds, int evaluations,
      Map<String, Object> options) {
    try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
      List<Future<double[]>> futures = new ArrayList<>();
      for (long seed : seeds) {
        futures.add(pool.submit(() -> run(strategy, objective, seed, evaluations, options)));
      }
      List<double[]> out = new ArrayList<>();
      for (Future<double[]> f : futures) {
        out.add(f.get());
      }
      return out;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The median over runs of the best value after {@code evaluations}. */
  static double medianBest(List<double[]> runs, int evaluations) {
    double[] v = runs.stream().mapToDouble(r -> r[evaluations - 1]).sorted().toArray();
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
  }

  static String bests(List<double[]> runs, int evaluations) {
    return Arrays.toString(runs.stream().mapToDouble(r -> r[evaluations - 1]).toArray());
  }
}
