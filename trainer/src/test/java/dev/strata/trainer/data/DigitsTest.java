package dev.strata.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class DigitsTest {

  @Test
  void theRealDigitsAreShippedWhole() {
    Dataset d = Digits.load();
    assertEquals("digits", d.name());
    assertEquals(1797, d.rows());
    assertEquals(64, d.features());
    assertEquals(List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), d.classNames());
    // Per-class counts of scikit-learn's load_digits().
    assertArrayEquals(new int[] {178, 182, 177, 183, 181, 182, 181, 179, 174, 180}, d.classCounts());
    float min = Float.MAX_VALUE;
    float max = -Float.MAX_VALUE;
    for (float v : d.x()) {
      assertEquals(Math.rint(v), v, 0.0, "integer pixel counts");
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    assertEquals(0f, min);
    assertEquals(16f, max);
    // First sample is a 0: row 1 of the file.
    assertArrayEquals(new float[] {0, 0, 5, 13, 9, 1, 0, 0}, java.util.Arrays.copyOf(d.row(0), 8));
    assertEquals(0, d.label(0));
    assertEquals("pixel_7_7", d.featureNames().get(63));
  }

  @Test
  void attributionShipsNextToTheData() {
    assertNotNull(Digits.class.getResource("/dev/strata/trainer/data/digits-NOTICE.txt"));
  }
}
