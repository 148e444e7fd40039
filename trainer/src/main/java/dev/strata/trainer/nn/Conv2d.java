package dev.strata.trainer.nn;

import dev.strata.trainer.init.Initializers;
import dev.strata.trainer.kernel.ConvKernel;
import dev.strata.trainer.kernel.ConvShape;
import dev.strata.trainer.kernel.GemmContext;
import dev.strata.trainer.spec.WeightInit;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * 2-D convolution of an NCHW batch: each row is one sample's {@code C_in x H x W} image and
 * becomes its {@code C_out x H_out x W_out} feature maps (see {@link ConvShape} for the geometry,
 * {@link ConvKernel} for the formulas). Weights {@code C_out x C_in/groups x k x k} (decayed, fan-in
 * {@code C_in/groups k k}), optional bias per output channel.
 *
 * <pre>
 *   forward:  y = W * x + b
 *   backward: dW = sum_n dy_n (*) x_n,  db = sum dy,  dx = W^T (*) dy
 * </pre>
 *
 * No activation: a ReLU follows as an {@link ActivationLayer}, after batch norm when there is one.
 * Scratch: one unfolded sample for the forward and backward pass each, not per row. Not thread-safe.
 */
public final class Conv2d implements Layer {

  private final ConvShape shape;
  private final ParameterStore params;
  private final ParameterStore.Slot w;
  private final ParameterStore.Slot b;
  private final GemmContext gemm;
  private float[] x;
  private float[] y;
  private float[] dx;
  private float[] col;
  private float[] dcol;
  private float[] work;
  private boolean inputGradient = true;

  public Conv2d(String name, ConvShape shape, boolean bias, ParameterStore params, GemmContext gemm) {
    this.shape = shape;
    this.params = params;
    this.gemm = gemm;
    this.w = params.add(name + ".weight", shape.outChannels(), shape.groupK(), true);
    this.b = bias ? params.add(name + ".bias", 1, shape.outChannels(), false) : null;
  }

  /**
   * Depthwise {@code k x k} convolution (groups = channels) followed by a pointwise 1x1 convolution
   * to {@code out} channels: the separable convolution of Xception and MobileNet.
   */
  public static Sequential separable(String name, ConvShape depthwise, int out, boolean bias, ParameterStore params,
      GemmContext gemm) {
    if (depthwise.groups() != depthwise.inChannels() || depthwise.outChannels() != depthwise.inChannels()) {
      throw new IllegalArgumentException("not a depthwise shape: " + depthwise);
    }
    ConvShape point = new ConvShape(depthwise.inChannels(), depthwise.outHeight(), depthwise.outWidth(), out, 1, 1, 0,
        1, 1);
    Conv2d dw = new Conv2d(name + ".depthwise", depthwise, false, params, gemm);
    Conv2d pw = new Conv2d(name + ".pointwise", point, bias, params, gemm);
    return new Sequential(depthwise.inSize(), List.of(dw, pw));
  }

  public ConvShape shape() {
    return shape;
  }

  /** The layer's name, e.g. {@code blocks.0.conv0}. */
  public String name() {
    return w.name().substring(0, w.name().length() - ".weight".length());
  }

  public ParameterStore.Slot weightSlot() {
    return w;
  }

  /** The output of the last forward, {@code rows x C_out x H_out x W_out}. Live array. */
  public float[] output() {
    return y;
  }

  @Override
  public int inputWidth() {
    return shape.inSize();
  }

  @Override
  public int outputWidth() {
    return shape.outSize();
  }

  @Override
  public long floatsPerRow() {
    return (long) shape.outSize() + shape.inSize();
  }

  @Override
  public long fixedFloats() {
    // col, dcol and work (bias sums, and 16 lanes per weight for the weight gradient)
    return ConvKernel.colFloats(shape) + ConvKernel.dcolFloats(shape) + ConvKernel.workFloats(shape);
  }

  @Override
  public void allocate(int maxRows) {
    y = new float[maxRows * shape.outSize()];
    dx = new float[maxRows * shape.inSize()];
    col = new float[ConvKernel.colSize(shape)];
    dcol = new float[ConvKernel.dcolSize(shape)];
    work = new float[ConvKernel.workSize(shape)];
  }

  @Override
  public void initialize(Init init, RandomGenerator rng) {
    int fanOut = shape.outChannels() / shape.groups() * shape.kernel() * shape.kernel();
    int fanIn = shape.groupK();
    float[] p = params.values();
    // the initialisers fill fanIn x fanOut values; scale by the convolution's fans, fill C_out x K_g
    Initializers.weights(init.weights(), p, w.offset(), fanIn, shape.outChannels(), rng);
    boolean glorot = init.weights() instanceof WeightInit.GlorotUniform || init.weights() instanceof WeightInit.GlorotNormal;
    if (glorot && fanOut != shape.outChannels()) {
      // Glorot's fan-out counts the k x k taps too: rescale from (fanIn + C_out) to (fanIn + fanOut)
      float r = (float) Math.sqrt((double) (fanIn + shape.outChannels()) / (fanIn + fanOut));
      for (int i = 0; i < w.size(); i++) {
        p[w.offset() + i] *= r;
      }
    }
    if (b != null) {
      Initializers.biases(p, b.offset(), shape.outChannels(), init.biasSigma(), rng);
    }
  }

  @Override
  public float[] forward(float[] x, int rows, boolean training) {
    this.x = x;
    float[] p = params.values();
    ConvKernel.forward(gemm, shape, rows, x, 0, p, w.offset(), b == null ? null : p, b == null ? 0 : b.offset(), y, 0,
        col);
    return y;
  }

  @Override
  public float[] backward(float[] dy, int rows) {
    float[] g = params.gradients();
    ConvKernel.backward(gemm, shape, rows, x, 0, dy, 0, params.values(), w.offset(), g, w.offset(),
        b == null ? null : g, b == null ? 0 : b.offset(), inputGradient ? dx : null, 0, col, dcol, work);
    return inputGradient ? dx : null;
  }

  @Override
  public void needInputGradient(boolean needed) {
    inputGradient = needed;
  }

  /** 2 multiply-adds per weight tap per output pixel, plus the bias. */
  @Override
  public long flopsPerSample() {
    return 2 * shape.macs() + (b == null ? 0 : shape.outSize());
  }
}
