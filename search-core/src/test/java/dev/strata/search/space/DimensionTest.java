package dev.strata.search.space;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DimensionTest {

  @Test
  void linearIntegersGiveEqualCellsAndAcceptTheLinearFormula() {
    Dimension d = Dimension.ofInt("n", 1, 6);
    assertEquals(1L, d.valueAt(0.0));
    assertEquals(1L, d.valueAt(0.16));
    assertEquals(2L, d.valueAt(0.17));
    assertEquals(6L, d.valueAt(1.0));
    for (long v = 1; v <= 6; v++) {
      assertEquals(v, d.valueAt(d.unitOf(v)));
      assertEquals(v, d.valueAt((v - 1) / 5.0), "the documented linear formula maps back exactly");
    }
  }

  @Test
  void steppedIntegersAndFloats() {
    Dimension ints = new Dimension("b", Dimension.Kind.INT, null, 16, 256, false, 16);
    assertEquals(16L, ints.valueAt(0));
    assertEquals(256L, ints.valueAt(1));
    assertEquals(0.5 / 16, ints.unitOf(16L));
    Dimension floats = new Dimension("d", Dimension.Kind.FLOAT, null, 0, 0.5, false, 0.05);
    assertEquals(0.35, floats.valueAt(floats.unitOf(0.35)));
    assertEquals(0.5, floats.valueAt(1.0));
  }

  @Test
  void floatsAreCanonicalSoTheyRoundTripExactly() {
    SplittableRandom random = new SplittableRandom(3);
    List<Dimension> dims = List.of(Dimension.ofFloat("a", -5, 10), Dimension.ofFloat("b", 1000, 1000.5),
        new Dimension("c", Dimension.Kind.FLOAT, null, 1e-6, 1e-2, true, 0), Dimension.ofFloat("d", -1, 1));
    for (Dimension d : dims) {
      for (int i = 0; i < 2000; i++) {
        Object v = d.valueAt(random.nextDouble());
        assertEquals(v, d.valueAt(d.unitOf(v)), d.path());
      }
    }
    assertEquals(0.12345678901, Dimension.ofFloat("x", 0, 1).valueAt(0.1234567890123456));
  }

  @Test
  void categoricalCellsAndErrors() {
    Dimension d = Dimension.categorical("c", List.of("a", "b", "c"));
    assertEquals("a", d.valueAt(0));
    assertEquals("c", d.valueAt(1));
    assertEquals(0.5, d.unitOf("b"));
    assertThrows(IllegalArgumentException.class, () -> d.unitOf("z"));
    assertThrows(IllegalArgumentException.class, () -> d.valueAt(Double.NaN));
  }

  // ---- normal priors and log grids ---------------------------------------------------------------

  private static final Dimension NORMAL = new Dimension("x", Dimension.Kind.FLOAT, null, -0.08, 0.08, false, 0,
      new NormalPrior(0, 0.02));
  private static final Dimension LOGNORMAL = new Dimension("lr", Dimension.Kind.FLOAT, null, Math.exp(-2),
      Math.exp(2), true, 0, new NormalPrior(0, 0.5));
  private static final Dimension QNORMAL = new Dimension("n", Dimension.Kind.INT, null, 20, 180, false, 10,
      new NormalPrior(100, 20));
  private static final Dimension QLOGUNIFORM = new Dimension("b", Dimension.Kind.INT, null, 16, 1024, true, 16, null);
  private static final Dimension QLOGNORMAL_FLOAT = new Dimension("q", Dimension.Kind.FLOAT, null, 0.5, 8, true, 0.5,
      new NormalPrior(0.5, 0.8));

  @Test
  void aNormalPriorMapsTheUnitIntervalThroughItsQuantiles() {
    assertEquals(0.0, (Double) NORMAL.valueAt(0.5), 1e-15);
    // Φ(−1) = 0.158655…, truncation at ±4σ moves it by 3e-5 at most
    double truncated = (0.15865525393145707 - 3.167124183311998e-5) / (1 - 2 * 3.167124183311998e-5);
    assertEquals(-0.02, (Double) NORMAL.valueAt(truncated), 1e-11);
    assertEquals(-0.08, NORMAL.valueAt(0.0));
    assertEquals(0.08, NORMAL.valueAt(1.0));
    assertEquals(1.0, (Double) LOGNORMAL.valueAt(0.5), 1e-11, "the median of a log-normal is exp(mu)");
    assertEquals(truncated, NORMAL.unitOf(-0.02), 1e-15);
  }

  @Test
  void everyValueOfAPriorDimensionSurvivesTheTripThroughTheUnitInterval() {
    for (Dimension d : List.of(NORMAL, LOGNORMAL)) {
      for (int i = 0; i <= 4000; i++) {
        Object v = d.valueAt(i / 4000.0);
        assertEquals(v, d.valueAt(d.unitOf(v)), () -> d + " at " + v);
      }
    }
    for (Dimension d : List.of(QNORMAL, QLOGUNIFORM, QLOGNORMAL_FLOAT)) {
      for (long k = 0; k < d.valueCount(); k++) {
        double u = d.unitOfIndex(k);
        Object v = d.valueAt(u);
        assertEquals(k, d.indexAt(u), d::toString);
        assertEquals(v, d.valueAt(d.unitOf(v)), () -> d + " at " + v);
      }
    }
    assertEquals(17, QNORMAL.valueCount());
    assertEquals(64, QLOGUNIFORM.valueCount());
    assertEquals(1024L, QLOGUNIFORM.valueAt(1.0));
    assertEquals(16L, QLOGUNIFORM.valueAt(0.0));
    assertEquals(8.0, QLOGNORMAL_FLOAT.valueAt(1.0));
  }

  /**
   * A discrete value gets the prior's probability of the interval of width q around it (half of it
   * at the ends), as NNI's round(x/q)·q. Measured by the share of 200,000 evenly spaced unit points
   * that map to each value, so the tolerance is the spacing (5e-6) plus rounding.
   */
  @Test
  void aDiscreteValueGetsThePriorMassOfItsRoundingInterval() {
    int n = 200_000;
    double[] share = new double[(int) QNORMAL.valueCount()];
    for (int i = 0; i < n; i++) {
      share[(int) QNORMAL.indexAt((i + 0.5) / n)] += 1.0 / n;
    }
    NormalPrior p = QNORMAL.prior();
    double mass = NormalPrior.between(-4, 4);
    for (int k = 0; k < share.length; k++) {
      double v = 20 + 10 * k;
      double a = (Math.max(20, v - 5) - p.mu()) / p.sigma();
      double b = (Math.min(180, v + 5) - p.mu()) / p.sigma();
      assertEquals(NormalPrior.between(a, b) / mass, share[k], 2e-5, "value " + v);
    }
    // the log grid of multiples of 16: value v gets (ln(v + 8) − ln(v − 8)) / ln(1024/16) of the mass
    share = new double[(int) QLOGUNIFORM.valueCount()];
    for (int i = 0; i < n; i++) {
      share[(int) QLOGUNIFORM.indexAt((i + 0.5) / n)] += 1.0 / n;
    }
    for (int k = 0; k < share.length; k++) {
      double v = 16 + 16 * k;
      double expected = (Math.log(Math.min(1024, v + 8)) - Math.log(Math.max(16, v - 8))) / Math.log(64);
      assertEquals(expected, share[k], 2e-5, "value " + v);
    }
  }

  @Test
  void aPriorThatLeavesTheRangeNoMassIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Dimension("x", Dimension.Kind.FLOAT, null, 0, 1, false, 0, new NormalPrior(30, 0.1)));
    assertEquals(true, e.getMessage().contains("move mu into the range"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new NormalPrior(0, 0));
    assertThrows(IllegalArgumentException.class, () -> new NormalPrior(0, -1));
    assertThrows(IllegalArgumentException.class, () -> new NormalPrior(Double.NaN, 1));
    assertThrows(IllegalArgumentException.class,
        () -> new Dimension("c", Dimension.Kind.CATEGORICAL, List.of("a"), 0, 0, false, 0, new NormalPrior(0, 1)));
  }
}
