package dev.strata.trainer.init;

import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;

/**
 * Seeded random generators. Every consumer (weight initialisation, dropout masks, batch shuffling)
 * gets its own {@code L64X128MixRandom} stream derived from the network seed and a stream number,
 * so the streams do not interact and no global generator is ever used. Stateless and thread-safe;
 * the returned generators are not thread-safe and belong to one training.
 */
public final class Rngs {

  /** Stream numbers used by the trainer. */
  public static final long INIT = 1;
  public static final long DROPOUT = 2;
  public static final long SHUFFLE = 3;
  /** On-the-fly augmentation of training batches ({@link dev.strata.trainer.spec.Augmentation}). */
  public static final long AUGMENT = 4;

  private static final RandomGeneratorFactory<RandomGenerator> FACTORY = RandomGeneratorFactory.of("L64X128MixRandom");

  private Rngs() {}

  /** A generator for {@code stream} of {@code seed}; the same arguments always give the same sequence. */
  public static RandomGenerator of(long seed, long stream) {
    return FACTORY.create(mix(seed + 0x9E3779B97F4A7C15L * (stream + 1)));
  }

  /** The SplitMix64 finaliser: a bijective scramble of a 64-bit value. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
