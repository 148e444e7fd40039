package dev.strata.trainer.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Seeded train/validation/test splits. Stateless and thread-safe; each call draws from its own
 * {@code java.util.Random(seed)} (whose algorithm is fixed by the Java specification), so the same
 * dataset and seed give the same split on every JVM.
 *
 * <p><b>Sizes.</b> With {@code n} rows the test part gets {@code round(n * testFraction)} rows and
 * the validation part {@code round(n * validationFraction)}; the training part keeps the rest and
 * must not be empty.
 *
 * <p><b>Stratification (classification).</b> Those totals are shared out over the classes by the
 * largest-remainder method: class {@code c} with {@code n_c} rows gets {@code floor(n_c * f)} or
 * {@code ceil(n_c * f)} rows of a part with fraction {@code f}, so every part's class proportions
 * match the whole set within one sample per class. Inside each class the rows are shuffled before
 * they are dealt out. Regression sets are shuffled as a whole.
 *
 * <p>Each part keeps the original row order (the training loop shuffles per epoch), and parts are
 * named {@code NAME/train}, {@code NAME/validation}, {@code NAME/test}.
 */
public final class Splitter {

  private Splitter() {}

  /**
   * Splits {@code data}; fractions in {@code [0, 1)} with {@code validationFraction + testFraction
   * < 1}.
   *
   * @throws IllegalArgumentException if a fraction is out of range or the training part would be
   *     empty
   */
  public static DataSplit split(Dataset data, double validationFraction, double testFraction, long seed) {
    checkFraction("validation", validationFraction);
    checkFraction("test", testFraction);
    if (validationFraction + testFraction >= 1.0) {
      throw new IllegalArgumentException("validation + test fractions must be < 1, got "
          + validationFraction + " + " + testFraction + "; leave some rows for training");
    }
    int n = data.rows();
    int nTest = (int) Math.round(n * testFraction);
    int nVal = (int) Math.round(n * validationFraction);
    if (n - nTest - nVal < 1) {
      throw new IllegalArgumentException("dataset '" + data.name() + "' has " + n + " rows: a "
          + validationFraction + "/" + testFraction + " split leaves no training rows; use smaller fractions");
    }
    Random rng = new Random(seed);
    int[][] parts = data.isClassification()
        ? stratified(data, nVal, nTest, validationFraction, testFraction, rng)
        : shuffled(n, nVal, nTest, rng);
    return new DataSplit(
        data.select(parts[0]).withName(data.name() + "/train"),
        data.select(parts[1]).withName(data.name() + "/validation"),
        data.select(parts[2]).withName(data.name() + "/test"));
  }

  /**
   * {@code k}-fold cross-validation splits: the test part is held out first exactly as {@link
   * #split} holds it out (same seed, validation fraction 0), then the remaining rows are dealt into
   * {@code k} folds, stratified for classification (each class's rows, shuffled, dealt round-robin
   * over the folds, continuing where the previous class stopped, so fold sizes differ by at most
   * one). Split {@code i} validates on fold {@code i} and trains on the other {@code k - 1}; all
   * share the test part.
   *
   * @throws IllegalArgumentException if {@code k < 2}, the test fraction is out of range, or a fold
   *     would be empty
   */
  public static List<DataSplit> folds(Dataset data, int k, double testFraction, long seed) {
    if (k < 2) {
      throw new IllegalArgumentException("cross-validation needs at least 2 folds, got " + k);
    }
    DataSplit outer = split(data, 0.0, testFraction, seed);
    Dataset rest = outer.train();
    if (rest.rows() < k) {
      throw new IllegalArgumentException("dataset '" + data.name() + "' has " + rest.rows() + " rows outside the test part,"
          + " too few for " + k + " folds; use fewer folds or a smaller test fraction");
    }
    Random rng = new Random(seed ^ 0x9E3779B97F4A7C15L);
    int[] fold = new int[rest.rows()];
    int next = 0;
    if (rest.isClassification()) {
      List<List<Integer>> members = new ArrayList<>();
      for (int c = 0; c < rest.classes(); c++) {
        members.add(new ArrayList<>());
      }
      for (int r = 0; r < rest.rows(); r++) {
        members.get(rest.label(r)).add(r);
      }
      for (List<Integer> m : members) {
        int[] rows = m.stream().mapToInt(Integer::intValue).toArray();
        shuffle(rows, rng);
        for (int r : rows) {
          fold[r] = next++ % k;
        }
      }
    } else {
      int[] rows = new int[rest.rows()];
      Arrays.setAll(rows, i -> i);
      shuffle(rows, rng);
      for (int r : rows) {
        fold[r] = next++ % k;
      }
    }
    List<DataSplit> out = new ArrayList<>(k);
    for (int i = 0; i < k; i++) {
      List<Integer> train = new ArrayList<>();
      List<Integer> val = new ArrayList<>();
      for (int r = 0; r < fold.length; r++) {
        (fold[r] == i ? val : train).add(r);
      }
      out.add(new DataSplit(rest.select(sorted(train)).withName(data.name() + "/fold" + i + "/train"),
          rest.select(sorted(val)).withName(data.name() + "/fold" + i + "/validation"),
          outer.test()));
    }
    return out;
  }

  private static void checkFraction(String what, double f) {
    if (!(f >= 0.0 && f < 1.0)) {
      throw new IllegalArgumentException(what + " fraction must be in [0, 1), got " + f);
    }
  }

  private static int[][] shuffled(int n, int nVal, int nTest, Random rng) {
    int[] order = new int[n];
    Arrays.setAll(order, i -> i);
    shuffle(order, rng);
    int[] test = Arrays.copyOfRange(order, 0, nTest);
    int[] val = Arrays.copyOfRange(order, nTest, nTest + nVal);
    int[] train = Arrays.copyOfRange(order, nTest + nVal, n);
    Arrays.sort(train);
    Arrays.sort(val);
    Arrays.sort(test);
    return new int[][] {train, val, test};
  }

  private static int[][] stratified(Dataset data, int nVal, int nTest, double vf, double tf, Random rng) {
    int classes = data.classes();
    int[] counts = data.classCounts();
    int[][] members = new int[classes][];
    int[] fill = new int[classes];
    for (int c = 0; c < classes; c++) {
      members[c] = new int[counts[c]];
    }
    for (int r = 0; r < data.rows(); r++) {
      int c = data.label(r);
      members[c][fill[c]++] = r;
    }
    for (int[] m : members) {
      shuffle(m, rng);
    }
    int[] testPer = apportion(nTest, counts, tf, counts);
    int[] capacity = new int[classes];
    for (int c = 0; c < classes; c++) {
      capacity[c] = counts[c] - testPer[c];
    }
    int[] valPer = apportion(nVal, counts, vf, capacity);
    List<Integer> train = new ArrayList<>();
    List<Integer> val = new ArrayList<>();
    List<Integer> test = new ArrayList<>();
    for (int c = 0; c < classes; c++) {
      for (int i = 0; i < counts[c]; i++) {
        int r = members[c][i];
        (i < testPer[c] ? test : i < testPer[c] + valPer[c] ? val : train).add(r);
      }
    }
    return new int[][] {sorted(train), sorted(val), sorted(test)};
  }

  /**
   * Shares {@code total} over classes in proportion {@code fraction * counts[c]}: floors first,
   * then one more for the largest remainders (ties to the lower class), never above capacity.
   */
  static int[] apportion(int total, int[] counts, double fraction, int[] capacity) {
    int k = counts.length;
    int[] out = new int[k];
    double[] remainder = new double[k];
    int given = 0;
    for (int c = 0; c < k; c++) {
      double ideal = counts[c] * fraction;
      out[c] = Math.min((int) Math.floor(ideal), capacity[c]);
      remainder[c] = ideal - out[c];
      given += out[c];
    }
    Integer[] order = new Integer[k];
    Arrays.setAll(order, c -> c);
    Arrays.sort(order, Comparator.comparingDouble((Integer c) -> -remainder[c]).thenComparingInt(c -> c));
    // First pass: at most one extra each (keeps every class within one of its ideal share);
    // later passes only if capacity limits forced it (tiny classes).
    while (given < total) {
      boolean progressed = false;
      for (int c : order) {
        if (given == total) {
          break;
        }
        if (out[c] < capacity[c]) {
          out[c]++;
          given++;
          progressed = true;
        }
      }
      if (!progressed) {
        break;
      }
    }
    return out;
  }

  private static void shuffle(int[] a, Random rng) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }

  private static int[] sorted(List<Integer> list) {
    int[] a = list.stream().mapToInt(Integer::intValue).toArray();
    Arrays.sort(a);
    return a;
  }
}
