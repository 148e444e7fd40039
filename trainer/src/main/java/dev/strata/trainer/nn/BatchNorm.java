package dev.strata.trainer.nn;

import dev.strata.trainer.kernel.ActivationKernel;
import dev.strata.trainer.kernel.BatchNormKernel;
import dev.strata.trainer.kernel.ChannelNormKernel;
import dev.strata.trainer.kernel.ElementwiseKernel;
import dev.strata.trainer.spec.Activation;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * Batch normalisation (Ioffe &amp; Szegedy 2015) of each column, or of each channel of an NCHW
 * image batch (statistics over the samples and the pixels of the channel); formulas on
 * {@link BatchNormKernel} and {@link ChannelNormKernel}.
 * Learned gamma (init 1) and beta (init 0) are parameters without weight decay. In training mode the
 * batch statistics are used and the running statistics, kept in the network's state store and saved
 * with the weights, are updated as {@code running = (1 - m) running + m batch} with momentum
 * m = 0.1 (the variance unbiased by n / (n - 1), n = rows x pixels); inference mode uses the running statistics.
 * eps = 1e-5. On images a ReLU may be fused in ({@link #imagesWithRelu}): the same bits as a
 * separate {@link ActivationLayer}, with fewer passes over memory. For SynFlow's data-free pass the
 * layer can be switched to the identity ({@link #identity(boolean)}; the fused ReLU stays), as
 * Abdelfattah et al. (2021) score networks with batch norm removed. Not thread-safe.
 */
public final class BatchNorm implements Layer {

  static final float EPS = 1e-5f;
  static final float MOMENTUM = 0.1f;

  private final int width;
  /** Pixels per channel: 1 for a dense batch. */
  private final int plane;
  private final int channels;
  private final ParameterStore params;
  private final ParameterStore state;
  private final ParameterStore.Slot gamma;
  private final ParameterStore.Slot beta;
  private final ParameterStore.Slot runMean;
  private final ParameterStore.Slot runVar;
  /** A ReLU fused after the normalisation (images only). */
  private final boolean relu;
  /** Identity mode: y = x (then the fused ReLU), dx = dy, no statistics used or updated. */
  private boolean identity;
  private float[] x;
  private float[] xhat;
  private float[] y;
  private float[] dx;
  private float[] mean;
  private float[] var;
  private float[] invStd;
  private float[] scale;
  private float[] shift;

  /** Batch norm of each of the {@code width} columns of a dense batch. */
  public BatchNorm(String name, int width, ParameterStore params, ParameterStore state) {
    this(name, width, 1, params, state);
  }

  /** Batch norm of each of the {@code channels} channels of {@code plane}-pixel images (NCHW rows). */
  public BatchNorm(String name, int channels, int plane, ParameterStore params, ParameterStore state) {
    this(name, channels, plane, false, params, state);
  }

  /** Batch norm of each channel of NCHW images, then ReLU in the same pass. */
  public static BatchNorm imagesWithRelu(String name, int channels, int plane, ParameterStore params,
      ParameterStore state) {
    return new BatchNorm(name, channels, plane, true, params, state);
  }

  private BatchNorm(String name, int channels, int plane, boolean relu, ParameterStore params, ParameterStore state) {
    this.relu = relu;
    this.channels = channels;
    this.plane = plane;
    this.width = channels * plane;
    this.params = params;
    this.state = state;
    this.gamma = params.add(name + ".gamma", 1, channels, false);
    this.beta = params.add(name + ".beta", 1, channels, false);
    this.runMean = state.add(name + ".running_mean", 1, channels, false);
    this.runVar = state.add(name + ".running_var", 1, channels, false);
  }

  /** The layer's name, e.g. {@code blocks.0.conv0.bn}. */
  public String name() {
    return gamma.name().substring(0, gamma.name().length() - ".gamma".length());
  }

  /** Whether a ReLU is fused after the normalisation. */
  public boolean fusedRelu() {
    return relu;
  }

  public int channels() {
    return channels;
  }

  public int plane() {
    return plane;
  }

  /**
   * Switches identity mode on or off: while on, forward is {@code y = x} (then the fused ReLU, if
   * any) in either mode and backward {@code dx = dy} (masked by that ReLU), with zero gradients for
   * gamma and beta; the running statistics are neither used nor updated.
   */
  public void identity(boolean on) {
    identity = on;
  }

  /**
   * The normalised value {@code gamma (x - mean) / sqrt(var + eps) + beta} of the last training-mode
   * forward, before the fused ReLU, with that batch's statistics (the fused ReLU's pre-activation,
   * which the layer does not keep), written to {@code out}; {@code rows x width}. Images only.
   */
  public void normalized(int rows, float[] out) {
    if (!images() || x == null) {
      throw new IllegalStateException("normalized() needs a training-mode forward on images");
    }
    float[] p = params.values();
    ChannelNormKernel.evalForward(rows, channels, plane, x, 0, p, gamma.offset(), p, beta.offset(), mean, 0, var, 0, EPS,
        false, out, 0);
  }

  @Override
  public int inputWidth() {
    return width;
  }

  @Override
  public int outputWidth() {
    return width;
  }

  /** Output and input gradient, and for dense batches the normalised input kept for the backward pass. */
  @Override
  public long floatsPerRow() {
    return images() ? 2L * width : 3L * width;
  }

  /** The channel kernel (which recomputes xhat) serves images, and every fused ReLU. */
  private boolean images() {
    return plane > 1 || relu;
  }

  @Override
  public long fixedFloats() {
    return 5L * channels + (plane > 1 ? 2L * plane : 0);
  }

  @Override
  public void allocate(int maxRows) {
    xhat = images() ? null : new float[maxRows * width];
    y = new float[maxRows * width];
    dx = new float[maxRows * width];
    mean = new float[channels];
    var = new float[channels];
    invStd = new float[channels];
    // for images, scale and shift serve as the per-pixel scratch of the channel kernel
    scale = new float[Math.max(channels, plane)];
    shift = new float[Math.max(channels, plane)];
  }

  @Override
  public void initialize(Init init, RandomGenerator rng) {
    float[] p = params.values();
    Arrays.fill(p, gamma.offset(), gamma.offset() + channels, 1f);
    Arrays.fill(p, beta.offset(), beta.offset() + channels, 0f);
    float[] s = state.values();
    Arrays.fill(s, runMean.offset(), runMean.offset() + channels, 0f);
    Arrays.fill(s, runVar.offset(), runVar.offset() + channels, 1f);
  }

  @Override
  public float[] forward(float[] x, int rows, boolean training) {
    if (identity) {
      if (!relu) {
        return x;
      }
      ActivationKernel.forward(Activation.RELU, rows, width, x, 0, null, 0, y, 0);
      return y;
    }
    float[] p = params.values();
    float[] s = state.values();
    if (images()) {
      return forwardImages(x, rows, training, p, s);
    }
    if (!training) {
      BatchNormKernel.evalForward(rows, width, x, 0, p, gamma.offset(), p, beta.offset(), s, runMean.offset(), s,
          runVar.offset(), EPS, scale, shift, y, 0);
      return y;
    }
    BatchNormKernel.trainForward(rows, width, x, 0, p, gamma.offset(), p, beta.offset(), EPS, mean, var, invStd, xhat,
        0, y, 0);
    ElementwiseKernel.scale(width, 1 - MOMENTUM, s, runMean.offset());
    ElementwiseKernel.axpy(width, MOMENTUM, mean, 0, s, runMean.offset());
    ElementwiseKernel.scale(width, 1 - MOMENTUM, s, runVar.offset());
    ElementwiseKernel.axpy(width, rows > 1 ? MOMENTUM * rows / (rows - 1f) : MOMENTUM, var, 0, s, runVar.offset());
    return y;
  }

  private float[] forwardImages(float[] x, int rows, boolean training, float[] p, float[] s) {
    if (!training) {
      ChannelNormKernel.evalForward(rows, channels, plane, x, 0, p, gamma.offset(), p, beta.offset(), s,
          runMean.offset(), s, runVar.offset(), EPS, relu, y, 0);
      return y;
    }
    this.x = x;
    ChannelNormKernel.trainForward(rows, channels, plane, x, 0, p, gamma.offset(), p, beta.offset(), EPS, relu, mean,
        var, invStd, y, 0, scale);
    long n = (long) rows * plane;
    ElementwiseKernel.scale(channels, 1 - MOMENTUM, s, runMean.offset());
    ElementwiseKernel.axpy(channels, MOMENTUM, mean, 0, s, runMean.offset());
    ElementwiseKernel.scale(channels, 1 - MOMENTUM, s, runVar.offset());
    ElementwiseKernel.axpy(channels, n > 1 ? (float) (MOMENTUM * n / (n - 1.0)) : MOMENTUM, var, 0, s,
        runVar.offset());
    return y;
  }

  @Override
  public float[] backward(float[] dy, int rows) {
    float[] g = params.gradients();
    if (identity) {
      Arrays.fill(g, gamma.offset(), gamma.offset() + channels, 0f);
      Arrays.fill(g, beta.offset(), beta.offset() + channels, 0f);
      if (!relu) {
        return dy;
      }
      ActivationKernel.backward(Activation.RELU, rows * width, y, 0, y, 0, dy, 0, dx, 0);
      return dx;
    }
    if (images()) {
      ChannelNormKernel.backward(rows, channels, plane, dy, 0, x, 0, mean, invStd, relu, y, 0, params.values(),
          gamma.offset(), g, gamma.offset(), g, beta.offset(), dx, 0, scale, shift);
      return dx;
    }
    BatchNormKernel.backward(rows, width, dy, 0, xhat, 0, params.values(), gamma.offset(), invStd, g, gamma.offset(), g,
        beta.offset(), dx, 0);
    return dx;
  }

  /** Inference: one multiply-add per element (scale and shift folded), and the fused ReLU's one. */
  @Override
  public long flopsPerSample() {
    return (relu ? 3L : 2L) * width;
  }
}
