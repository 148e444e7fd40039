package dev.strata.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SplitterTest {

  /** Unbalanced classes: 50, 30, 17, 3 rows; feature 0 holds the row index to trace rows. */
  private static Dataset unbalanced() {
    int[] sizes = {50, 30, 17, 3};
    int n = 100;
    float[] x = new float[n];
    int[] y = new int[n];
    int r = 0;
    for (int c = 0; c < sizes.length; c++) {
      for (int i = 0; i < sizes[c]; i++) {
        x[r] = r;
        y[r++] = c;
      }
    }
    return new Dataset("u", x, n, 1, y, null, 0, null, Dataset.names("", 4));
  }

  @Test
  void sizesAreRoundedFractionsAndPartsPartitionTheRows() {
    Dataset d = unbalanced();
    DataSplit s = Splitter.split(d, 0.2, 0.15, 7);
    assertEquals(15, s.test().rows());
    assertEquals(20, s.validation().rows());
    assertEquals(65, s.train().rows());
    Set<Float> seen = new HashSet<>();
    for (Dataset part : new Dataset[] {s.train(), s.validation(), s.test()}) {
      for (float v : part.x()) {
        assertTrue(seen.add(v), "row " + v + " appears twice");
      }
    }
    assertEquals(100, seen.size());
    assertEquals("u/train", s.train().name());
  }

  @Test
  void classProportionsMatchWithinOneSamplePerClass() {
    Dataset d = unbalanced();
    int[] total = d.classCounts();
    for (long seed = 0; seed < 5; seed++) {
      DataSplit s = Splitter.split(d, 0.2, 0.15, seed);
      check(s.validation(), total, 0.2);
      check(s.test(), total, 0.15);
      check(s.train(), total, 0.65);
    }
    // The real digits, classic 60/20/20.
    Dataset digits = Digits.load();
    DataSplit s = Splitter.split(digits, 0.2, 0.2, 3);
    check(s.validation(), digits.classCounts(), 0.2);
    check(s.test(), digits.classCounts(), 0.2);
    check(s.train(), digits.classCounts(), 0.6);
  }

  private static void check(Dataset part, int[] total, double fraction) {
    int[] got = part.classCounts();
    for (int c = 0; c < total.length; c++) {
      double ideal = total[c] * fraction;
      assertTrue(Math.abs(got[c] - ideal) <= 1.0 + 1e-9,
          part.name() + " class " + c + ": " + got[c] + " rows, ideal " + ideal);
    }
  }

  @Test
  void sameSeedSameSplitOtherSeedOtherSplit() {
    Dataset d = Generators.blobs(200, 3, 2, 1.0, 5);
    DataSplit a = Splitter.split(d, 0.25, 0.25, 42);
    DataSplit b = Splitter.split(d, 0.25, 0.25, 42);
    DataSplit c = Splitter.split(d, 0.25, 0.25, 43);
    assertEquals(a.train().hash(), b.train().hash());
    assertEquals(a.validation().hash(), b.validation().hash());
    assertEquals(a.test().hash(), b.test().hash());
    assertFalse(a.test().hash().equals(c.test().hash()), "a different seed should pick other rows");
  }

  @Test
  void regressionIsShuffledAsAWhole() {
    Dataset d = Generators.sine(101, 0.1, 1);
    DataSplit s = Splitter.split(d, 0.1, 0.3, 9);
    assertEquals(30, s.test().rows());
    assertEquals(10, s.validation().rows());
    assertEquals(61, s.train().rows());
    assertArrayEquals(Splitter.split(d, 0.1, 0.3, 9).test().targets(), s.test().targets());
  }

  @Test
  void zeroFractionsGiveEmptyPartsAndBadFractionsAreRejected() {
    Dataset d = unbalanced();
    DataSplit s = Splitter.split(d, 0.0, 0.0, 1);
    assertEquals(100, s.train().rows());
    assertEquals(0, s.test().rows());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Splitter.split(d, 0.6, 0.4, 1));
    assertTrue(e.getMessage().contains("0.6 + 0.4"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Splitter.split(d, -0.1, 0.2, 1));
    assertThrows(IllegalArgumentException.class, () -> Splitter.split(d, Double.NaN, 0.2, 1));
  }

  @Test
  void apportionGivesFloorOrCeilAndHitsTheTotal() {
    int[] counts = {5, 5, 5};
    // ideal 1.5 each, total round(4.5) = 5: floors 1,1,1 then the two first (equal remainders) get one more
    assertArrayEquals(new int[] {2, 2, 1}, Splitter.apportion(5, counts, 0.3, counts));
    int[] shares = Splitter.apportion(6, counts, 0.4, counts);
    assertArrayEquals(new int[] {2, 2, 2}, shares);
    int[] tiny = Splitter.apportion(1, new int[] {1, 1}, 0.5, new int[] {0, 1});
    assertArrayEquals(new int[] {0, 1}, tiny, "capacity is respected");
  }

  @Test
  void foldsCoverEveryNonTestRowOnceStratifiedWithTheSameTestPart() {
    Dataset d = Generators.blobs(103, 3, 2, 1.0, 5);
    java.util.List<DataSplit> folds = Splitter.folds(d, 5, 0.2, 9);
    assertEquals(5, folds.size());
    DataSplit single = Splitter.split(d, 0.0, 0.2, 9);
    Set<String> seen = new HashSet<>();
    for (DataSplit f : folds) {
      assertArrayEquals(single.test().x(), f.test().x(), "the test part is held out as split() holds it out");
      assertEquals(single.train().rows(), f.train().rows() + f.validation().rows());
      int rows = f.validation().rows();
      assertTrue(rows == 16 || rows == 17, "83 rows in 5 folds: 16 or 17 each, got " + rows);
      int[] counts = f.validation().classCounts();
      for (int c : counts) {
        assertTrue(Math.abs(c - rows / 3.0) <= 1.5, "stratified: " + java.util.Arrays.toString(counts));
      }
      for (int r = 0; r < rows; r++) {
        assertTrue(seen.add(java.util.Arrays.toString(f.validation().row(r))), "a row validates in one fold only");
      }
    }
    assertEquals(single.train().rows(), seen.size());
    assertThrows(IllegalArgumentException.class, () -> Splitter.folds(d, 1, 0.2, 9));
  }
}
