package dev.strata.trainer.nn;

import java.util.random.RandomGenerator;

/**
 * A differentiable function of a batch: {@code rows x inputWidth} row-major in, {@code rows x
 * outputWidth} out, with its backward pass next to its forward pass.
 *
 * <p>Call order: construct (reserves parameter slots, no big arrays), {@link #allocate(int)} once,
 * {@link #initialize} once, then any sequence of {@code forward(.., training)} calls, each
 * training-mode forward optionally followed by one {@code backward} with the same row count.
 *
 * <p>Buffers: {@code forward} returns a layer-owned array (or, for identity layers, {@code x}
 * itself) whose first {@code rows * outputWidth} floats are the output, valid until the next call.
 * {@code backward} returns {@code dLoss/dx} the same way and overwrites (not accumulates) the
 * gradients of the layer's parameters. A layer never writes into the arrays it receives. Nothing is
 * allocated after {@code allocate}. Not thread-safe.
 */
public interface Layer {

  int inputWidth();

  int outputWidth();

  /** Floats this layer (and its children) allocate per batch row, for the memory estimate. */
  long floatsPerRow();

  /** Floats allocated independently of the row count (per-column scratch), excluding parameters. */
  default long fixedFloats() {
    return 0;
  }

  /** Creates the activation and gradient buffers for batches of up to {@code maxRows} rows. */
  void allocate(int maxRows);

  /** Draws the initial parameters (weights via the spec's initialiser, biases, batch-norm statistics). */
  void initialize(Init init, RandomGenerator rng);

  float[] forward(float[] x, int rows, boolean training);

  float[] backward(float[] dy, int rows);

  /**
   * Whether {@link #backward} must produce {@code dLoss/dx}. The network's first layer does not need
   * it (x is data), which saves one matrix product; layers that cannot skip it ignore this. When
   * off, backward may return null. Default on.
   */
  default void needInputGradient(boolean needed) {}

  /**
   * The layers this one is made of, in forward order (empty for a leaf): the network walks this tree
   * to find its weighted layers and activations for analysis ({@link Network#weightedLayers()}).
   */
  default java.util.List<Layer> children() {
    return java.util.List.of();
  }

  /** Forward floating-point operations per sample in inference mode (see {@link Network#flopsPerSample()}). */
  long flopsPerSample();

  /** Weight and bias initialisation settings passed down to every layer. */
  record Init(dev.strata.trainer.spec.WeightInit weights, double biasSigma) {}
}
