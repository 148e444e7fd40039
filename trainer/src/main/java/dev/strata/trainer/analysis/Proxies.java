package dev.strata.trainer.analysis;

/**
 * Zero-cost proxies at initialisation (Abdelfattah et al. 2021; Mellor et al. 2021; Tanaka et al.
 * 2020), computed on one minibatch with the trainer's own forward and backward passes, for dense and
 * convolutional networks alike. W ranges over the weight tensors of the dense and convolution layers
 * (biases and batch-norm parameters excluded), g = dLoss/dW on the batch:
 *
 * <pre>
 *   gradNorm  sum_W ||g||_2
 *   snip      sum_W sum |W . g|
 *   synflow   ln sum_W sum W' . dR/dW'  with every parameter made positive (W' = |W|, |b|, |gamma|, ...),
 *             batch norm as the identity (as Abdelfattah et al. score it), input all ones (one row),
 *             R = sum of the outputs; past float range rescaled by powers of two (InitAnalysis.synflow)
 *   naswot    ln |det K|, K_ij = number of activation values (every activation site, each pixel of
 *             each channel) on which rows i and j have the same sign of pre-activation (K = C C^T +
 *             (1 - C)(1 - C)^T over the binary codes C); -infinity when two rows share a code
 * </pre>
 *
 * @param nanos wall-clock nanoseconds for all four scores (network construction excluded)
 */
public record Proxies(double gradNorm, double snip, double synflow, double naswot, long nanos) {

  /** A copy with {@code nanos} replaced (to compare scores without their timing). */
  public Proxies withNanos(long nanos) {
    return new Proxies(gradNorm, snip, synflow, naswot, nanos);
  }
}
