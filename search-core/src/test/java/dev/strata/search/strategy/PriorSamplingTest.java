package dev.strata.search.strategy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.search.trial.Configuration;
import dev.strata.search.trial.Direction;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The sampling strategies draw from the priors of {@link StrategyContractTest#PRIORS}: 4,000
 * proposals asked at once (seed 5) from {@code random} and {@code sobol}. Expected values are those
 * of the truncated priors; each tolerance is about 3 standard errors of a 4,000-draw estimate.
 */
class PriorSamplingTest {

  private static final int N = 4000;
  private static final double LN_MU = Math.log(1e-3);

  private static List<Configuration> draws(String strategy) {
    return Strategies.create(strategy, StrategyContractTest.PRIORS, Direction.MINIMIZE, 5, Map.of()).ask(N)
        .stream().map(Proposal::configuration).toList();
  }

  private static double[] meanSd(List<Configuration> cs, java.util.function.ToDoubleFunction<Configuration> f) {
    double mean = cs.stream().mapToDouble(f).average().orElseThrow();
    double var = cs.stream().mapToDouble(c -> Math.pow(f.applyAsDouble(c) - mean, 2)).sum() / (cs.size() - 1);
    return new double[] {mean, Math.sqrt(var)};
  }

  @Test
  void randomAndSobolDrawFromTheNormalPriors() {
    for (String strategy : List.of("random", "sobol")) {
      List<Configuration> cs = draws(strategy);
      // x ~ N(0, 0.25²) truncated to ±4σ: mean 0, sd 0.25·0.99946 (SE 0.004 and 0.003)
      double[] x = meanSd(cs, c -> (Double) c.get("x"));
      assertEquals(0.0, x[0], 0.012, strategy + " mean of x");
      assertEquals(0.24987, x[1], 0.009, strategy + " sd of x");
      // ln lr ~ N(ln 1e-3, 1.5²) truncated to [ln 1e-6, 0] (±4.6σ): mean ln 1e-3, sd 1.4999 (SE 0.024, 0.017)
      double[] lr = meanSd(cs, c -> Math.log((Double) c.get("lr")));
      assertEquals(LN_MU, lr[0], 0.075, strategy + " mean of ln lr");
      assertEquals(1.4999, lr[1], 0.05, strategy + " sd of ln lr");
      // n: N(100, 30²) on [0, 200] rounded to multiples of 10; symmetric, so the mean is 100 (SE 0.47);
      // rounding adds 10²/12 to the variance: sd √(0.99764·900 + 8.33) = 30.10 (SE 0.34)
      double[] n = meanSd(cs, c -> (Long) c.get("n"));
      assertEquals(100, n[0], 1.5, strategy + " mean of n");
      assertEquals(30.10, n[1], 1.0, strategy + " sd of n");
      // batch: log-uniform on [16, 1024] rounded to multiples of 16: 16..64 take ln(72/16)/ln(64) = 0.3617
      double small = cs.stream().filter(c -> (Long) c.get("batch") <= 64).count() / (double) N;
      assertEquals(Math.log(72.0 / 16) / Math.log(64), small, 0.023, strategy + " share of batch <= 64");
      // m (when opt = sgd): N(0.9, 0.05²) truncated to [0.5, 0.99]: mean 0.9 − 0.05·φ(1.8)/Φ(1.8) = 0.89591
      double[] m = meanSd(cs.stream().filter(c -> c.get("m") != null).toList(), c -> (Double) c.get("m"));
      assertEquals(0.89591, m[0], 0.004, strategy + " mean of m");
    }
  }
}
