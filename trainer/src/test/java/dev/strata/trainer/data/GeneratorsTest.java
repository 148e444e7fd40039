package dev.strata.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;

class GeneratorsTest {

  private static final List<LongFunction<Dataset>> ALL = List.of(
      s -> Generators.xor(40, 0.1, s),
      s -> Generators.spiral(4, 25, 0.2, s),
      s -> Generators.circles(60, 0.05, 0.5, s),
      s -> Generators.moons(60, 0.1, s),
      s -> Generators.blobs(90, 3, 5, 1.0, s),
      s -> Generators.sine(50, 0.1, s),
      s -> Generators.speechLike(20, 0.1, s));

  @Test
  void sameSeedSameDataOtherSeedOtherData() {
    for (LongFunction<Dataset> g : ALL) {
      Dataset a = g.apply(11);
      assertEquals(a.hash(), g.apply(11).hash(), a.name());
      assertNotEquals(a.hash(), g.apply(12).hash(), a.name());
    }
  }

  @Test
  void shapesAndBalancedClasses() {
    assertEquals("100 x 2 -> 4 classes", Generators.spiral(4, 25, 0.2, 1).shape());
    assertArrayEquals(new int[] {25, 25, 25, 25}, Generators.spiral(4, 25, 0.2, 1).classCounts());
    assertArrayEquals(new int[] {30, 30, 30}, Generators.blobs(90, 3, 5, 1.0, 1).classCounts());
    assertEquals(5, Generators.blobs(90, 3, 5, 1.0, 1).features());
    assertArrayEquals(new int[] {31, 30}, Generators.circles(61, 0.05, 0.5, 1).classCounts());
    assertArrayEquals(new int[] {30, 30}, Generators.moons(60, 0.1, 1).classCounts());
    assertArrayEquals(new int[] {20, 20}, Generators.xor(40, 0.1, 1).classCounts());
    assertEquals("20 x 39 -> 48 outputs", Generators.speechLike(20, 0.1, 1).shape());
    assertEquals("50 x 1 -> 1 output", Generators.sine(50, 0.1, 1).shape());
  }

  @Test
  void xorHasTheFourClassicPoints() {
    Dataset d = Generators.xor();
    assertArrayEquals(new float[] {0, 0, 0, 1, 1, 0, 1, 1}, d.x());
    assertArrayEquals(new int[] {0, 1, 1, 0}, d.labels());
    Dataset noisy = Generators.xor(400, 0.1, 3);
    for (int i = 0; i < noisy.rows(); i++) {
      int a = noisy.x()[2 * i] > 0.5 ? 1 : 0;
      int b = noisy.x()[2 * i + 1] > 0.5 ? 1 : 0;
      // σ = 0.1: a point crosses the 0.5 line with probability ~3e-7; the seed is fixed.
      assertEquals(a ^ b, noisy.label(i));
    }
  }

  @Test
  void geometryMatchesTheDescription() {
    Dataset c = Generators.circles(200, 0.0, 0.5, 2);
    for (int i = 0; i < c.rows(); i++) {
      double r = Math.hypot(c.x()[2 * i], c.x()[2 * i + 1]);
      assertEquals(c.label(i) == 0 ? 1.0 : 0.5, r, 1e-6);
    }
    Dataset s = Generators.spiral(3, 50, 0.0, 2);
    for (int i = 0; i < s.rows(); i++) {
      assertTrue(Math.hypot(s.x()[2 * i], s.x()[2 * i + 1]) < 1.0);
    }
  }

  @Test
  void sineNoiseLevelIsTheRmseOfTheTrueFunction() {
    double sigma = 0.2;
    Dataset d = Generators.sine(20_000, sigma, 4);
    double sq = 0;
    for (int i = 0; i < d.rows(); i++) {
      double e = d.targets()[i] - Math.sin(d.x()[i]);
      sq += e * e;
      assertTrue(d.x()[i] >= -Math.PI && d.x()[i] <= Math.PI);
    }
    // RMSE of 20,000 N(0, σ²) draws: relative standard error 1/sqrt(2n) = 0.5%; allow 3%.
    assertEquals(sigma, Math.sqrt(sq / d.rows()), 0.03 * sigma);
    assertEquals(0.1, Generators.SINE_NOISE);
  }

  @Test
  void speechLikeIsOneFixedTaskWithKnownNoise() {
    Dataset a = Generators.speechLike(500, 0.1, 1);
    Dataset b = Generators.speechLike(500, 0.1, 2);
    float[] clean = Generators.speechLikeClean(a.x(), a.rows());
    double sq = 0;
    double var = 0;
    for (int i = 0; i < clean.length; i++) {
      double e = a.targets()[i] - clean[i];
      sq += e * e;
      var += clean[i] * clean[i];
    }
    // 24,000 noise draws: allow 3% on the RMSE.
    assertEquals(0.1, Math.sqrt(sq / clean.length), 0.003);
    assertTrue(Math.sqrt(var / clean.length) > 0.5, "the signal is well above the noise");
    // A different sample seed gives other rows of the same map.
    float[] cleanB = Generators.speechLikeClean(b.x(), b.rows());
    double sqB = 0;
    for (int i = 0; i < cleanB.length; i++) {
      sqB += (b.targets()[i] - cleanB[i]) * (b.targets()[i] - cleanB[i]);
    }
    assertEquals(0.1, Math.sqrt(sqB / cleanB.length), 0.003);
  }
}
