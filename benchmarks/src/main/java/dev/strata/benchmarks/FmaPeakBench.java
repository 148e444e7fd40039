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
 * The Vector API twin of {@code bench/fma_peak.c}: twelve independent chains of 256-bit fused
 * multiply-adds, enough to cover the FMA latency on current x86 cores, each started from its own
 * value as in the C loop (equal chains could be merged by the JIT). Each step is {@code c += m d},
 * the accumulator as the addend as in a GEMM: C2 compiles {@code c = c m + d} to a register copy,
 * an FMA and a spill per chain (about 0.6 of the C rate), a form no kernel here uses. The score is in
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
  private static final int CHAINS = 12;
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
    FloatVector c1 = FloatVector.broadcast(S, 2f);
    FloatVector c2 = FloatVector.broadcast(S, 3f);
    FloatVector c3 = FloatVector.broadcast(S, 4f);
    FloatVector c4 = FloatVector.broadcast(S, 5f);
    FloatVector c5 = FloatVector.broadcast(S, 6f);
    FloatVector c6 = FloatVector.broadcast(S, 7f);
    FloatVector c7 = FloatVector.broadcast(S, 8f);
    FloatVector c8 = FloatVector.broadcast(S, 9f);
    FloatVector c9 = FloatVector.broadcast(S, 10f);
    FloatVector c10 = FloatVector.broadcast(S, 11f);
    FloatVector c11 = FloatVector.broadcast(S, 12f);
    for (int i = 0; i < STEPS; i++) {
      c0 = m.fma(d, c0);
      c1 = m.fma(d, c1);
      c2 = m.fma(d, c2);
      c3 = m.fma(d, c3);
      c4 = m.fma(d, c4);
      c5 = m.fma(d, c5);
      c6 = m.fma(d, c6);
      c7 = m.fma(d, c7);
      c8 = m.fma(d, c8);
      c9 = m.fma(d, c9);
      c10 = m.fma(d, c10);
      c11 = m.fma(d, c11);
    }
    return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11)
        .reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
  }
}
