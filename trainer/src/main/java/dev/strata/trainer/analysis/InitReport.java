package dev.strata.trainer.analysis;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Everything {@link InitAnalysis} learns about a spec before training: the mean-field theory and
 * verdict, the measured statistics of one batch per weighted layer and per activation, and the
 * zero-cost proxies. Immutable.
 *
 * @param layers every dense and convolution layer, in forward order, the output layer last
 * @param activations every activation site, in forward order
 * @param rows batch rows measured
 * @param loss the loss of that batch at initialisation
 */
public record InitReport(Theory theory, List<LayerStats> layers, List<ActivationStats> activations, Proxies proxies,
    int rows, double loss) {

  public Verdict verdict() {
    return theory.verdict();
  }

  /**
   * The activation with the largest fraction of dead units (ties: of inactive values, then the
   * first), if any unit is dead.
   */
  public Optional<ActivationStats> mostInactive() {
    return activations.stream().filter(a -> a.deadUnits() > 0)
        .max(Comparator.comparingDouble(ActivationStats::deadUnits).thenComparingDouble(ActivationStats::inactiveValues));
  }
}
