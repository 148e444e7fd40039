package dev.strata.search.run;

import dev.strata.search.strategy.StrategyProvider;
import dev.strata.common.Quantiles;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.search.objective.Benchmarks;
import dev.strata.search.objective.Objective;
import dev.strata.search.objective.TableObjective;
import dev.strata.search.trial.Direction;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class StrategyComparisonTest {

  @Test
  void quantilesInterpolateLikeNumpy() {
    double[] x = {1, 2, 3, 4};
    assertEquals(2.5, Quantiles.type7(x, 0.5));
    assertEquals(1.75, Quantiles.type7(x, 0.25));
    assertEquals(3.25, Quantiles.type7(x, 0.75));
    assertEquals(7, Quantiles.type7(new double[] {7}, 0.25));
    assertTrue(Double.isNaN(Quantiles.type7(new double[0], 0.5)));
  }

  @Test
  void summariesAreDeterministicAndMatchTheRuns() {
    Objective branin = Optimization.function("branin");
    List<Long> seeds = List.of(0L, 1L, 2L, 3L, 4L);
    var a = StrategyComparison.run(branin, List.of("random", "sobol"), seeds, List.of(20, 5, 10));
    var b = StrategyComparison.run(branin, List.of("random", "sobol"), seeds, List.of(5, 10, 20),
        StrategyProvider.REGISTRY, 2);
    assertEquals(List.of(5, 10, 20), a.budgets());
    for (String s : List.of("random", "sobol")) {
      assertEquals(a.entry(s).regret(), b.entry(s).regret());
      assertEquals(a.entry(s).best(), b.entry(s).best());
    }
    var random = a.entry("random");
    double[] at10 = random.runs().stream().mapToDouble(r -> r.regret().get(9)).sorted().toArray();
    assertEquals(at10[2], random.at(10).median());
    assertEquals(at10[1], random.at(10).q1());
    assertEquals(at10[3], random.at(10).q3());
    assertEquals(5, random.at(10).runs());
    // Best so far never gets worse with the budget.
    assertTrue(random.at(20).median() <= random.at(5).median());
    assertTrue(Arrays.stream(new int[] {5, 10, 20}).allMatch(k -> random.at(k).q1() <= random.at(k).q3()));
  }

  @Test
  void jsonNamesStrategiesAndBudgets() throws Exception {
    var r = StrategyComparison.run(Optimization.function("hartmann6"), List.of("random"),
        List.of(1L, 2L, 3L), List.of(4, 8));
    JsonNode json = new ObjectMapper().readTree(r.toJson());
    assertEquals("hartmann6", json.get("objective").asText());
    JsonNode random = json.get("strategies").get("random");
    assertTrue(random.get("ask_ms").isNumber());
    assertEquals(r.entry("random").at(8).median(), random.get("regret").get("8").get("median").asDouble());
    assertEquals(3, random.get("best").get("4").get("runs").asInt());
  }

  /** Random search on NAS-Bench-Macro through the optimize loop; skipped without the table. */
  @Test
  void randomSearchOnNasBenchMacro() {
    Path file = Benchmarks.find("nas-bench-macro/nas-bench-macro-cifar10.csv");
    Assumptions.assumeTrue(file != null, "NAS-Bench-Macro table not found under shared/benchmarks");
    TableObjective table = Optimization.table(file, "mean_test_acc", Direction.MAXIMIZE, null);
    var r = StrategyComparison.run(table, List.of("random"), List.of(0L, 1L, 2L), List.of(10, 50));
    var cell50 = r.entry("random").at(50);
    assertTrue(cell50.median() >= 0 && cell50.median() < 3, cell50.toString());
    assertTrue(cell50.median() <= r.entry("random").at(10).median());
    assertEquals(0, r.entry("random").runs().stream().mapToInt(OptimizationResult::failures).sum());
  }

  /**
   * The target on a real NAS table: at 100 evaluations, regularized evolution, Bayesian
   * optimisation and TPE have a lower median regret than random search, over 10 fixed seeds
   * (0..9). Issue 21's targets for TPE on the same runs: a median regret no worse than regularized
   * evolution's, and the best row (regret 0) found by at least 5 of the 10 seeds (univariate TPE:
   * 1 of 10). Deterministic: no tolerance beyond the stated comparisons.
   */
  @Test
  void evolutionAndBayesianBeatRandomOnNasBenchMacro() {
    Path file = Benchmarks.find("nas-bench-macro/nas-bench-macro-cifar10.csv");
    Assumptions.assumeTrue(file != null, "NAS-Bench-Macro table not found under shared/benchmarks");
    TableObjective table = Optimization.table(file, "mean_test_acc", Direction.MAXIMIZE, null);
    List<Long> seeds = List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
    var r = StrategyComparison.run(table, List.of("random", "regularized-evolution", "bayesian", "tpe"), seeds,
        List.of(100));
    double random = r.entry("random").at(100).median();
    for (String s : List.of("regularized-evolution", "bayesian", "tpe")) {
      double median = r.entry(s).at(100).median();
      System.out.printf("nas-bench-macro@100 median regret: %s %.4f vs random %.4f%n", s, median, random);
      assertTrue(median < random, s + " median regret " + median + " should beat random's " + random);
    }
    double tpe = r.entry("tpe").at(100).median();
    double evolution = r.entry("regularized-evolution").at(100).median();
    assertTrue(tpe <= evolution, "tpe median regret " + tpe + " should be <= regularized evolution's " + evolution);
    long hits = r.entry("tpe").runs().stream().filter(run -> run.bestAfter(100) == table.optimum().getAsDouble())
        .count();
    assertTrue(hits >= 5, "tpe found the best row in " + hits + " of 10 seeds; want >= 5");
  }
}
