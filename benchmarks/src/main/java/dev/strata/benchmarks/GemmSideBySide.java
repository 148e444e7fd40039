package dev.strata.benchmarks;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Two builds of the trainer's GEMM in one JVM, for judging a kernel change on a noisy host: each
 * build is loaded from its own class directory (or jar) by its own class loader, and the two take
 * turns in short slices on the same operands, so both see the same machine state. Prints, per
 * shape, the median GFLOP/s of each and the median B/A ratio with its quartiles, and flags a
 * shape whose outputs differ in any bit (a kernel change must keep every element's fma chain).
 *
 * <p>Usage: {@code java --add-modules jdk.incubator.vector -cp benchmarks.jar
 * dev.strata.benchmarks.GemmSideBySide A_CLASSES B_CLASSES NN:64x256x784 TN:256x10x64 ...}, shapes
 * as {@code op:MxNxK} (C is M x N), with {@code --rounds 20 --slice-ms 150}. Two copies of
 * the same build differ by up to ±5% here (JIT variance), so smaller effects are not resolved.
 */
public final class GemmSideBySide {

  private static final String[] OPS = {"gemm", "gemmTN", "gemmNT"};

  private GemmSideBySide() {}

  /** Usage: see the class comment. */
  public static void main(String[] args) throws Throwable {
    String usage = "GemmSideBySide A_CLASSES B_CLASSES op:MxNxK... [--rounds N] [--slice-ms MS]; op NN, TN or NT";
    HarnessArgs options = HarnessArgs.parse(args, Set.of("--rounds", "--slice-ms"), usage);
    List<String> positional = options.positional();
    if (positional.size() < 3) {
      throw new IllegalArgumentException("two builds and at least one shape are needed; usage: " + usage);
    }
    int rounds = options.integer("--rounds", 20);
    long slice = options.integer("--slice-ms", 150) * 1_000_000L;
    MethodHandle[][] products = {load(positional.get(0)), load(positional.get(1))};
    for (String shape : positional.subList(2, positional.size())) {
      String[] opShape = shape.split(":");
      int op = switch (opShape[0].toUpperCase(java.util.Locale.ROOT)) {
        case "NN" -> 0;
        case "TN" -> 1;
        case "NT" -> 2;
        default -> throw new IllegalArgumentException("unknown op in " + shape + "; usage: " + usage);
      };
      String[] d = opShape[1].split("x");
      int m = Integer.parseInt(d[0]);
      int n = Integer.parseInt(d[1]);
      int k = Integer.parseInt(d[2]);
      SplittableRandom rng = new SplittableRandom(42);
      float[] a = Data.gaussian(rng, m * k);
      float[] b = Data.gaussian(rng, k * n);
      float[][] c = {new float[m * n], new float[m * n]};
      double flop = 2.0 * m * n * k;
      for (int v = 0; v < 2; v++) {
        slice(products[v][op], m, n, k, a, b, c[v], 1_000_000_000L); // warm-up
      }
      boolean same = Arrays.equals(c[0], c[1]);
      MethodHandle first = products[0][op];
      MethodHandle second = products[1][op];
      Interleaved.Pairs pairs = Interleaved.run(rounds, slice, t -> flop * slice(first, m, n, k, a, b, c[0], t),
          t -> flop * slice(second, m, n, k, a, b, c[1], t));
      double[][] gflops = {pairs.first(), pairs.second()};
      double[] ratio = Interleaved.ratios(pairs.second(), pairs.first());
      System.out.printf("%-18s A %5.1f | B %5.1f GFLOP/s | B/A %.3f [q1 %.3f, q3 %.3f]%s%n", shape,
          Quantiles.median(gflops[0]), Quantiles.median(gflops[1]), Quantiles.median(ratio), Quantiles.of(ratio, 0.25),
          Quantiles.of(ratio, 0.75), same ? "" : "  OUTPUTS DIFFER");
    }
  }

  /** gemm, gemmTN and gemmNT of the build in {@code classes}, each bound to its own context. */
  private static MethodHandle[] load(String classes) throws Throwable {
    URLClassLoader loader = new URLClassLoader(new URL[] {Path.of(classes).toUri().toURL()},
        ClassLoader.getPlatformClassLoader());
    Class<?> kernel = Class.forName("dev.strata.trainer.kernel.GemmKernel", true, loader);
    Class<?> context = Class.forName("dev.strata.trainer.kernel.GemmContext", true, loader);
    Object ctx = context.getMethod("of", int.class).invoke(null, 1);
    MethodType unbound = MethodType.methodType(void.class, int.class, int.class, int.class, float[].class, int.class,
        float[].class, int.class, float[].class, int.class, boolean.class);
    MethodHandle[] handles = new MethodHandle[OPS.length];
    for (int o = 0; o < OPS.length; o++) {
      handles[o] = MethodHandles.publicLookup()
          .findStatic(kernel, OPS[o], unbound.insertParameterTypes(0, context)).bindTo(ctx).asType(unbound);
    }
    return handles;
  }

  /** Calls per nanosecond of back-to-back products for about {@code nanos}. */
  private static double slice(MethodHandle product, int m, int n, int k, float[] a, float[] b, float[] c, long nanos)
      throws Throwable {
    long calls = 0;
    long start = System.nanoTime();
    long now;
    do {
      product.invokeExact(m, n, k, a, 0, b, 0, c, 0, false);
      calls++;
      now = System.nanoTime();
    } while (now - start < nanos);
    return (double) calls / (now - start);
  }
}
