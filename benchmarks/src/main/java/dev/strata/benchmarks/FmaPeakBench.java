package dev.strata.benchmarks;

import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The Vector API twin of {@code bench/fma_peak.c}: ten independent chains of 256-bit fused
 * multiply-adds, enough to cover the FMA latency on current x86 cores. The score is in
 * floating-point operations per second (one FMA lane = 2), so GFLOP/s is {@code score / 1e9}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class FmaPeakBench {

  private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
  private static final int STEPS = 1 << 16;
  private static final int CHAINS = 10;
  private static final int LANES = 8;

  /** Fields, not constants, so the JIT cannot fold the chains. */
  public float scale = 0.999_999f;
  public float shift = 1e-7f;

  @Benchmark
  @OperationsPerInvocation(STEPS * CHAINS * LANES * 2)
  public float chains() {
    FloatVector m = FloatVector.broadcast(S, scale);
    FloatVector d = FloatVector.broadcast(S, shift);
    FloatVector c0 = FloatVector.broadcast(S, 1f);
    FloatVector c1 = c0;
    FloatVector c2 = c0;
    FloatVector c3 = c0;
    FloatVector c4 = c0;
    FloatVector c5 = c0;
    FloatVector c6 = c0;
    FloatVector c7 = c0;
    FloatVector c8 = c0;
    FloatVector c9 = c0;
    for (int i = 0; i < STEPS; i++) {
      c0 = c0.fma(m, d);
      c1 = c1.fma(m, d);
      c2 = c2.fma(m, d);
      c3 = c3.fma(m, d);
      c4 = c4.fma(m, d);
      c5 = c5.fma(m, d);
      c6 = c6.fma(m, d);
      c7 = c7.fma(m, d);
      c8 = c8.fma(m, d);
      c9 = c9.fma(m, d);
    }
    return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).reduceLanes(
        jdk.incubator.vector.VectorOperators.ADD);
  }
}
