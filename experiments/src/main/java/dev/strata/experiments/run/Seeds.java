package dev.strata.experiments.run;

import java.nio.charset.StandardCharsets;

/**
 * Deterministic seeds for studies and trials: a SplitMix64 hash chain.
 *
 * <pre>
 *   mix(z)      = SplitMix64 finaliser: z += 0x9E3779B97F4A7C15; z = (z ^ z>>>30)·0xBF58476D1CE4E5B9;
 *                 z = (z ^ z>>>27)·0x94D049BB133111EB; z ^ z>>>31
 *   name(s)     = FNV-1a 64 of the UTF-8 bytes of s
 *   study seed  = mix(mix(mix(experimentSeed) ^ name(strategy)) ^ studySeed)
 *   trial seed  = mix(studySeed' ^ index),  studySeed' the study seed above
 * </pre>
 *
 * <p>The study seed seeds the strategy; the trial seed is what {@link TrialContext#seed()} gives
 * the evaluator (weight initialisation, shuffling). Both depend only on the experiment seed, the
 * strategy name, the study's seed and the trial index, never on timing or worker, so a resumed or
 * repeated run hands every trial the same seed. Stateless.
 */
public final class Seeds {

  private Seeds() {}

  /** The SplitMix64 finaliser. */
  public static long mix(long z) {
    z += 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** FNV-1a 64 of the UTF-8 bytes. */
  public static long name(String s) {
    long h = 0xCBF29CE484222325L;
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xFF;
      h *= 0x100000001B3L;
    }
    return h;
  }

  /** The seed of the study's strategy. */
  public static long study(long experimentSeed, String strategy, long studySeed) {
    return mix(mix(mix(experimentSeed) ^ name(strategy)) ^ studySeed);
  }

  /** The seed of trial {@code index} of the study. */
  public static long trial(long experimentSeed, String strategy, long studySeed, int index) {
    return mix(study(experimentSeed, strategy, studySeed) ^ index);
  }
}
