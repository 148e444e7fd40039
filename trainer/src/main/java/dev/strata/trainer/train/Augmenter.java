package dev.strata.trainer.train;

import dev.strata.trainer.spec.Augmentation;
import dev.strata.trainer.spec.ImageShape;
import java.util.random.RandomGenerator;

/**
 * Applies an {@link Augmentation} (random crop with zero padding, horizontal flip) to the rows of a
 * training batch in place. Every row draws exactly three numbers (row offset, column offset, flip)
 * whether or not each is used, so a resumed run replays the stream by count. Not thread-safe: one
 * per run, on the training thread.
 */
final class Augmenter {

  private final Augmentation aug;
  private final int channels;
  private final int height;
  private final int width;
  private final float[] scratch;
  private final RandomGenerator rng;

  Augmenter(Augmentation aug, ImageShape image, RandomGenerator rng) {
    this.aug = aug;
    this.channels = image.channels();
    this.height = image.height();
    this.width = image.width();
    this.scratch = new float[image.size()];
    this.rng = rng;
  }

  /** Augments {@code rows} rows of {@code x} (NCHW, {@code channels * height * width} floats each). */
  void apply(float[] x, int rows) {
    int size = scratch.length;
    for (int r = 0; r < rows; r++) {
      int dy = rng.nextInt(2 * aug.crop() + 1) - aug.crop();
      int dx = rng.nextInt(2 * aug.crop() + 1) - aug.crop();
      boolean flip = rng.nextBoolean() && aug.flip();
      if (dy == 0 && dx == 0 && !flip) {
        continue;
      }
      int base = r * size;
      System.arraycopy(x, base, scratch, 0, size);
      for (int c = 0; c < channels; c++) {
        int plane = c * height * width;
        for (int i = 0; i < height; i++) {
          int si = i + dy;
          int row = base + plane + i * width;
          for (int j = 0; j < width; j++) {
            int sj = (flip ? width - 1 - j : j) + dx;
            x[row + j] = si < 0 || si >= height || sj < 0 || sj >= width ? 0f : scratch[plane + si * width + sj];
          }
        }
      }
    }
  }

  /** Draws what {@code rows} rows would draw, without touching data (to replay a resumed run's stream). */
  void skip(int rows) {
    for (int r = 0; r < rows; r++) {
      rng.nextInt(2 * aug.crop() + 1);
      rng.nextInt(2 * aug.crop() + 1);
      rng.nextBoolean();
    }
  }
}
