package dev.strata.trainer.analysis;

import dev.strata.trainer.spec.Activation;

/**
 * Measured statistics of one dense layer after one forward and backward pass at initialisation.
 *
 * @param preActivationVariance mean of z^2 over the batch and the units (the measured q)
 * @param outputVariance mean of a(z)^2
 * @param inactiveFraction fraction of units whose |a'(z)| is below 1% of its maximum for every row
 *     of the batch (dead relu units, saturated tanh or sigmoid units); 0 for linear layers
 * @param gradientNorm ||dLoss/dW||_2 of the layer's weight matrix
 * @param theoryQ the mean-field prediction of q ({@link Theory})
 */
public record LayerStats(String name, Activation activation, int fanIn, int fanOut, double preActivationVariance,
    double outputVariance, double inactiveFraction, double gradientNorm, double theoryQ) {}
