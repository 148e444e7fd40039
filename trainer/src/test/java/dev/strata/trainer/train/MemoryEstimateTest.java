package dev.strata.trainer.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.trainer.nn.Network;
import dev.strata.trainer.spec.Activation;
import dev.strata.trainer.spec.NetworkSpec;
import dev.strata.trainer.spec.OptimizerType;
import dev.strata.trainer.spec.PlainBlock;
import dev.strata.trainer.spec.TrainingSpec;
import org.junit.jupiter.api.Test;

class MemoryEstimateTest {

  @Test
  void componentsFollowTheSpec() {
    NetworkSpec spec = NetworkSpec.builder().inputs(10).outputs(3).block(PlainBlock.of(20, 1, Activation.RELU))
        .training(TrainingSpec.builder().optimizer(OptimizerType.ADAM).build()).build();
    Network n = Network.of(spec);
    long p = 10 * 20 + 20 + 20 * 3 + 3;
    MemoryEstimate e = MemoryEstimate.of(spec, n, 32, 1000, true);
    assertEquals(4 * 2 * p, e.parameterBytes());
    assertEquals(4 * 2 * p, e.optimizerBytes(), "adam keeps m and v");
    assertEquals(n.bytesFor(32) - e.parameterBytes(), e.activationBytes());
    assertEquals(4 * p + 4L * 32 * (10 + 3 + 1) + 4 * 1000, e.otherBytes());
    assertEquals(e.parameterBytes() + e.optimizerBytes() + e.activationBytes() + e.otherBytes(), e.totalBytes());
    // The estimate covers what allocate() really creates.
    n.allocate(32);
    long floats = 2L * n.parameters().length;
    assertTrue(4 * floats <= e.parameterBytes());
  }

  @Test
  void humanReadableSizes() {
    assertEquals("512 B", MemoryEstimate.human(512));
    assertEquals("1.00 KiB", MemoryEstimate.human(1024));
    assertEquals("1.50 GiB", MemoryEstimate.human(3L << 29));
  }
}
