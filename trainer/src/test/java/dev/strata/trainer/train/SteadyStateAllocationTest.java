package dev.strata.trainer.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import dev.strata.trainer.data.Dataset;
import dev.strata.trainer.data.Generators;
import dev.strata.trainer.nn.Network;
import dev.strata.trainer.optim.GradientClipping;
import dev.strata.trainer.optim.LearningRateSchedule;
import dev.strata.trainer.optim.Optimizer;
import dev.strata.trainer.spec.Activation;
import dev.strata.trainer.spec.BlockSpec;
import dev.strata.trainer.spec.InceptionBlock;
import dev.strata.trainer.spec.InceptionBlock.Branch;
import dev.strata.trainer.spec.Loss;
import dev.strata.trainer.spec.NetworkSpec;
import dev.strata.trainer.spec.OptimizerType;
import dev.strata.trainer.spec.PlainBlock;
import dev.strata.trainer.spec.ResidualBlock;
import dev.strata.trainer.spec.TrainingSpec;
import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The steady-state training step (batch gather, forward, loss, backward, clipping, schedule,
 * optimizer update: what {@link Trainer} runs per mini-batch) allocates nothing, for an MLP, a
 * residual and an inception network (with batch norm, dropout and every activation among them)
 * and every optimizer, and for a convolutional network. Allocation is this thread's byte counter across 500 steps, after warm-up:
 * interpreted or C1-compiled Vector API code boxes vectors on the heap, so the test first runs
 * rounds of 1000 steps until one allocates nothing (C2 has compiled the step; at most 30 rounds),
 * then measures a fresh window. Expected: 0 bytes. Allowed: {@link #SLACK} bytes per window, for a
 * one-off JIT transition (a deoptimisation or late recompilation runs a few operations boxed, once;
 * seen: 392 bytes in the JVM's first network). Any per-step allocation, even one 16-byte object,
 * is at least 8000 bytes per window and fails.
 */
class SteadyStateAllocationTest {

  private static final int ROUND = 1000;
  private static final int MAX_ROUNDS = 30;
  private static final int STEPS = 500;
  private static final long SLACK = 1024;

  @ParameterizedTest
  @EnumSource(OptimizerType.class)
  void trainingStepAllocatesNothing(OptimizerType optimizer) {
    Dataset data = Generators.blobs(96, 3, 12, 1.0, 5);
    for (NetworkSpec spec : networks(optimizer)) {
      long bytes = allocatedPerRun(spec, data);
      assertTrue(bytes <= SLACK, spec.blocks() + " with " + optimizer + ": " + bytes + " bytes in " + STEPS + " steps");
    }
  }

  /** An image network: convolution, batch norm over channels, pooling, residual and inception blocks. */
  @Test
  void convolutionalTrainingStepAllocatesNothing() {
    Dataset data = Generators.blobs(96, 3, 3 * 5 * 5, 1.0, 5);
    TrainingSpec t = TrainingSpec.builder().optimizer(OptimizerType.MOMENTUM).batchSize(32).clipNorm(1e-3).build();
    NetworkSpec spec = NetworkSpec.builder().image(dev.strata.trainer.spec.ImageShape.of(3, 5, 5)).outputs(3)
        .block(dev.strata.trainer.spec.ConvBlock.of(6, 3).withBatchNorm(true))
        .block(dev.strata.trainer.spec.ConvResidualBlock.of(8, 2, 1))
        .block(new dev.strata.trainer.spec.ConvInceptionBlock(List.of(
            dev.strata.trainer.spec.ConvInceptionBlock.Branch.of(4, 3, 2, null),
            dev.strata.trainer.spec.ConvInceptionBlock.Branch.of(3, 1, null, dev.strata.trainer.spec.PoolMode.MAX)),
            Activation.RELU, false, 0.1))
        .block(dev.strata.trainer.spec.PoolBlock.global())
        .training(t).seed(3).build();
    long bytes = allocatedPerRun(spec, data);
    assertTrue(bytes <= SLACK, "conv network: " + bytes + " bytes in " + STEPS + " steps");
  }

  /** A clip norm this small rescales every step: a rarely taken path would stay interpreted (and box). */
  private static List<NetworkSpec> networks(OptimizerType optimizer) {
    TrainingSpec t = TrainingSpec.builder().optimizer(optimizer).batchSize(32).clipNorm(1e-3).build();
    BlockSpec mlp = PlainBlock.of(40, 2, Activation.SOFTPLUS).withDropout(0.1);
    BlockSpec mlpBn = PlainBlock.of(24, 1, Activation.GELU).withBatchNorm(true);
    BlockSpec residual = ResidualBlock.of(40, 2, Activation.RELU);
    BlockSpec residualPre = ResidualBlock.of(24, 2, Activation.TANH).withPreActivation(true).withBatchNorm(true);
    BlockSpec inception = InceptionBlock.of(List.of(Branch.of(16, 1, Activation.ELU), Branch.of(24, 2,
        Activation.SIGMOID), Branch.of(8, 1, Activation.LEAKY_RELU))).withProjection(20).withDropout(0.2);
    return List.of(
        spec(t, Loss.SOFTMAX_CROSS_ENTROPY, 3, mlp, mlpBn),
        spec(t, Loss.MSE, 3, PlainBlock.of(40, 1, Activation.RELU), residual, residualPre),
        spec(t, Loss.SOFTMAX_CROSS_ENTROPY, 3, inception, residual));
  }

  private static NetworkSpec spec(TrainingSpec t, Loss loss, int outputs, BlockSpec... blocks) {
    return NetworkSpec.builder().inputs(12).outputs(outputs).loss(loss).blocks(List.of(blocks)).training(t).seed(3)
        .build();
  }

  private static long allocatedPerRun(NetworkSpec spec, Dataset data) {
    TrainingSpec t = spec.training();
    int rows = t.batchSize();
    Network net = Network.of(spec);
    net.allocate(rows);
    net.initialize();
    Batches batch = new Batches(rows, spec.inputs(), spec.outputs(), spec.loss());
    Optimizer optimizer = Optimizer.create(t, net.parameters(), net.gradients(), net.parameterSlots());
    LearningRateSchedule schedule = new LearningRateSchedule(t.schedule(), t.learningRate(), t.epochs());
    int[] order = new int[data.rows()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    ThreadMXBean mx = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().threadId();
    int[] count = new int[1];
    Runnable step = () -> {
      int start = (count[0]++ * rows) % (order.length - rows + 1);
      batch.gather(data, order, start, rows);
      net.forwardBackward(batch.x, rows, batch.labels, batch.targets);
      GradientClipping.clipByGlobalNorm(net.gradients(), net.parameters().length, t.clipNorm());
      optimizer.step(schedule.rate(0, start, 10));
    };
    for (int round = 0; round < MAX_ROUNDS && steps(mx, thread, step, ROUND) != 0; round++) {
      // warming up
    }
    return steps(mx, thread, step, STEPS);
  }

  private static long steps(ThreadMXBean mx, long thread, Runnable step, int n) {
    long before = mx.getThreadAllocatedBytes(thread);
    for (int s = 0; s < n; s++) {
      step.run();
    }
    return mx.getThreadAllocatedBytes(thread) - before;
  }
}
