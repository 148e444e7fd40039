package dev.strata.benchmarks;

import dev.strata.trainer.kernel.GemmContext;
import dev.strata.trainer.kernel.GemmKernel;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Single-threaded throughput of the three {@link GemmKernel} products on the square sizes and the
 * shapes of the 784-256-256-10 MLP at batch 64 (forward, weight gradient, input gradient).
 *
 * <p>The score is products per second. {@code @OperationsPerInvocation} cannot depend on a
 * parameter, so GFLOP/s is {@code score * 2 M K N / 1e9}; {@code bench/compare_table.py} does that
 * from the shape name.
 *
 * <p>A shape reads {@code op:MxKxN}, the product of an M x K and a K x N operand as written in the
 * issue: {@code nn} is {@code gemm} (C = A B), {@code tn} is {@code gemmTN} (C = A^T B, A stored
 * K x M) and {@code nt} is {@code gemmNT} (C = A B^T, B stored N x K). C is always M x N and is
 * overwritten, as in training, and the products run with one reused {@link GemmContext}, as a
 * training's do (the overloads without one allocate fresh scratch per call).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
// Short: WarmUp has the kernels compiled before the first iteration.
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
// The flags of the strata launcher, so the figures are those of a real run.
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-XX:+UseParallelGC", "-XX:InlineSmallCode=6000"})
public class GemmBench {

  @Param({
    "nn:64x64x64", "nn:128x128x128", "nn:256x256x256", "nn:512x512x512", "nn:1024x1024x1024",
    // 784-256-256-10 at batch 64: forward X W, weight gradient X^T dY, input gradient dY W^T.
    "nn:64x784x256", "nn:64x256x256", "nn:64x256x10",
    "tn:784x64x256", "tn:256x64x256", "tn:256x64x10",
    "nt:64x256x784", "nt:64x256x256", "nt:64x10x256"
  })
  public String shape;

  /** Reused across calls, as each training reuses its own: scratch is allocated once. */
  private final GemmContext ctx = GemmContext.of(1);
  private Shape s;
  private float[] a;
  private float[] b;
  private float[] c;

  @Setup
  public void setup() {
    WarmUp.gemmKernels();
    s = Shape.parse(shape);
    SplittableRandom rng = new SplittableRandom(42);
    a = Data.gaussian(rng, s.m() * s.k());
    b = Data.gaussian(rng, s.k() * s.n());
    c = new float[s.m() * s.n()];
  }

  @Benchmark
  public float[] product() {
    switch (s.op()) {
      case NN -> GemmKernel.gemm(ctx, s.m(), s.n(), s.k(), a, 0, b, 0, c, 0, false);
      case TN -> GemmKernel.gemmTN(ctx, s.m(), s.n(), s.k(), a, 0, b, 0, c, 0, false);
      case NT -> GemmKernel.gemmNT(ctx, s.m(), s.n(), s.k(), a, 0, b, 0, c, 0, false);
    }
    return c;
  }

  /** Which operand is transposed. */
  enum Op { NN, TN, NT }

  /** A parsed {@code op:MxKxN} shape. */
  record Shape(Op op, int m, int k, int n) {

    static Shape parse(String text) {
      String[] parts = text.split(":");
      String[] dims = parts[1].split("x");
      return new Shape(Op.valueOf(parts[0].toUpperCase(java.util.Locale.ROOT)),
          Integer.parseInt(dims[0]), Integer.parseInt(dims[1]), Integer.parseInt(dims[2]));
    }

    /** The shape as written in {@link #shape}, e.g. {@code nn:64x784x256}. */
    String text() {
      return op.name().toLowerCase(java.util.Locale.ROOT) + ":" + m + "x" + k + "x" + n;
    }

    double flop() {
      return 2.0 * m * k * n;
    }
  }
}
