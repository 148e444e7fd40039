package dev.strata.trainer.analysis;

/**
 * Measured statistics of one dense or convolution layer after one forward and backward pass at
 * initialisation, beside the mean-field prediction.
 *
 * @param name as {@code Network.weightedLayers()} names it, e.g. {@code blocks.1.unit0.conv1}
 * @param fanIn inputs per output value (C_in / groups x k x k for a convolution)
 * @param channels output channels (a dense layer's output units)
 * @param plane output pixels per channel (1 for a dense layer)
 * @param measuredQ mean of the squared output over the batch, channels and pixels, before any batch
 *     norm or activation: the measured q
 * @param theoryQ the mean-field prediction of q ({@link Theory})
 * @param gradientNorm ||dLoss/dW||_2 of the layer's weights
 */
public record LayerStats(String name, int fanIn, int channels, int plane, double measuredQ, double theoryQ,
    double gradientNorm) {}
