package dev.strata.dashboard;

/**
 * Analyses a trial's network at initialisation, for the trial page's mean-field panel: the
 * theory's pre-activation variance per layer beside the measured one, and the gradient norm per
 * layer. The dashboard knows no networks; the application that starts it supplies this (Strata's
 * runs {@code strata inspect}'s analysis on synthetic inputs). The dashboard calls it on worker
 * threads, one call at a time, and caches the answers: implementations need not be thread-safe,
 * and may take a second or two but should refuse networks whose analysis would take longer.
 */
@FunctionalInterface
public interface NetworkInspector {

  /**
   * The analysis of the network spec {@code networkSpecJson}, as the JSON text of one object in
   * {@code strata inspect --json}'s form; the page reads {@code theory}, {@code verdict}, {@code
   * rows} and {@code layers[{name, qTheory, qMeasured, gradientNorm}]}.
   *
   * @throws IllegalArgumentException when this network is not analysed here (too large, or a spec
   *     the analysis refuses), with a message for the user
   */
  String inspect(String networkSpecJson);
}
