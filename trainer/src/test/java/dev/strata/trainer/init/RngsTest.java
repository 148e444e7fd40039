package dev.strata.trainer.init;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class RngsTest {

  @Test
  void streamsAreReproducibleAndDistinct() {
    RandomGenerator a = Rngs.of(7, Rngs.SHUFFLE);
    RandomGenerator b = Rngs.of(7, Rngs.SHUFFLE);
    for (int i = 0; i < 100; i++) {
      assertEquals(a.nextLong(), b.nextLong());
    }
    assertNotEquals(Rngs.of(7, Rngs.SHUFFLE).nextLong(), Rngs.of(7, Rngs.INIT).nextLong());
    assertNotEquals(Rngs.of(7, Rngs.SHUFFLE).nextLong(), Rngs.of(8, Rngs.SHUFFLE).nextLong());
  }

  @Test
  void knownFirstValueGuardsAgainstAlgorithmChanges() {
    // If this changes, saved provenance no longer reproduces: the generator or the seed mixing changed.
    long first = Rngs.of(0, Rngs.INIT).nextLong();
    assertEquals(first, Rngs.of(0, Rngs.INIT).nextLong());
    // The first SplitMix64 output from state 0 (Steele, Lea & Flood 2014 reference value).
    assertEquals(0xE220A8397B1DCDAFL, Rngs.mix(0x9E3779B97F4A7C15L));
  }
}
