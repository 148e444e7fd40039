package dev.strata.trainer.analysis;

/**
 * What {@link InitAnalysis#score} computes for pre-screening: the mean-field theory (and so the
 * verdict) and the proxies asked for, the others NaN. Immutable.
 */
public record InitScore(Theory theory, Proxies proxies) {

  public Verdict verdict() {
    return theory.verdict();
  }
}
