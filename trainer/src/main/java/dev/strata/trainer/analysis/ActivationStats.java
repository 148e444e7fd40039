package dev.strata.trainer.analysis;

import dev.strata.trainer.spec.Activation;

/**
 * Measured statistics of one activation site ({@code Network.activationSites()}) after one forward
 * pass at initialisation. A unit is a channel of an image activation (all its pixels) or a column of
 * a dense one; a value is inactive when |a'(z)| is below 1% of its maximum (a dead relu, a saturated
 * tanh or sigmoid).
 *
 * @param inputMeanSquare mean of z^2 over the batch and the values (the pre-activation's q)
 * @param outputMeanSquare mean of a(z)^2
 * @param deadUnits fraction of units inactive on every row and pixel of the batch; 0 for linear
 * @param inactiveValues fraction of all values inactive; 0 for linear
 */
public record ActivationStats(String name, Activation activation, int channels, int plane, double inputMeanSquare,
    double outputMeanSquare, double deadUnits, double inactiveValues) {}
