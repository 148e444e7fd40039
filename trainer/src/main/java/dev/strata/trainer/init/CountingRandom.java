package dev.strata.trainer.init;

import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * A generator that forwards {@link #nextLong()} to another and counts the calls, so that a stream
 * can be saved as (seed, draws) and restored by {@link #skip skipping} that many draws: the JDK's
 * LXM generators expose no state. Every other method is {@link RandomGenerator}'s default, built
 * on {@code nextLong()}, which is also what {@code L64X128MixRandom} uses (it overrides only
 * {@code nextLong}), so wrapping it changes no value. Not thread-safe.
 */
public final class CountingRandom implements RandomGenerator {

  private final RandomGenerator source;
  private long draws;

  public CountingRandom(RandomGenerator source) {
    this.source = Objects.requireNonNull(source, "source");
  }

  @Override
  public long nextLong() {
    draws++;
    return source.nextLong();
  }

  /** Calls of {@link #nextLong()} so far (every draw, whatever its type, is made of these). */
  public long draws() {
    return draws;
  }

  /** Advances the stream by {@code n} draws, as if they had been made. */
  public void skip(long n) {
    if (n < 0) {
      throw new IllegalArgumentException("cannot skip a negative number of draws: " + n);
    }
    for (long i = 0; i < n; i++) {
      source.nextLong();
    }
    draws += n;
  }
}
