package dev.strata.search.strategy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.search.space.SearchSpace;
import dev.strata.search.trial.Direction;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TpeStrategyTest extends StrategyContractTest {

  @Override
  Strategy create(SearchSpace space, Direction direction, long seed) {
    return Strategies.create("tpe", space, direction, seed, Map.of("startup", 6, "constantLiar", seed % 2 == 0));
  }

  @Override
  String name() {
    return "tpe";
  }

  private static TpeStrategy.Parzen parzen(double... observations) {
    TpeStrategy tpe = (TpeStrategy) Strategies.create("tpe", BOX.space(), Direction.MINIMIZE, 1, Map.of());
    return tpe.new Parzen(observations, 1.0);
  }

  @Test
  void bandwidthsUseNeighbourGapsWithBoundsAndOptunasMagicClip() {
    // Sorted means 0.3, 0.42, 0.5 (prior), 0.65, 0.8; clip 1/min(100, 4 + 2) = 1/6.
    TpeStrategy.Parzen p = parzen(0.8, 0.3, 0.42, 0.65);
    assertArrayEquals(new double[] {0.3, 0.42, 0.5, 0.65, 0.8}, p.mu, 1e-12);
    assertArrayEquals(new double[] {0.3, 1.0 / 6, 1.0, 1.0 / 6, 0.2}, p.sigma, 1e-12);
  }

  @Test
  void scoreDensityMatchesOptuna31LogPdf() {
    // Optuna 3.1.0 _ParzenEstimator(prior_weight=1, magic clip, consider_endpoints=True).log_pdf
    // for the same observations, at 0.1, 0.5 and 0.77.
    TpeStrategy.Parzen p = parzen(0.8, 0.3, 0.42, 0.65);
    assertEquals(-1.26426421, p.logScoreDensity(0.1), 1e-7);
    assertEquals(-0.8170769, p.logScoreDensity(0.5), 1e-7);
    assertEquals(-0.9305078, p.logScoreDensity(0.77), 1e-7);
  }

  @Test
  void logPdfIsANormalisedDensityOnTheUnitInterval() {
    TpeStrategy.Parzen p = parzen(0.05, 0.3, 0.31, 0.9, 0.97);
    int steps = 20_000;
    double integral = 0;
    for (int k = 0; k < steps; k++) {
      integral += Math.exp(p.logPdf((k + 0.5) / steps)) / steps;
    }
    assertEquals(1.0, integral, 1e-6);
  }
}
