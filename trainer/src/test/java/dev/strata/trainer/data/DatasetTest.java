package dev.strata.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class DatasetTest {

  private static Dataset small() {
    float[] x = {1, 2, 3, 4, 5, 6};
    return new Dataset("small", x, 3, 2, new int[] {0, 1, 0}, null, 0, List.of("a", "b"), List.of("no", "yes"));
  }

  @Test
  void hashIsStableIgnoresNamesAndSeesEveryValue() {
    Dataset d = small();
    assertEquals(64, d.hash().length());
    assertEquals(d.hash(), small().hash());
    assertEquals(d.hash(), d.withName("renamed").hash());
    float[] x = d.x().clone();
    x[5] = Math.nextUp(x[5]);
    assertNotEquals(d.hash(), d.withX(x, 2, d.featureNames()).hash());
    Dataset relabelled = new Dataset("small", d.x(), 3, 2, new int[] {0, 1, 1}, null, 0, null, List.of("no", "yes"));
    assertNotEquals(d.hash(), relabelled.hash());
    assertNotEquals(d.hash(), d.select(new int[] {1, 0, 2}).hash(), "row order is content");
  }

  @Test
  void hashOfKnownContentIsPinned() {
    // Expected values computed independently (Python hashlib over the documented byte layout:
    // kind byte, rows/features/outputs as little-endian int32, then floats and ints little-endian).
    // A change here breaks the provenance of every stored model.
    Dataset regression = new Dataset("t", new float[] {1f}, 1, 1, null, new float[] {2f}, 1, null, null);
    assertEquals("f288206cd362b9312c87b957bd0fac21626ffeec980f41d1ba1a991607ca841f", regression.hash());
    assertEquals("4e2a9110833037a24f5f5f1d38d108de50e1daa55e0f6687e0b8865168161a69", small().hash());
  }

  @Test
  void selectAndSliceCopyRowsLabelsAndKeepClasses() {
    Dataset d = small();
    Dataset s = d.select(new int[] {2, 1, 2});
    assertArrayEquals(new float[] {5, 6, 3, 4, 5, 6}, s.x());
    assertArrayEquals(new int[] {0, 1, 0}, s.labels());
    assertEquals(List.of("no", "yes"), s.classNames());
    assertArrayEquals(new float[] {3, 4}, d.slice(1, 2).x());
    assertArrayEquals(new int[] {2, 1}, d.classCounts());
    assertThrows(IndexOutOfBoundsException.class, () -> d.select(new int[] {3}));
  }
}
