package dev.strata.trainer.analysis;

/**
 * Zero-cost proxies at initialisation (Abdelfattah et al. 2021; Mellor et al. 2021), computed on one
 * minibatch with the trainer's own forward and backward passes. W ranges over the weight matrices
 * (biases and batch-norm parameters excluded), g = dLoss/dW on the batch:
 *
 * <pre>
 *   gradNorm  sum_W ||g||_2
 *   snip      sum_W sum |W . g|
 *   synflow   ln sum_W sum W' . dR/dW'  with W' = |W| (biases |b|), input all ones (one row),
 *             R = sum of the outputs; NaN for networks with batch norm
 *   naswot    ln |det K|, K_ij = number of hidden units on which rows i and j have the same sign of
 *             pre-activation (K = C C^T + (1 - C)(1 - C)^T over the binary codes C); -infinity when
 *             two rows share a code
 * </pre>
 *
 * @param nanos wall-clock nanoseconds for all four scores (network construction excluded)
 */
public record Proxies(double gradNorm, double snip, double synflow, double naswot, long nanos) {}
