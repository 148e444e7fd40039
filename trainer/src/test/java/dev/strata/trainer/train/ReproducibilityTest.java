package dev.strata.trainer.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.strata.trainer.data.DataSplit;
import dev.strata.trainer.data.Generators;
import dev.strata.trainer.data.Splitter;
import dev.strata.trainer.spec.Activation;
import dev.strata.trainer.spec.NetworkSpec;
import dev.strata.trainer.spec.OptimizerType;
import dev.strata.trainer.spec.PlainBlock;
import dev.strata.trainer.spec.ResidualBlock;
import dev.strata.trainer.spec.TrainingSpec;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * Same spec and seed give bit-identical weights and per-epoch losses: sequentially, and when two
 * trainings run concurrently in this JVM; another seed gives other weights. The spec uses dropout,
 * batch norm and a GELU (exp-based) activation so every random stream and the deterministic math are
 * exercised.
 */
class ReproducibilityTest {

  static final DataSplit DATA = Splitter.split(Generators.spiral(3, 100, 0.2, 4), 0.2, 0.2, 4);

  static NetworkSpec spec(long seed) {
    return NetworkSpec.builder().inputs(2).outputs(3)
        .block(PlainBlock.of(24, 2, Activation.GELU).withBatchNorm(true).withDropout(0.1))
        .block(ResidualBlock.of(16, 2, Activation.TANH))
        .training(TrainingSpec.builder().optimizer(OptimizerType.ADAMW).learningRate(0.01).weightDecay(1e-3)
            .batchSize(16).epochs(8).clipNorm(5).build())
        .seed(seed).build();
  }

  private static TrainingResult train(long seed) {
    return new Trainer().train(spec(seed), DATA);
  }

  private static void assertSameRun(TrainingResult a, TrainingResult b) {
    assertArrayEquals(a.network().parameters(), b.network().parameters());
    assertArrayEquals(a.network().state(), b.network().state());
    assertEquals(a.history().size(), b.history().size());
    for (int i = 0; i < a.history().size(); i++) {
      assertEquals(a.history().get(i).trainLoss(), b.history().get(i).trainLoss());
      assertEquals(a.history().get(i).validationLoss(), b.history().get(i).validationLoss());
    }
    assertEquals(a.metrics().test(), b.metrics().test());
  }

  @Test
  void sameSeedSameBitsDifferentSeedDifferentWeights() {
    TrainingResult a = train(42);
    TrainingResult b = train(42);
    assertSameRun(a, b);
    assertFalse(java.util.Arrays.equals(a.network().parameters(), train(43).network().parameters()));
  }

  @Test
  void concurrentTrainingsAreBitIdenticalToASequentialOne() throws Exception {
    TrainingResult reference = train(42);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<TrainingResult>> futures = List.of(
          pool.submit(() -> {
            go.await();
            return train(42);
          }),
          pool.submit(() -> {
            go.await();
            return train(42);
          }));
      go.countDown();
      for (Future<TrainingResult> f : futures) {
        assertSameRun(reference, f.get());
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
