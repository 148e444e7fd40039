package dev.strata.trainer.nn;

import dev.strata.trainer.init.Initializers;
import dev.strata.trainer.kernel.ActivationKernel;
import dev.strata.trainer.kernel.ElementwiseKernel;
import dev.strata.trainer.kernel.GemmContext;
import dev.strata.trainer.kernel.GemmKernel;
import dev.strata.trainer.spec.Activation;
import java.util.random.RandomGenerator;

/**
 * Fully connected layer {@code y = a(x W + b)} on a batch: x is {@code rows x in}, W is
 * {@code in x out} (row-major, decayed), b has {@code out} entries.
 *
 * <pre>
 *   forward:  z = x W + b,  y = a(z)
 *   backward: dz = dy * a'(z),  dW = x^T dz,  db = sum_rows dz,  dx = dz W^T
 * </pre>
 *
 * The bias and activation run in the GEMM's epilogue, and the derivative with the bias column
 * sums, while the data is cache-hot. For a linear activation z and y share one buffer. Not
 * thread-safe (see {@link Layer}).
 */
public final class Dense implements Layer {

  private final int in;
  private final int out;
  private final Activation act;
  private final ParameterStore params;
  private final ParameterStore.Slot w;
  private final ParameterStore.Slot b;
  private final GemmContext gemm;
  private float[] z;
  private float[] y;
  private float[] dz;
  private float[] dx;
  private float[] x;
  private boolean inputGradient = true;

  /** A layer with its own single-threaded {@link GemmContext} (tests, stand-alone use). */
  public Dense(String name, int in, int out, Activation act, ParameterStore params) {
    this(name, in, out, act, params, GemmContext.of(1));
  }

  /** A layer whose products use {@code gemm}, typically shared by all layers of one network. */
  public Dense(String name, int in, int out, Activation act, ParameterStore params, GemmContext gemm) {
    this.gemm = gemm;
    this.in = in;
    this.out = out;
    this.act = act;
    this.params = params;
    this.w = params.add(name + ".weight", in, out, true);
    this.b = params.add(name + ".bias", 1, out, false);
  }

  public ParameterStore.Slot weightSlot() {
    return w;
  }

  public ParameterStore.Slot biasSlot() {
    return b;
  }

  /** The pre-activation z = x W + b of the last forward, {@code rows x out} (for tests and diagnostics). Live array. */
  public float[] preActivation() {
    return z;
  }

  /** The output a(z) of the last forward, {@code rows x out}. Live array. */
  public float[] output() {
    return y;
  }

  public Activation activation() {
    return act;
  }

  /** The layer's name, e.g. {@code blocks.0.dense1}. */
  public String name() {
    return w.name().substring(0, w.name().length() - ".weight".length());
  }

  @Override
  public int inputWidth() {
    return in;
  }

  @Override
  public int outputWidth() {
    return out;
  }

  @Override
  public long floatsPerRow() {
    return (act == Activation.LINEAR ? out : 3L * out) + in;
  }

  @Override
  public void allocate(int maxRows) {
    y = new float[maxRows * out];
    z = act == Activation.LINEAR ? y : new float[maxRows * out];
    dz = act == Activation.LINEAR ? null : new float[maxRows * out];
    dx = new float[maxRows * in];
  }

  @Override
  public void initialize(Init init, RandomGenerator rng) {
    Initializers.weights(init.weights(), params.values(), w.offset(), in, out, rng);
    Initializers.biases(params.values(), b.offset(), out, init.biasSigma(), rng);
  }

  @Override
  public float[] forward(float[] x, int rows, boolean training) {
    this.x = x;
    float[] p = params.values();
    GemmKernel.gemmBiasActivation(gemm, rows, out, in, x, 0, p, w.offset(), p, b.offset(), act, z, 0, y, 0);
    return y;
  }

  @Override
  public float[] backward(float[] dy, int rows) {
    float[] g = dy;
    float[] grads = params.gradients();
    if (act != Activation.LINEAR) {
      ActivationKernel.backwardWithColumnSums(act, rows, out, z, 0, y, 0, dy, 0, dz, 0, grads, b.offset());
      g = dz;
    } else {
      ElementwiseKernel.columnSums(rows, out, g, 0, grads, b.offset(), false);
    }
    GemmKernel.gemmTN(gemm, in, out, rows, x, 0, g, 0, grads, w.offset(), false);
    if (!inputGradient) {
      return null;
    }
    GemmKernel.gemmNT(gemm, rows, in, out, g, 0, params.values(), w.offset(), dx, 0, false);
    return dx;
  }

  @Override
  public void needInputGradient(boolean needed) {
    inputGradient = needed;
  }

  /** 2 in out multiply-adds, out bias adds, and out activations unless linear. */
  @Override
  public long flopsPerSample() {
    return 2L * in * out + out + (act == Activation.LINEAR ? 0 : out);
  }
}
