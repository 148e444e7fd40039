package dev.strata.benchmarks;

import dev.strata.trainer.kernel.GemmContext;
import dev.strata.trainer.kernel.GemmKernel;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * GEMM against OpenBLAS in one JVM: Strata's kernel and the system's {@code cblas_sgemm} (called
 * through the foreign-function API on the same heap arrays) take turns in short slices on one
 * thread, so both see the same machine state. On a shared 2-core VM whose speed swings by tens of
 * percent between minutes, the per-round ratio is far steadier than two processes run one after
 * the other; {@code bench/compare.sh} reports it next to the numpy figures.
 *
 * <p>Usage: {@code java --enable-native-access=ALL-UNNAMED -cp benchmarks.jar
 * dev.strata.benchmarks.GemmVsOpenBlas [--lib PATH] [--rounds N] [--slice-ms MS] [--json FILE]
 * [shape ...]}, shapes as in {@link GemmBench} ({@code op:MxKxN}); GemmBench's list by default.
 * OpenBLAS runs on one thread ({@code openblas_set_num_threads(1)}).
 */
public final class GemmVsOpenBlas {

  private static final int ROW_MAJOR = 101;
  private static final int NO_TRANS = 111;
  private static final int TRANS = 112;
  private static final String DEFAULT_LIB = "/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0";

  private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

  private final MethodHandle sgemm;
  private final GemmContext ctx = GemmContext.of(1);

  private GemmVsOpenBlas(String lib, Arena arena) throws Throwable {
    Linker linker = Linker.nativeLinker();
    SymbolLookup blas = SymbolLookup.libraryLookup(Path.of(lib), arena);
    MemorySegment symbol = blas.find("cblas_sgemm").orElseThrow(
        () -> new IllegalStateException(lib + " has no cblas_sgemm; point --lib at an OpenBLAS library"));
    ValueLayout.OfInt i = ValueLayout.JAVA_INT;
    ValueLayout.OfFloat f = ValueLayout.JAVA_FLOAT;
    ValueLayout p = ValueLayout.ADDRESS;
    // critical(true): OpenBLAS reads and writes the Java arrays in place, no copies.
    sgemm = linker.downcallHandle(symbol,
        FunctionDescriptor.ofVoid(i, i, i, i, i, i, f, p, i, p, i, f, p, i), Linker.Option.critical(true));
    MethodHandle threads = blas.find("openblas_set_num_threads")
        .map(s -> linker.downcallHandle(s, FunctionDescriptor.ofVoid(i)))
        .orElseThrow(() -> new IllegalStateException(lib + " is not OpenBLAS (no openblas_set_num_threads)"));
    threads.invokeExact(1);
  }

  /** One product, the way training runs it: a reused context, C overwritten. */
  private void strata(GemmBench.Shape s, float[] a, float[] b, float[] c) {
    switch (s.op()) {
      case NN -> GemmKernel.gemm(ctx, s.m(), s.n(), s.k(), a, 0, b, 0, c, 0, false);
      case TN -> GemmKernel.gemmTN(ctx, s.m(), s.n(), s.k(), a, 0, b, 0, c, 0, false);
      case NT -> GemmKernel.gemmNT(ctx, s.m(), s.n(), s.k(), a, 0, b, 0, c, 0, false);
    }
  }

  /** The same product through cblas_sgemm, row-major; transposed operands as transpose flags. */
  private void openBlas(GemmBench.Shape s, float[] a, float[] b, float[] c) throws Throwable {
    boolean ta = s.op() == GemmBench.Op.TN;
    boolean tb = s.op() == GemmBench.Op.NT;
    sgemm.invokeExact(ROW_MAJOR, ta ? TRANS : NO_TRANS, tb ? TRANS : NO_TRANS, s.m(), s.n(), s.k(), 1.0f,
        MemorySegment.ofArray(a), ta ? s.m() : s.k(), MemorySegment.ofArray(b), tb ? s.k() : s.n(), 0.0f,
        MemorySegment.ofArray(c), s.n());
  }

  /** Per-slice GFLOP/s of both, in round order. */
  record Result(GemmBench.Shape shape, double[] strata, double[] openBlas, double maxRelativeError) {

    /** Strata over OpenBLAS, one per pair of slices. */
    double[] ratios() {
      return Interleaved.ratios(strata, openBlas);
    }
  }

  private Result measure(GemmBench.Shape s, int rounds, long sliceNanos) throws Throwable {
    SplittableRandom rng = new SplittableRandom(42);
    float[] a = Data.gaussian(rng, s.m() * s.k());
    float[] b = Data.gaussian(rng, s.k() * s.n());
    float[] mine = new float[s.m() * s.n()];
    float[] theirs = new float[s.m() * s.n()];
    strata(s, a, b, mine);
    openBlas(s, a, b, theirs);
    double error = 0;
    for (int i = 0; i < mine.length; i++) {
      error = Math.max(error, Math.abs(mine[i] - theirs[i]) / Math.max(1.0, Math.abs(theirs[i])));
    }
    if (error > 1e-3) {
      throw new IllegalStateException(s.text() + ": Strata and OpenBLAS disagree (max relative error " + error + ")");
    }
    // Warm-up until Strata's speed settles (the JIT's compiler threads compete for the same 2 cores),
    // at most 8 s; then OpenBLAS's caches and pages.
    double previous = 0;
    for (int i = 0; i < 40; i++) {
      double now = slice(s, a, b, mine, true, 200_000_000L);
      if (i >= 4 && Math.abs(now - previous) <= 0.03 * previous) {
        break;
      }
      previous = now;
    }
    slice(s, a, b, theirs, false, 500_000_000L);
    Interleaved.Pairs pairs = Interleaved.run(rounds, sliceNanos, n -> slice(s, a, b, mine, true, n),
        n -> slice(s, a, b, theirs, false, n));
    return new Result(s, pairs.first(), pairs.second(), error);
  }

  /**
   * GFLOP/s of back-to-back products for about {@code nanos} of this thread's CPU time: on a shared
   * machine the time the thread spends descheduled does not count against either side (as in
   * bench/fma_peak.c). The clock is read once per batch of about 2 MFLOP, so that reading it costs
   * little even for the smallest products.
   */
  private double slice(GemmBench.Shape s, float[] a, float[] b, float[] c, boolean useStrata, long nanos) throws Throwable {
    int batch = (int) Math.max(1, 2e6 / s.flop());
    long calls = 0;
    long start = CPU.getCurrentThreadCpuTime();
    long now;
    do {
      for (int i = 0; i < batch; i++) {
        if (useStrata) {
          strata(s, a, b, c);
        } else {
          openBlas(s, a, b, c);
        }
      }
      calls += batch;
      now = CPU.getCurrentThreadCpuTime();
    } while (now - start < nanos);
    return s.flop() * calls / (now - start);
  }

  public static void main(String[] args) throws Throwable {
    HarnessArgs options = HarnessArgs.parse(args, Set.of("--lib", "--rounds", "--slice-ms", "--json"),
        "GemmVsOpenBlas [--lib PATH] [--rounds N] [--slice-ms MS] [--json FILE] [op:MxKxN ...]");
    String lib = options.text("--lib", DEFAULT_LIB);
    int rounds = options.integer("--rounds", 20);
    long sliceMs = options.integer("--slice-ms", 100);
    Path json = options.path("--json");
    List<GemmBench.Shape> shapes = new ArrayList<>();
    for (String shape : options.positional()) {
      shapes.add(GemmBench.Shape.parse(shape));
    }
    if (shapes.isEmpty()) {
      for (String s : GemmBench.class.getField("shape").getAnnotation(org.openjdk.jmh.annotations.Param.class)
          .value()) {
        shapes.add(GemmBench.Shape.parse(s));
      }
    }
    List<Result> results = new ArrayList<>();
    WarmUp.gemmKernels();
    try (Arena arena = Arena.ofConfined()) {
      GemmVsOpenBlas bench = new GemmVsOpenBlas(lib, arena);
      System.out.printf("%-22s %9s %9s %8s %15s%n", "shape", "Strata", "OpenBLAS", "ratio", "quartiles");
      for (GemmBench.Shape s : shapes) {
        Result r = bench.measure(s, rounds, sliceMs * 1_000_000L);
        double[] ratios = r.ratios();
        System.out.printf("%-22s %9.1f %9.1f %7.3fx %7.3f-%.3f%n", s.text(), Quantiles.median(r.strata),
            Quantiles.median(r.openBlas), Quantiles.median(ratios), Quantiles.of(ratios, 0.25), Quantiles.of(ratios, 0.75));
        results.add(r);
      }
    }
    if (json != null) {
      write(json, lib, results);
    }
  }

  private static void write(Path file, String lib, List<Result> results) throws IOException {
    StringBuilder out = new StringBuilder("{\"library\": \"").append(lib).append("\", \"shapes\": {");
    for (int i = 0; i < results.size(); i++) {
      Result r = results.get(i);
      out.append(i == 0 ? "\n" : ",\n").append("  \"").append(r.shape.text()).append("\": {\"strata_gflops\": ")
          .append(Arrays.toString(r.strata)).append(", \"openblas_gflops\": ").append(Arrays.toString(r.openBlas))
          .append(", \"max_relative_error\": ").append(r.maxRelativeError).append('}');
    }
    Files.writeString(file, out.append("\n}}\n"));
  }
}
