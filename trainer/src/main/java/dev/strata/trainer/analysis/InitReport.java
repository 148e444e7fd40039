package dev.strata.trainer.analysis;

import java.util.List;

/**
 * Everything {@link InitAnalysis} learns about a spec before training: the mean-field theory and
 * verdict, the measured per-layer statistics of one batch, and the zero-cost proxies. Immutable.
 *
 * @param rows batch rows measured
 * @param loss the loss of that batch at initialisation
 */
public record InitReport(Theory theory, List<LayerStats> layers, Proxies proxies, int rows, double loss) {

  public Verdict verdict() {
    return theory.verdict();
  }
}
