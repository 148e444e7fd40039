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
}
