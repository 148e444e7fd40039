package dev.strata.trainer.nn;

import dev.strata.trainer.init.CountingRandom;
import dev.strata.trainer.init.Rngs;
import dev.strata.trainer.kernel.ActivationKernel;
import dev.strata.trainer.kernel.ConvShape;
import dev.strata.trainer.kernel.GemmContext;
import dev.strata.trainer.kernel.LossKernel;
import dev.strata.trainer.meanfield.MeanField;
import dev.strata.trainer.spec.Activation;
import dev.strata.trainer.spec.BlockSpec;
import dev.strata.trainer.spec.ImageBlock;
import dev.strata.trainer.spec.ImageShape;
import dev.strata.trainer.spec.InceptionBlock;
import dev.strata.trainer.spec.Loss;
import dev.strata.trainer.spec.NetworkSpec;
import dev.strata.trainer.spec.PlainBlock;
import dev.strata.trainer.spec.ResidualBlock;
import dev.strata.trainer.spec.WeightInit;
import java.util.ArrayList;
import java.util.List;

/**
 * A network built from a {@link NetworkSpec}: its blocks, then a dense output layer, then the loss.
 * All parameters live in one flat array ({@link #parameters()}), their gradients in another of the
 * same layout, batch-norm running statistics in a third ({@link #state()}); layers hold offsets
 * (views) into them.
 *
 * <p>Call order: {@link #of(NetworkSpec)} plans the network without allocating anything large
 * ({@link #parameterCount()}, {@link #bytesFor(int)} and {@link #flopsPerSample()} are available
 * now, for the memory guard); {@link #allocate(int)} then creates every buffer once for batches of
 * up to {@code maxRows} rows; {@link #initialize()} draws the weights from the spec's seed. After
 * that, {@link #forward} and {@link #forwardBackward} allocate nothing.
 *
 * <p>Counting conventions for {@link #flopsPerSample()}: a dense layer costs 2 in out + out (bias)
 * + out (activation, unless linear); a stand-alone activation its width; batch norm 2 width; a
 * residual sum its width; dropout and concatenation nothing (inference mode).
 *
 * <p>Not thread-safe: one network belongs to one training (or one predicting thread).
 */
public final class Network {

  private final NetworkSpec spec;
  private final ParameterStore params = new ParameterStore();
  private final ParameterStore state = new ParameterStore();
  private final CountingRandom dropoutRng;
  /** Scratch and threads for every matrix product of this network (never shared with another). */
  private final GemmContext gemm;
  private final Sequential body;
  private final LossFunction lossFunction;
  /** Every dense layer in construction (forward) order, the output layer last. */
  private final List<Dense> denseLayers = new ArrayList<>();
  private float[] lossGrad;
  private float[] inputGradient;
  private int maxRows;
  /** The widest per-row buffer of the image layers (0 without them), for {@link #fitsArrays}. */
  private long widest;
  private final List<ConvShape> convolutions;
  private final List<WeightedLayer> weighted = new ArrayList<>();
  private final List<ActivationSite> sites = new ArrayList<>();
  private final List<BatchNorm> batchNorms = new ArrayList<>();
  private Conv2d lastConv;

  private Network(NetworkSpec spec) {
    this.spec = spec;
    this.dropoutRng = new CountingRandom(Rngs.of(spec.seed(), Rngs.DROPOUT));
    this.gemm = GemmContext.of(spec.training().threads());
    List<Layer> layers = new ArrayList<>();
    int w = spec.inputs();
    ImageShape img = spec.image();
    List<NetworkSpec.Shape> shapes = spec.shapes();
    ImageBlocks images = new ImageBlocks(params, state, gemm, dropoutRng, spec.training().dropout());
    for (int i = 0; i < spec.blocks().size(); i++) {
      BlockSpec b = spec.blocks().get(i);
      Layer l = b instanceof ImageBlock ib
          ? images.build("blocks." + i, ib, img, imageBlock(spec, i - 1), imageBlock(spec, i + 1))
          : block("blocks." + i, b, w);
      layers.add(l);
      w = shapes.get(i).width();
      img = shapes.get(i).image();
    }
    widest = images.widest();
    convolutions = images.convolutions();
    layers.add(dense("output", w, spec.outputs(), spec.outputActivation(), params, gemm));
    this.body = new Sequential(spec.inputs(), layers);
    this.body.needInputGradient(false);
    walk(body);
    dev.strata.trainer.spec.ClassWeights cw = spec.training().classWeights();
    this.lossFunction = new LossFunction(spec.loss(), spec.outputs(),
        cw == null || cw.balanced() ? null : cw.weights().stream().mapToDouble(Double::doubleValue).toArray());
  }

  /** Block {@code i} of {@code spec} if it exists and is an image block, else null. */
  private static ImageBlock imageBlock(NetworkSpec spec, int i) {
    return i >= 0 && i < spec.blocks().size() && spec.blocks().get(i) instanceof ImageBlock b ? b : null;
  }

  /** Plans the network for {@code spec}; nothing proportional to the parameter count is allocated. */
  public static Network of(NetworkSpec spec) {
    return new Network(spec);
  }

  // ---- construction from the spec ----

  /** Collects the weighted layers, activation sites and batch norms of the tree in forward order. */
  private void walk(Layer l) {
    switch (l) {
      case Dense d -> {
        weighted.add(new WeightedLayer(d.name(), d.weightSlot(), d.inputWidth(), d.outputWidth(), d.outputWidth(), 1, d));
        if (d.activation() != Activation.LINEAR && !d.name().equals("output")) {
          sites.add(new ActivationSite(d.name(), d.activation(), d.outputWidth(), 1, (rows, scratch) -> d.preActivation()));
        }
      }
      case Conv2d c -> {
        ConvShape s = c.shape();
        weighted.add(new WeightedLayer(c.name(), c.weightSlot(), s.groupK(),
            s.outChannels() / s.groups() * s.kernel() * s.kernel(), s.outChannels(), s.outPlane(), c));
        lastConv = c;
      }
      case BatchNorm b -> {
        batchNorms.add(b);
        if (b.fusedRelu()) {
          sites.add(new ActivationSite(b.name() + "+relu", Activation.RELU, b.channels(), b.plane(), (rows, scratch) -> {
            b.normalized(rows, scratch);
            return scratch;
          }));
        }
      }
      case ActivationLayer a -> {
        if (a.activation() != Activation.LINEAR) {
          sites.add(new ActivationSite(a.name(), a.activation(), a.channels(), a.plane(), (rows, scratch) -> a.input()));
        }
      }
      case Pool2d p when p.relu() -> {
        // the conv block's ReLU, moved past this max pooling: seen on the convolution's output, where the spec has it
        ConvShape s = p.shape();
        String name = lastConv == null ? "pool" : lastConv.name();
        sites.add(new ActivationSite(name + ".act", Activation.RELU, s.inChannels(), s.height() * s.width(),
            (rows, scratch) -> p.input()));
      }
      default -> {
        for (Layer c : l.children()) {
          walk(c);
        }
      }
    }
  }

  private Dense dense(String name, int in, int out, Activation act, ParameterStore store, GemmContext ctx) {
    Dense d = new Dense(name, in, out, act, store, ctx);
    denseLayers.add(d);
    return d;
  }

  private double dropoutOf(BlockSpec b) {
    return b.dropout() != null ? b.dropout() : spec.training().dropout();
  }

  private Layer block(String name, BlockSpec b, int in) {
    return switch (b) {
      case PlainBlock p -> plain(name, p, in);
      case ResidualBlock r -> residual(name, r, in);
      case InceptionBlock c -> inception(name, c, in);
      case ImageBlock ib -> throw new IllegalStateException("image block " + ib + " built as dense");
    };
  }

  private Layer plain(String name, PlainBlock p, int in) {
    List<Layer> layers = new ArrayList<>();
    double rate = dropoutOf(p);
    for (int j = 0; j < p.layers(); j++) {
      addDense(layers, name + ".dense" + j, j == 0 ? in : p.width(), p.width(), p.activation(), p.batchNorm(), name + ".bn" + j);
      if (rate > 0) {
        layers.add(new Dropout(p.width(), rate, dropoutRng));
      }
    }
    return new Sequential(in, layers);
  }

  /** Dense with fused activation, or Dense(linear) -> BatchNorm -> Activation. */
  private void addDense(List<Layer> layers, String name, int in, int out, Activation act, boolean bn, String bnName) {
    if (bn) {
      layers.add(dense(name, in, out, Activation.LINEAR, params, gemm));
      layers.add(new BatchNorm(bnName, out, params, state));
      if (act != Activation.LINEAR) {
        layers.add(new ActivationLayer(name + ".act", out, 1, act));
      }
    } else {
      layers.add(dense(name, in, out, act, params, gemm));
    }
  }

  private Layer residual(String name, ResidualBlock r, int in) {
    List<Layer> f = new ArrayList<>();
    int k = r.layers();
    int w = r.width();
    if (r.preActivation()) {
      for (int j = 0; j < k; j++) {
        int fin = j == 0 ? in : w;
        if (r.batchNorm()) {
          f.add(new BatchNorm(name + ".bn" + j, fin, params, state));
        }
        f.add(new ActivationLayer(name + ".act" + j, fin, 1, r.activation()));
        f.add(dense(name + ".dense" + j, fin, w, Activation.LINEAR, params, gemm));
      }
    } else {
      for (int j = 0; j < k - 1; j++) {
        addDense(f, name + ".dense" + j, j == 0 ? in : w, w, r.activation(), r.batchNorm(), name + ".bn" + j);
      }
      f.add(dense(name + ".dense" + (k - 1), k == 1 ? in : w, w, Activation.LINEAR, params, gemm));
      if (r.batchNorm()) {
        f.add(new BatchNorm(name + ".bn" + (k - 1), w, params, state));
      }
    }
    Layer branch = new Sequential(in, f);
    Dense shortcut = in != w ? dense(name + ".shortcut", in, w, Activation.LINEAR, params, gemm) : null;
    double rate = dropoutOf(r);
    Dropout drop = rate > 0 ? new Dropout(w, rate, dropoutRng) : null;
    ActivationLayer post = r.preActivation() ? null : new ActivationLayer(name + ".act", w, 1, r.activation());
    return new Residual(branch, shortcut, drop, post);
  }

  private Layer inception(String name, InceptionBlock c, int in) {
    List<Layer> branches = new ArrayList<>();
    for (int i = 0; i < c.branches().size(); i++) {
      InceptionBlock.Branch b = c.branches().get(i);
      List<Layer> layers = new ArrayList<>();
      for (int j = 0; j < b.layers(); j++) {
        layers.add(dense(name + ".branch" + i + ".dense" + j, j == 0 ? in : b.width(), b.width(), b.activation(), params, gemm));
      }
      branches.add(new Sequential(in, layers));
    }
    Dense projection = c.projection() == null ? null
        : dense(name + ".projection", c.concatWidth(), c.projection(), Activation.LINEAR, params, gemm);
    double rate = dropoutOf(c);
    Dropout drop = rate > 0 ? new Dropout(c.outputWidth(), rate, dropoutRng) : null;
    return new Inception(branches, projection, drop);
  }

  // ---- sizes ----

  /** Draws made so far from the dropout stream; a training checkpoint saves it. */
  public long dropoutDraws() {
    return dropoutRng.draws();
  }

  /** Advances the dropout stream by {@code n} draws: restores it after a checkpoint. */
  public void skipDropoutDraws(long n) {
    dropoutRng.skip(n);
  }

  public NetworkSpec spec() {
    return spec;
  }

  public int inputs() {
    return spec.inputs();
  }

  public int outputs() {
    return spec.outputs();
  }

  /** Number of trainable parameters. */
  public long parameterCount() {
    return params.size();
  }

  /** Number of non-trainable state values (batch-norm running statistics). */
  public long stateCount() {
    return state.size();
  }

  /** Forward floating-point operations per sample; conventions in the class comment. */
  public long flopsPerSample() {
    return body.flopsPerSample();
  }

  /**
   * Bytes that {@link #allocate(int)} will take: parameters, gradients, state, every layer's
   * activation and gradient buffers for {@code maxRows} rows, and the loss gradient. Optimizer state
   * is not included (see the trainer's memory estimate).
   */
  public long bytesFor(int maxRows) {
    long floats = 2 * params.size() + state.size() + body.fixedFloats()
        + (long) maxRows * (body.floatsPerRow() + spec.outputs());
    return 4 * floats;
  }

  /** Whether any single buffer for {@code maxRows} rows would exceed a Java array. */
  public boolean fitsArrays(int maxRows) {
    long widest = Math.max(this.widest, Math.max(spec.inputs(), spec.outputs()));
    for (BlockSpec b : spec.blocks()) {
      if (!(b instanceof ImageBlock)) {
        widest = Math.max(widest, b instanceof InceptionBlock c ? Math.max(c.concatWidth(), b.outputWidth()) : b.outputWidth());
      }
    }
    return params.size() < Integer.MAX_VALUE - 16 && state.size() < Integer.MAX_VALUE - 16
        && widest * maxRows < Integer.MAX_VALUE - 16;
  }

  // ---- allocation and initialisation ----

  /** Creates all buffers for batches of up to {@code maxRows} rows. Call once. */
  public void allocate(int maxRows) {
    if (this.maxRows != 0) {
      throw new IllegalStateException("already allocated for " + this.maxRows + " rows");
    }
    if (!fitsArrays(maxRows)) {
      throw new IllegalStateException("network too large for Java arrays");
    }
    params.allocate(true);
    state.allocate(false);
    body.allocate(maxRows);
    lossGrad = new float[maxRows * spec.outputs()];
    this.maxRows = maxRows;
  }

  /** The row capacity given to {@link #allocate(int)} (0 before). */
  public int maxRows() {
    return maxRows;
  }

  /**
   * Draws initial parameters from the spec's initialiser and seed (stream {@link Rngs#INIT}); a
   * {@code critical} init is first resolved to its mean-field gaussian ({@link MeanField#resolve}).
   */
  public void initialize() {
    double biasSigma = spec.training().biasSigma();
    WeightInit init = MeanField.resolve(spec.training().init(), MeanField.hiddenActivation(spec), biasSigma);
    body.initialize(new Layer.Init(init, biasSigma), Rngs.of(spec.seed(), Rngs.INIT));
  }

  // ---- compute ----

  /**
   * Forward pass over the first {@code rows} rows of {@code x} ({@code rows x inputs}); returns the
   * output-layer values (logits for the cross-entropy losses) in a network-owned buffer.
   */
  public float[] forward(float[] x, int rows, boolean training) {
    checkRows(rows);
    return body.forward(x, rows, training);
  }

  /**
   * One training-mode forward and backward pass; returns the mean batch loss and leaves the
   * gradient of that loss in {@link #gradients()}. {@code labels} for softmax cross-entropy,
   * {@code targets} ({@code rows x outputs}) otherwise.
   */
  public double forwardBackward(float[] x, int rows, int[] labels, float[] targets) {
    float[] out = forward(x, rows, true);
    double loss = lossFunction.applyTraining(out, rows, labels, targets, lossGrad);
    inputGradient = body.backward(lossGrad, rows);
    return loss;
  }

  /**
   * Backward pass from a given gradient of the output-layer values ({@code rows x outputs}), after a
   * training-mode {@link #forward}; leaves the parameter gradients in {@link #gradients()}. For
   * scores that differentiate something other than the loss (SynFlow).
   */
  public void backwardFrom(float[] outputGradient, int rows) {
    checkRows(rows);
    inputGradient = body.backward(outputGradient, rows);
  }

  /**
   * Whether {@link #forwardBackward} also computes the gradient with respect to the input (off by
   * default: training does not need it, and skipping it saves a matrix product in the first layer).
   */
  public void computeInputGradient(boolean on) {
    body.needInputGradient(on);
  }

  /**
   * d(mean loss)/d(input) from the last {@link #forwardBackward}, {@code rows x inputs} in a
   * network-owned buffer; null unless {@link #computeInputGradient(boolean)} is on.
   */
  public float[] inputGradient() {
    return inputGradient;
  }

  /**
   * Maps output-layer values to predictions in place: softmax probabilities for softmax
   * cross-entropy, sigmoid probabilities for binary cross-entropy, unchanged for MSE.
   */
  public void toPredictions(float[] out, int rows) {
    if (spec.loss() == Loss.SOFTMAX_CROSS_ENTROPY) {
      LossKernel.softmax(rows, spec.outputs(), out, 0, out, 0);
    } else if (spec.loss() == Loss.BINARY_CROSS_ENTROPY) {
      ActivationKernel.forward(Activation.SIGMOID, rows, spec.outputs(), out, 0, null, 0, out, 0);
    }
  }

  public LossFunction lossFunction() {
    return lossFunction;
  }

  private void checkRows(int rows) {
    if (rows < 0 || rows > maxRows) {
      throw new IllegalArgumentException("batch of " + rows + " rows, allocated for " + maxRows);
    }
  }

  // ---- parameter access ----

  /** All trainable parameters, laid out as {@link #parameterSlots()}. Live array. */
  public float[] parameters() {
    return params.values();
  }

  /** Gradients of the last {@link #forwardBackward}, same layout as {@link #parameters()}. Live array. */
  public float[] gradients() {
    return params.gradients();
  }

  /** Batch-norm running statistics, laid out as {@link #stateSlots()}. Live array. */
  public float[] state() {
    return state.values();
  }

  public List<ParameterStore.Slot> parameterSlots() {
    return params.slots();
  }

  public List<ParameterStore.Slot> stateSlots() {
    return state.slots();
  }

  /** The weight-matrix slots (those with weight decay) in forward order; the last is the output layer. */
  public List<ParameterStore.Slot> weightSlots() {
    return params.slots().stream().filter(ParameterStore.Slot::decay).toList();
  }

  /**
   * Every dense layer of the dense blocks and the output layer, in forward order (a residual
   * shortcut follows its branch; image blocks' layers are not included), the output layer last: for
   * analysis at initialisation, which reads their pre-activations and outputs.
   */
  public List<Dense> denseLayers() {
    return java.util.Collections.unmodifiableList(denseLayers);
  }

  /**
   * Every layer with a weight tensor (dense and convolution layers, the output layer last), in
   * forward order (a residual shortcut after its branch): for analysis at initialisation.
   */
  public List<WeightedLayer> weightedLayers() {
    return java.util.Collections.unmodifiableList(weighted);
  }

  /**
   * Every place an activation function is applied (hidden dense layers, stand-alone activations,
   * ReLUs fused into batch norm or moved past max pooling; linear ones and the output layer's left
   * out), in forward order: for analysis at initialisation (per-layer statistics, NASWOT's codes).
   */
  public List<ActivationSite> activationSites() {
    return java.util.Collections.unmodifiableList(sites);
  }

  /**
   * Batch norm as the identity (true) or as normal (false), in every batch-norm layer: see {@link
   * BatchNorm#identity(boolean)}. For SynFlow, which scores the network without batch norm.
   */
  public void batchNormAsIdentity(boolean on) {
    for (BatchNorm b : batchNorms) {
      b.identity(on);
    }
  }

  /** The shapes of the network's convolutions, in build order (benchmarks, diagnostics). */
  public List<ConvShape> convolutions() {
    return convolutions;
  }

  /** The layer tree (for tests and diagnostics). */
  Sequential body() {
    return body;
  }
}
