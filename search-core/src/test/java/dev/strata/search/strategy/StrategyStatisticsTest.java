package dev.strata.search.strategy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.search.objective.Objective;
import dev.strata.search.objective.TestFunctions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Statistical targets with fixed seeds and stated tolerances (never a retry loop). Each run is one
 * ask/tell at a time; the median is over the seeds {@code 1..10}; runs go two at a time on two
 * threads. Regret is best-found minus the known optimum.
 *
 * <ul>
 *   <li>bayesian on branin, 25 evaluations, 10 seeds: median regret ≤ 0.01;
 *   <li>bayesian on hartmann6, 100 evaluations, 10 seeds: median regret ≤ 0.05;
 *   <li>evolution, regularized-evolution, tpe and bayesian beat random on hartmann6 after 200
 *       evaluations (median best over 10 seeds). For bayesian the 200-evaluation runs use seeds
 *       1..4 only: a 200-trial GP run costs about as much as all the other strategies' 200-trial
 *       runs together, and the suite must stay under 90 s on two shared cores. Bayesian's
 *       100-evaluation results for all ten seeds come from the same runs (seeds 1..4 continue to
 *       200), so the 100-evaluation target is still measured on ten seeds.
 * </ul>
 *
 * Measured medians are printed to standard output.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StrategyStatisticsTest {

  private static final long[] SEEDS = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  private static final long[] BAYESIAN_LONG_SEEDS = {1, 2, 3, 4};
  private static final Objective HARTMANN = TestFunctions.byName("hartmann6");
  private static final Objective BRANIN = TestFunctions.byName("branin");

  private final Map<String, List<double[]>> cache = new ConcurrentHashMap<>();

  private List<double[]> hartmann(String strategy) {
    return cache.computeIfAbsent(strategy, s -> Benchmarks.runSeeds(s, HARTMANN, SEEDS, 200, Map.of()));
  }

  /** Bayesian on hartmann6: seeds 1..4 to 200 evaluations, seeds 5..10 to 100. */
  private List<double[]> bayesianHartmann() {
    return cache.computeIfAbsent("bayesian", s -> {
      List<double[]> runs = new java.util.ArrayList<>(
          Benchmarks.runSeeds(s, HARTMANN, BAYESIAN_LONG_SEEDS, 200, Map.of()));
      runs.addAll(Benchmarks.runSeeds(s, HARTMANN, java.util.Arrays.copyOfRange(SEEDS, 4, 10), 100, Map.of()));
      return runs;
    });
  }

  @Test
  void bayesianSolvesBraninIn25Evaluations() {
    List<double[]> runs = Benchmarks.runSeeds("bayesian", BRANIN, SEEDS, 25, Map.of());
    double regret = Benchmarks.medianBest(runs, 25) - BRANIN.optimum().getAsDouble();
    System.out.printf("bayesian branin@25: median regret %.5f, bests %s%n", regret, Benchmarks.bests(runs, 25));
    assertTrue(regret <= 0.01, "median regret " + regret + " > 0.01; bests " + Benchmarks.bests(runs, 25));
  }

  @Test
  void bayesianSolvesHartmann6In100Evaluations() {
    List<double[]> runs = bayesianHartmann();
    double regret = Benchmarks.medianBest(runs, 100) - HARTMANN.optimum().getAsDouble();
    System.out.printf("bayesian hartmann6@100: median regret %.5f, bests %s%n", regret, Benchmarks.bests(runs, 100));
    assertTrue(regret <= 0.05, "median regret " + regret + " > 0.05; bests " + Benchmarks.bests(runs, 100));
  }

  @Test
  void everyModelBasedStrategyBeatsRandomOnHartmann6() {
    double random = Benchmarks.medianBest(hartmann("random"), 200);
    System.out.printf("random hartmann6@200: median best %.5f%n", random);
    for (String s : List.of("evolution", "regularized-evolution", "tpe")) {
      double median = Benchmarks.medianBest(hartmann(s), 200);
      System.out.printf("%s hartmann6@200: median best %.5f%n", s, median);
      assertTrue(median < random, s + " median " + median + " is not better than random's " + random);
    }
    double bayesian = Benchmarks.medianBest(bayesianHartmann().subList(0, BAYESIAN_LONG_SEEDS.length), 200);
    System.out.printf("bayesian hartmann6@200 (seeds 1..4): median best %.5f%n", bayesian);
    assertTrue(bayesian < random, "bayesian median " + bayesian + " is not better than random's " + random);
  }
}
