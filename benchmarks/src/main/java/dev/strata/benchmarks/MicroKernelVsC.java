package dev.strata.benchmarks;

import dev.strata.trainer.kernel.GemmKernel;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;

/**
 * GEMM's 6 x 2V micro-kernel as the JIT compiles it against the same loop compiled by gcc
 * ({@code bench/micro_kernel.c}, loaded through the foreign-function API), on one L1-resident tile:
 * a 256-deep packed B panel and 6 rows of A. Both take turns in short slices on one thread, the
 * order flipping each round, so the ratio isolates code generation from everything else a
 * product does (packing, cache blocking, edges) and from the host's swings. It checks first that
 * the two give the same bits.
 *
 * <p>Usage: {@code java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp
 * benchmarks.jar dev.strata.benchmarks.MicroKernelVsC --lib libmicro_kernel.so [--rounds N]
 * [--slice-ms MS] [--json FILE]}; build the library with {@code gcc -O2 -march=native -shared
 * -fPIC bench/micro_kernel.c -o libmicro_kernel.so}. Needs AVX2 (the kernel's 2V is 16 floats).
 */
public final class MicroKernelVsC {

  private static final int KC = 256;
  private static final int MR = 6;
  private static final int NR = 16;
  /** Kernel calls per timing check; the C side makes them in one foreign call. */
  private static final int REPS = 64;

  private final MethodHandle strata;
  private final MethodHandle twin;
  private final float[] a;
  private final float[] b;

  private MicroKernelVsC(String lib, Arena arena) throws ReflectiveOperationException {
    // The micro-kernel is private: the benchmark reaches it through a private lookup, so the
    // trainer exports nothing for it.
    strata = MethodHandles.privateLookupIn(GemmKernel.class, MethodHandles.lookup()).findStatic(GemmKernel.class,
        "micro", MethodType.methodType(void.class, int.class, float[].class, int.class, int.class, int.class,
            int.class, int.class, int.class, float[].class, int.class, float[].class, int.class, int.class,
            boolean.class));
    MemorySegment symbol = SymbolLookup.libraryLookup(Path.of(lib), arena).find("strata_micro_twin").orElseThrow(
        () -> new IllegalStateException(lib + " has no strata_micro_twin; build it from bench/micro_kernel.c"));
    ValueLayout.OfInt i = ValueLayout.JAVA_INT;
    ValueLayout p = ValueLayout.ADDRESS;
    // critical(true): the C loop reads and writes the Java arrays in place.
    twin = Linker.nativeLinker().downcallHandle(symbol, FunctionDescriptor.ofVoid(i, i, p, i, p, p, i, i),
        Linker.Option.critical(true));
    SplittableRandom rng = new SplittableRandom(42);
    a = Data.gaussian(rng, MR * KC);
    b = Data.gaussian(rng, KC * NR);
  }

  private void strata(float[] c, boolean load) throws Throwable {
    strata.invokeExact(KC, a, 0, KC, 2 * KC, 3 * KC, 4 * KC, 5 * KC, b, 0, c, 0, NR, load);
  }

  private void twin(int reps, float[] c, boolean load) throws Throwable {
    twin.invokeExact(reps, KC, MemorySegment.ofArray(a), KC, MemorySegment.ofArray(b), MemorySegment.ofArray(c), NR,
        load ? 1 : 0);
  }

  /** GFLOP/s of back-to-back tiles for about {@code nanos}. */
  private double slice(boolean useStrata, float[] c, long nanos) throws Throwable {
    long tiles = 0;
    long start = System.nanoTime();
    long now;
    do {
      if (useStrata) {
        for (int r = 0; r < REPS; r++) {
          strata(c, true);
        }
      } else {
        twin(REPS, c, true);
      }
      tiles += REPS;
      now = System.nanoTime();
    } while (now - start < nanos);
    return 2.0 * MR * NR * KC * tiles / (now - start);
  }

  public static void main(String[] args) throws Throwable {
    String usage = "MicroKernelVsC --lib libmicro_kernel.so [--rounds N] [--slice-ms MS] [--json FILE]";
    HarnessArgs options = HarnessArgs.parse(args, Set.of("--lib", "--rounds", "--slice-ms", "--json"), usage);
    if (!options.positional().isEmpty()) {
      throw new IllegalArgumentException("unexpected " + options.positional() + "; usage: " + usage);
    }
    String lib = options.text("--lib", null);
    int rounds = options.integer("--rounds", 20);
    long sliceMs = options.integer("--slice-ms", 100);
    Path json = options.path("--json");
    if (lib == null) {
      throw new IllegalArgumentException("--lib is required: gcc -O2 -march=native -shared -fPIC "
          + "bench/micro_kernel.c -o libmicro_kernel.so");
    }
    if (FloatVector.SPECIES_PREFERRED.length() != 8) {
      throw new IllegalStateException("the C twin is the 256-bit (8-lane) kernel; this JVM's kernels use "
          + FloatVector.SPECIES_PREFERRED.length() + "-lane vectors");
    }
    WarmUp.gemmKernels();
    try (Arena arena = Arena.ofConfined()) {
      MicroKernelVsC bench = new MicroKernelVsC(lib, arena);
      float[] mine = new float[MR * NR];
      float[] theirs = new float[MR * NR];
      bench.strata(mine, false);
      bench.twin(1, theirs, false);
      if (!Arrays.equals(mine, theirs)) {
        throw new IllegalStateException("the JIT and gcc kernels give different bits; the twin no longer matches");
      }
      long slice = sliceMs * 1_000_000L;
      for (int i = 0; i < 10; i++) {
        bench.slice(true, mine, 200_000_000L);
      }
      bench.slice(false, theirs, 500_000_000L);
      Interleaved.Pairs pairs = Interleaved.run(rounds, slice, n -> bench.slice(true, mine, n),
          n -> bench.slice(false, theirs, n));
      double[] strata = pairs.first();
      double[] c = pairs.second();
      double[] ratios = Interleaved.ratios(strata, c);
      System.out.printf("6x16 micro-kernel, kc %d: JIT %.1f, gcc -O2 %.1f GFLOP/s, ratio %.3f [q1 %.3f, q3 %.3f]%n",
          KC, Quantiles.median(strata), Quantiles.median(c), Quantiles.median(ratios), Quantiles.of(ratios, 0.25),
          Quantiles.of(ratios, 0.75));
      if (json != null) {
        Files.writeString(json, "{\"library\": \"" + lib + "\", \"kc\": " + KC + ", \"strata_gflops\": "
            + Arrays.toString(strata) + ", \"c_gflops\": " + Arrays.toString(c) + "}\n");
      }
    }
  }
}
