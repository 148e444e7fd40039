package dev.strata.benchmarks;

import dev.strata.trainer.nn.Network;
import dev.strata.trainer.optim.Optimizer;
import dev.strata.trainer.spec.Loss;
import dev.strata.trainer.spec.NetworkSpec;
import dev.strata.trainer.spec.TrainingSpec;
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
 * Steady-state training steps per second of the networks in {@link Nets}: forward, loss, backward
 * and optimizer update on one fixed random batch, exactly the calls {@code Trainer} makes per
 * mini-batch. Samples per second is {@code score * batch}.
 *
 * <p>Left out: the {@code Trainer}'s per-batch gather of shuffled rows into the batch buffer (one
 * copy of batch x inputs floats) and its cheap per-step checks (cancellation, time budget, finite
 * loss, schedule). The PyTorch twin likewise trains on fixed tensors.
 *
 * <p>Before JMH's warm-up iterations, {@link #setup} keeps stepping until the step rate has stopped
 * rising: with every kernel of forward, backward and update to compile, the JIT can need tens of
 * seconds on a loaded machine, and a fixed warm-up long enough for that would waste minutes on a
 * quiet one.
 *
 * <p>State is per thread, so {@code -t 2} runs two independent trainings side by side and the score
 * is their summed throughput.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 4, time = 1)
// The flags of the strata launcher, so the figures are those of a real run.
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-XX:+UseParallelGC", "-XX:InlineSmallCode=6000"})
public class TrainingBench {

  @Param({"a", "b", "c", "d"})
  public String net;

  private Network network;
  private Optimizer optimizer;
  private double learningRate;
  private int rows;
  private float[] x;
  private int[] labels;
  private float[] targets;

  @Setup
  public void setup() {
    WarmUp.gemmKernels();
    NetworkSpec spec = Nets.spec(net);
    TrainingSpec t = spec.training();
    rows = t.batchSize();
    network = Network.of(spec);
    network.allocate(rows);
    network.initialize();
    optimizer = Optimizer.create(t, network.parameters(), network.gradients(), network.parameterSlots());
    learningRate = t.learningRate();
    SplittableRandom rng = new SplittableRandom(spec.seed() + 1);
    x = Data.gaussian(rng, rows * spec.inputs());
    boolean labelled = spec.loss() == Loss.SOFTMAX_CROSS_ENTROPY;
    labels = labelled ? Data.labels(rng, rows, spec.outputs()) : null;
    targets = labelled ? null : Data.gaussian(rng, rows * spec.outputs());
    untilCompiled();
  }

  /**
   * Steps until four half-second windows in a row are no more than 10% faster than the best one
   * before them, or for at most a minute.
   */
  private void untilCompiled() {
    long deadline = System.nanoTime() + 60_000_000_000L;
    double best = 0;
    for (int flat = 0; flat < 4 && System.nanoTime() < deadline; ) {
      double rate = stepsPerSecond(500_000_000L);
      if (rate > 1.1 * best) {
        best = rate;
        flat = 0;
      } else {
        flat++;
      }
    }
  }

  private double stepsPerSecond(long nanos) {
    long start = System.nanoTime();
    long steps = 0;
    long elapsed;
    do {
      step();
      steps++;
      elapsed = System.nanoTime() - start;
    } while (elapsed < nanos);
    return steps * 1e9 / elapsed;
  }

  @Benchmark
  public double step() {
    double loss = network.forwardBackward(x, rows, labels, targets);
    optimizer.step(learningRate);
    return loss;
  }
}
