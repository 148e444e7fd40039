package dev.strata.search.fidelity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class FidelityTest {

  @Test
  void rungsOfAPowerOfEta() {
    Fidelity f = Fidelity.of(1, 81);
    assertEquals(4, f.maxRung());
    assertEquals(List.of(1.0, 3.0, 9.0, 27.0, 81.0), f.rungs());
  }

  @Test
  void rungsAreAnchoredAtTheMaximum() {
    Fidelity f = Fidelity.of(1, 100);
    assertEquals(4, f.maxRung());
    List<Double> rungs = f.rungs();
    assertEquals(100.0, rungs.getLast());
    assertEquals(100.0 / 81, rungs.getFirst(), 1e-12);
    assertEquals(List.of(2.0), Fidelity.of(1, 2).rungs());
    assertEquals(List.of(2.0), Fidelity.of(2, 2).rungs());
  }

  @Test
  void wholeRoundsUp() {
    assertEquals(2, Fidelity.whole(100.0 / 81));
    assertEquals(3, Fidelity.whole(3.0000000000001));
    assertEquals(1, Fidelity.whole(0.2));
  }

  @Test
  void badRangesSayBothNumbers() {
    var e = assertThrows(IllegalArgumentException.class, () -> Fidelity.of(10, 5));
    assertEquals("max resource 5.0 must be >= min resource 10.0", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Fidelity.of(1, 5, 1));
    assertThrows(IllegalArgumentException.class, () -> Fidelity.of(0, 5));
  }
}
