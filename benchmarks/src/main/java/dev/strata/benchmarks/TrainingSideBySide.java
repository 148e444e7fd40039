package dev.strata.benchmarks;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Two builds of the trainer training the same network in one JVM, for judging a kernel change on
 * a noisy host ({@link GemmSideBySide} does the same for the GEMM alone). Each build's classes are
 * loaded by their own class loader, ahead of this jar, which supplies {@link TrainingBench} and the
 * libraries; each build warms up as {@link TrainingBench#setup} does, then the two take turns in
 * short slices of training steps. Prints, per network, the median steps/s of each and the median
 * B/A ratio with its quartiles.
 *
 * <p>Usage: {@code java --add-modules jdk.incubator.vector -XX:+UseParallelGC -XX:InlineSmallCode=6000
 * -cp benchmarks.jar dev.strata.benchmarks.TrainingSideBySide A_CLASSES B_CLASSES b b:gelu ...}
 * (networks as {@link Nets#spec}), with {@code --rounds 40 --slice-ms 150}. Swap A and B once to see
 * any bias from the order of loading.
 */
public final class TrainingSideBySide {

  private TrainingSideBySide() {}

  /** Usage: see the class comment. */
  public static void main(String[] args) throws Throwable {
    String usage = "TrainingSideBySide A_CLASSES B_CLASSES NET... [--rounds N] [--slice-ms MS]; NET is a, b, c or d,"
        + " optionally with an activation for every block, as in b:gelu";
    HarnessArgs options = HarnessArgs.parse(args, Set.of("--rounds", "--slice-ms"), usage);
    List<String> positional = options.positional();
    if (positional.size() < 3) {
      throw new IllegalArgumentException("two builds and at least one network are needed; usage: " + usage);
    }
    int rounds = options.integer("--rounds", 40);
    long slice = options.integer("--slice-ms", 150) * 1_000_000L;
    List<String> nets = positional.subList(2, positional.size());
    nets.forEach(Nets::spec); // a bad name fails here, before any warm-up
    for (String net : nets) {
      MethodHandle first = stepper(positional.get(0), net);
      MethodHandle second = stepper(positional.get(1), net);
      Interleaved.Pairs rates = Interleaved.run(rounds, slice, t -> stepsPerSecond(first, t),
          t -> stepsPerSecond(second, t));
      double[] ratio = Interleaved.ratios(rates.second(), rates.first());
      System.out.printf("%-10s A %8.0f | B %8.0f steps/s | B/A %.3f [q1 %.3f, q3 %.3f]%n", net,
          Quantiles.median(rates.first()), Quantiles.median(rates.second()), Quantiles.median(ratio),
          Quantiles.of(ratio, 0.25), Quantiles.of(ratio, 0.75));
    }
  }

  /** A warmed-up training of {@code net} on the build in {@code classes}: a handle to one step. */
  private static MethodHandle stepper(String classes, String net) throws Throwable {
    URL self = TrainingSideBySide.class.getProtectionDomain().getCodeSource().getLocation();
    URLClassLoader loader = new URLClassLoader(new URL[] {Path.of(classes).toUri().toURL(), self},
        ClassLoader.getPlatformClassLoader());
    Class<?> bench = Class.forName(TrainingBench.class.getName(), true, loader);
    Object state = bench.getConstructor().newInstance();
    bench.getField("net").set(state, net);
    bench.getMethod("setup").invoke(state);
    return MethodHandles.publicLookup().findVirtual(bench, "step", MethodType.methodType(double.class))
        .bindTo(state).asType(MethodType.methodType(double.class));
  }

  /** Steps per second over back-to-back steps for about {@code nanos}. */
  private static double stepsPerSecond(MethodHandle step, long nanos) throws Throwable {
    long steps = 0;
    long start = System.nanoTime();
    long now;
    do {
      double ignored = (double) step.invokeExact();
      steps++;
      now = System.nanoTime();
    } while (now - start < nanos);
    return steps * 1e9 / (now - start);
  }
}
