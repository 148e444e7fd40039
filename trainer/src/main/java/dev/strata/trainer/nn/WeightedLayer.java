package dev.strata.trainer.nn;

/**
 * A layer with a weight tensor (a {@link Dense} or {@link Conv2d} layer) seen from outside, for
 * analysis at initialisation: its name, weight slot, fan-in, output shape and the output of the last
 * forward (before any batch norm or activation that follows). Immutable handle on live buffers.
 *
 * @param name e.g. {@code blocks.0.dense1}, {@code blocks.2.cell0.edge12}, {@code output}
 * @param weight the weight slot in {@link Network#parameters()} (gradients at the same offsets)
 * @param fanIn inputs per output value: n_in for a dense layer, C_in / groups x k x k for a convolution
 * @param fanOut outputs each input feeds: n_out, or C_out / groups x k x k
 * @param channels output channels (dense: output units)
 * @param plane output pixels per channel (dense: 1)
 */
public record WeightedLayer(String name, ParameterStore.Slot weight, int fanIn, int fanOut, int channels, int plane,
    Layer layer) {

  /** Output values per row. */
  public int width() {
    return channels * plane;
  }

  /** The output of the last forward, {@code rows x width}: a dense layer's z = x W + b, a convolution's W * x + b. Live array. */
  public float[] output() {
    return switch (layer) {
      case Dense d -> d.preActivation();
      case Conv2d c -> c.output();
      default -> throw new IllegalStateException("not a weighted layer: " + layer);
    };
  }
}
