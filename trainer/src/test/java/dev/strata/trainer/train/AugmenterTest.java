package dev.strata.trainer.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.trainer.data.DataSplit;
import dev.strata.trainer.data.Dataset;
import dev.strata.trainer.data.Splitter;
import dev.strata.trainer.init.Rngs;
import dev.strata.trainer.spec.Augmentation;
import dev.strata.trainer.spec.ImageShape;
import dev.strata.trainer.spec.NetworkSpec;
import dev.strata.trainer.spec.TrainingSpec;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class AugmenterTest {

  /** A scripted stream: nextInt returns the queued offsets, nextBoolean the queued flips. */
  private static RandomGenerator scripted(int[] ints, boolean[] flips) {
    return new RandomGenerator() {
      int i;
      int f;

      @Override
      public long nextLong() {
        throw new UnsupportedOperationException();
      }

      @Override
      public int nextInt(int bound) {
        return ints[i++];
      }

      @Override
      public boolean nextBoolean() {
        return flips[f++];
      }
    };
  }

  @Test
  void cropShiftsWithZeroPaddingAndFlipMirrorsEveryChannel() {
    // 2 channels of 2x3: channel 0 = 1..6, channel 1 = 7..12
    float[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    // crop 1: nextInt(3) - 1; row offset +1 (draw 2), column offset -1 (draw 0), no flip
    new Augmenter(new Augmentation(1, true), ImageShape.of(2, 2, 3), scripted(new int[] {2, 0}, new boolean[] {false}))
        .apply(x, 1);
    assertArrayEquals(new float[] {0, 4, 5, 0, 0, 0, 0, 10, 11, 0, 0, 0}, x);
    float[] y = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    new Augmenter(new Augmentation(1, true), ImageShape.of(2, 2, 3), scripted(new int[] {1, 1}, new boolean[] {true}))
        .apply(y, 1);
    assertArrayEquals(new float[] {3, 2, 1, 6, 5, 4, 9, 8, 7, 12, 11, 10}, y);
    float[] z = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    new Augmenter(new Augmentation(1, false), ImageShape.of(2, 2, 3), scripted(new int[] {1, 1}, new boolean[] {true}))
        .apply(z, 1);
    assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, z, "flip off: the drawn flip is ignored");
  }

  private static Dataset images(int n) {
    Random rnd = new Random(5);
    float[] x = new float[n * 16];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = i % 2;
      for (int j = 0; j < 16; j++) {
        x[i * 16 + j] = (float) (rnd.nextGaussian() * 0.3 + (y[i] == 1 && j % 4 < 2 ? 1 : 0));
      }
    }
    return new Dataset("img", x, n, 16, y, null, 0, null, List.of("a", "b"));
  }

  @Test
  void augmentedTrainingIsSeededAndPauseResumeEqualsOneRun() {
    DataSplit split = Splitter.split(images(60), 0.2, 0.2, 1);
    TrainingSpec t = TrainingSpec.builder().batchSize(8).epochs(4).augment(new Augmentation(1, true)).build();
    NetworkSpec spec = NetworkSpec.builder().image(ImageShape.of(1, 4, 4)).outputs(2).training(t).seed(9).build();
    TrainingResult one = new Trainer().train(spec, split);
    TrainingResult again = new Trainer().train(spec, split);
    assertEquals(TrainingStatus.COMPLETED, one.status(), one.reason());
    assertArrayEquals(one.network().network().parameters(), again.network().network().parameters());
    TrainingResult plain = new Trainer().train(spec.withTraining(t.withAugment(null)), split);
    assertTrue(!Arrays.equals(one.network().network().parameters(), plain.network().network().parameters()),
        "augmentation changes what is learned");
    TrainingResult paused = new Trainer().train(spec, split, TrainingControl.defaults(), 2);
    TrainingResult resumed = new Trainer().resume(paused.checkpoint(), split, TrainingControl.defaults(), 0);
    assertArrayEquals(one.network().network().parameters(), resumed.network().network().parameters());
  }

  @Test
  void augmentWithoutAnImageSpecIsRejected() {
    DataSplit split = Splitter.split(images(20), 0.2, 0.2, 1);
    NetworkSpec flat = NetworkSpec.builder().inputs(16).outputs(2)
        .training(TrainingSpec.builder().augment(new Augmentation(0, true)).epochs(1).build()).build();
    TrainingResult r = new Trainer().train(flat, split);
    assertEquals(TrainingStatus.REJECTED, r.status());
    assertTrue(r.reason().contains("training.augment needs an image spec"), r.reason());
  }
}
