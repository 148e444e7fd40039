package dev.strata.benchmarks;

import dev.strata.trainer.kernel.ConvKernel;
import dev.strata.trainer.kernel.ConvShape;
import dev.strata.trainer.kernel.GemmContext;
import dev.strata.trainer.nn.Network;
import dev.strata.trainer.optim.Optimizer;
import dev.strata.trainer.spec.ImageShape;
import dev.strata.trainer.spec.NetworkSpec;
import dev.strata.trainer.spec.NetworkSpecs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Steady-state training steps per second of the convolutional networks (e)-(h) of issue 17, the
 * twin of {@code bench/conv_torch.py}: forward, softmax cross-entropy, backward and an SGD-momentum
 * update on one fixed random batch of 64, on one thread, exactly the calls {@code Trainer} makes
 * per mini-batch. Each figure is the median of 7 samples of about 0.3 s of back-to-back steps,
 * after stepping until the rate stops rising (the JIT). Prints one JSON object to stdout.
 *
 * <p>The networks are the repository's examples: (e) {@code fashion-mnist-cnn.json}, (f)
 * {@code fashion-mnist-resnet.json}, (g) {@code fashion-mnist-inception.json}, (h) = (f) on
 * 3x32x32.
 *
 * <p>{@code --layers} instead times each convolution of (e)-(h) alone (forward, then the backward
 * that computes dW, db and dx), at batch 64, and prints its GFLOP/s (2 flops per multiply-add,
 * forward + 2x backward) in this thread's CPU time.
 *
 * <p>{@code --layout} compares the matrix products of one training step of each convolution of (e)
 * in the two layouts: NCHW, one product per sample ({@code W (C_out x K)} times the unfolded sample
 * {@code K x HW}: wide rows, the layout the trainer uses), against NHWC, one product per batch (the
 * unfolded batch {@code N HW x K} times {@code W^T (K x C_out)}: as many columns as output channels).
 * Unfolding costs the same in both, so only the products are timed.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.strata.benchmarks.ConvBench [--examples DIR]
 * [--layers | --layout] [e f g h]}
 */
public final class ConvBench {

  static final int BATCH = 64;

  private ConvBench() {}

  public static void main(String[] args) throws IOException {
    Path examples = Path.of("examples");
    boolean layers = false;
    List<String> nets = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--examples" -> examples = Path.of(args[++i]);
        case "--layers" -> layers = true;
        case "--layout" -> {
          layout();
          return;
        }
        default -> nets.add(args[i]);
      }
    }
    if (nets.isEmpty()) {
      nets = List.of("e", "f", "g", "h");
    }
    WarmUp.gemmKernels();
    StringBuilder json = new StringBuilder("{\"threads\": 1, \"batch\": " + BATCH + ", \"nets\": {");
    for (int i = 0; i < nets.size(); i++) {
      String n = nets.get(i);
      NetworkSpec spec = spec(examples, n);
      json.append(i == 0 ? "" : ", ").append('"').append(n).append("\": ");
      json.append(layers ? layerRates(spec) : stepsPerSecond(spec, n));
    }
    System.out.println(json.append("}}"));
  }

  static NetworkSpec spec(Path examples, String name) throws IOException {
    String file = switch (name) {
      case "e" -> "fashion-mnist-cnn.json";
      case "f", "h" -> "fashion-mnist-resnet.json";
      case "g" -> "fashion-mnist-inception.json";
      default -> throw new IllegalArgumentException("no network '" + name + "'; use e, f, g or h");
    };
    NetworkSpec s = NetworkSpecs.parse(Files.readString(examples.resolve(file)), file);
    if (name.equals("h")) {
      s = s.toBuilder().inputs(0).image(ImageShape.of(3, 32, 32)).build();
    }
    // the benchmark's optimiser: SGD with momentum 0.9, lr 0.01, batch 64, nothing else (the
    // examples' weight decay and augmentation are for accuracy, and PyTorch's twin has neither)
    return s.withTraining(s.training().toBuilder().learningRate(0.01).momentum(0.9).batchSize(BATCH).weightDecay(0)
        .augment(null).build());
  }

  /** {@code {"steps_per_second": wall, "cpu_steps_per_second": thread CPU}}, medians of 7 samples. */
  static String stepsPerSecond(NetworkSpec spec, String name) {
    Network net = Network.of(spec);
    net.allocate(BATCH);
    net.initialize();
    Optimizer opt = Optimizer.create(spec.training(), net.parameters(), net.gradients(), net.parameterSlots());
    SplittableRandom rng = new SplittableRandom(1);
    float[] x = Data.gaussian(rng, BATCH * spec.inputs());
    int[] labels = Data.labels(rng, BATCH, spec.outputs());
    Runnable step = () -> {
      net.forwardBackward(x, BATCH, labels, null);
      opt.step(0.01);
    };
    untilFlat(step);
    double[] rates = new double[7];
    double[] cpu = new double[7];
    for (int i = 0; i < rates.length; i++) {
      long c0 = THREADS.getCurrentThreadCpuTime();
      long t0 = System.nanoTime();
      long n = steps(step, 300_000_000L);
      long t1 = System.nanoTime();
      long c1 = THREADS.getCurrentThreadCpuTime();
      rates[i] = n * 1e9 / (t1 - t0);
      cpu[i] = n * 1e9 / Math.max(1, c1 - c0);
    }
    Arrays.sort(rates);
    Arrays.sort(cpu);
    System.err.printf(Locale.ROOT, "strata %s: %.1f steps/s wall, %.1f steps/s of thread CPU time%n", name, rates[3],
        cpu[3]);
    return String.format(Locale.ROOT, "{\"steps_per_second\": %.3f, \"cpu_steps_per_second\": %.3f}", rates[3],
        cpu[3]);
  }

  private static final java.lang.management.ThreadMXBean THREADS =
      java.lang.management.ManagementFactory.getThreadMXBean();

  /** Steps run back to back until {@code nanos} of wall time have passed. */
  static long steps(Runnable step, long nanos) {
    long start = System.nanoTime();
    long n = 0;
    do {
      step.run();
      n++;
    } while (System.nanoTime() - start < nanos);
    return n;
  }

  /** Steps until four half-second windows in a row are no more than 5% faster than the best before, at most 60 s. */
  static void untilFlat(Runnable step) {
    long deadline = System.nanoTime() + 60_000_000_000L;
    double best = 0;
    for (int flat = 0; flat < 4 && System.nanoTime() < deadline; ) {
      double r = rate(step, 500_000_000L);
      if (r > 1.05 * best) {
        best = r;
        flat = 0;
      } else {
        flat++;
      }
    }
  }

  static double rate(Runnable step, long nanos) {
    long start = System.nanoTime();
    long n = 0;
    long elapsed;
    do {
      step.run();
      n++;
      elapsed = System.nanoTime() - start;
    } while (elapsed < nanos);
    return n * 1e9 / elapsed;
  }

  static void layout() {
    GemmContext ctx = GemmContext.of(1);
    int[][] convs = {{1, 16, 28 * 28, 9}, {16, 32, 14 * 14, 144}}; // C_in, C_out, pixels, K of (e)
    for (int round = 0; round < 3; round++) {
      for (int[] c : convs) {
        int cout = c[1];
        int p = c[2];
        int k = c[3];
        float[] col = Data.gaussian(new SplittableRandom(4), BATCH * p * k);
        float[] w = Data.gaussian(new SplittableRandom(5), cout * k);
        float[] y = Data.gaussian(new SplittableRandom(6), BATCH * p * cout);
        float[] dw = new float[cout * k];
        float[] dcol = new float[BATCH * p * k];
        Runnable nchw = () -> {
          for (int n = 0; n < BATCH; n++) {
            dev.strata.trainer.kernel.GemmKernel.gemm(ctx, cout, p, k, w, 0, col, n * p * k, y, n * p * cout, false);
          }
          for (int n = 0; n < BATCH; n++) {
            dev.strata.trainer.kernel.GemmKernel.gemmNT(ctx, cout, k, p, y, n * p * cout, col, n * p * k, dw, 0, n > 0);
            dev.strata.trainer.kernel.GemmKernel.gemmTN(ctx, k, p, cout, w, 0, y, n * p * cout, dcol, n * p * k, false);
          }
        };
        Runnable nhwc = () -> {
          dev.strata.trainer.kernel.GemmKernel.gemm(ctx, BATCH * p, cout, k, col, 0, w, 0, y, 0, false);
          dev.strata.trainer.kernel.GemmKernel.gemmTN(ctx, k, cout, BATCH * p, col, 0, y, 0, dw, 0, false);
          dev.strata.trainer.kernel.GemmKernel.gemmNT(ctx, BATCH * p, k, cout, y, 0, w, 0, dcol, 0, false);
        };
        double flops = 3 * 2.0 * BATCH * p * k * cout;
        untilFlat(nchw);
        untilFlat(nhwc);
        double a = rate(nchw, 1_000_000_000L);
        double b = rate(nhwc, 1_000_000_000L);
        System.out.printf(Locale.ROOT, "round %d conv %d->%d K=%d HW=%d: NCHW per sample %.2f GFLOP/s, NHWC batched %.2f"
            + " GFLOP/s, NCHW/NHWC %.2f%n", round, c[0], cout, k, p, a * flops / 1e9, b * flops / 1e9, a / b);
      }
    }
  }

  /** Every distinct convolution of the network, timed alone. */
  static String layerRates(NetworkSpec spec) {
    List<ConvShape> shapes = new ArrayList<>();
    shapes.addAll(Network.of(spec).convolutions());
    StringBuilder sb = new StringBuilder("[");
    GemmContext ctx = GemmContext.of(1);
    for (ConvShape s : shapes.stream().distinct().toList()) {
      float[] x = Data.gaussian(new SplittableRandom(2), BATCH * s.inSize());
      float[] w = Data.gaussian(new SplittableRandom(3), s.weightCount());
      float[] y = new float[BATCH * s.outSize()];
      float[] dw = new float[s.weightCount()];
      float[] dx = new float[BATCH * s.inSize()];
      float[] col = new float[ConvKernel.colSize(s)];
      float[] dcol = new float[ConvKernel.dcolSize(s)];
      float[] work = new float[ConvKernel.workSize(s)];
      Runnable step = () -> {
        ConvKernel.forward(ctx, s, BATCH, x, 0, w, 0, null, 0, y, 0, col);
        ConvKernel.backward(ctx, s, BATCH, x, 0, y, 0, w, 0, dw, 0, null, 0, dx, 0, col, dcol, work);
      };
      untilFlat(step);
      double[] r = new double[5];
      for (int i = 0; i < r.length; i++) {
        long c0 = THREADS.getCurrentThreadCpuTime();
        long n = steps(step, 200_000_000L);
        r[i] = n * 1e9 / Math.max(1, THREADS.getCurrentThreadCpuTime() - c0);
      }
      Arrays.sort(r);
      double gflops = r[2] * 3 * 2.0 * s.macs() * BATCH / 1e9;
      String d = String.format(Locale.ROOT, "{\"shape\": \"%dx%dx%d k%d s%d g%d -> %d\", \"gflops\": %.2f}",
          s.inChannels(), s.height(), s.width(), s.kernel(), s.stride(), s.groups(), s.outChannels(), gflops);
      System.err.println("strata conv " + d);
      sb.append(sb.length() > 1 ? ", " : "").append(d);
    }
    return sb.append("]").toString();
  }
}
