package dev.strata.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PreprocessorTest {

  /** Correlated 5-d data of rank 4 (column 3 constant), columns of very different scales. */
  private static Dataset correlated(int rows, long seed, double shift) {
    Random rng = new Random(seed);
    float[] x = new float[rows * 5];
    for (int r = 0; r < rows; r++) {
      double a = rng.nextGaussian();
      double b = rng.nextGaussian();
      double c = rng.nextGaussian();
      x[r * 5] = (float) (10 * a + shift);
      x[r * 5 + 1] = (float) (5 * a + 0.5 * b);
      x[r * 5 + 2] = (float) (0.01 * c - 3);
      x[r * 5 + 3] = 7f;
      x[r * 5 + 4] = (float) (a - b + 0.1 * rng.nextGaussian());
    }
    return new Dataset("c", x, rows, 5, null, new float[rows], 1, null, null);
  }

  private static double[] mean(Dataset d) {
    double[] m = new double[d.features()];
    for (int r = 0; r < d.rows(); r++) {
      for (int j = 0; j < d.features(); j++) {
        m[j] += d.x()[r * d.features() + j];
      }
    }
    for (int j = 0; j < m.length; j++) {
      m[j] /= d.rows();
    }
    return m;
  }

  /** Population covariance. */
  private static double[][] cov(Dataset d) {
    int f = d.features();
    double[] m = mean(d);
    double[][] c = new double[f][f];
    for (int r = 0; r < d.rows(); r++) {
      for (int i = 0; i < f; i++) {
        for (int j = 0; j < f; j++) {
          c[i][j] += (d.x()[r * f + i] - m[i]) * (d.x()[r * f + j] - m[j]);
        }
      }
    }
    for (double[] row : c) {
      for (int j = 0; j < f; j++) {
        row[j] /= d.rows();
      }
    }
    return c;
  }

  @Test
  void standardizeUsesTrainingStatisticsOnly() {
    Dataset train = correlated(500, 1, 0);
    Dataset test = correlated(200, 2, 100); // column 0 shifted by 100 = 10 train sd
    Preprocessor p = Preprocessor.fit(List.of("standardize"), train);
    Dataset t = p.apply(train);
    double[] m = mean(t);
    double[][] c = cov(t);
    for (int j = 0; j < 5; j++) {
      assertEquals(0, m[j], 1e-5, "train mean of column " + j);
      assertEquals(j == 3 ? 0 : 1, c[j][j], 1e-4, "train variance of column " + j);
    }
    // The test set is scaled with train's mean and sd, so its shift survives: mean of column 0 ~ +10.
    double[] testMean = mean(p.apply(test));
    assertEquals(10, testMean[0], 0.5);
    assertEquals(0, testMean[3], 0.0, "constant column stays finite and 0");
    assertEquals(p.steps().getFirst().center()[0], mean(train)[0], 1e-9);
  }

  @Test
  void fitSplitFitsOnTrainAndAppliesToAllParts() {
    DataSplit split = Splitter.split(Digits.load(), 0.2, 0.2, 1);
    Preprocessor.Prepared prepared = Preprocessor.fitSplit(List.of("standardize"), split);
    double[] trainMean = mean(split.train());
    assertArrayEquals(trainMean, prepared.preprocessor().steps().getFirst().center(), 1e-9);
    double[] testMean = mean(prepared.split().test());
    double worst = 0;
    for (double v : testMean) {
      worst = Math.max(worst, Math.abs(v));
      assertTrue(Double.isFinite(v));
    }
    assertTrue(worst > 1e-3, "test is transformed with train statistics, so its mean is not exactly 0");
    assertEquals(split.test().labels(), prepared.split().test().labels());
  }

  @Test
  void minmaxMapsTrainToUnitInterval() {
    Dataset train = correlated(300, 3, 0);
    Dataset t = Preprocessor.fit(List.of("minmax"), train).apply(train);
    float min = Float.MAX_VALUE;
    float max = -Float.MAX_VALUE;
    for (float v : t.x()) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    assertEquals(0f, min, 1e-6);
    assertEquals(1f, max, 1e-6);
  }

  @Test
  void pcaVarianceFractionKeepsTheFewestComponentsThatReachIt() {
    Dataset train = Preprocessor.fit(List.of("standardize"), Digits.load()).apply(Digits.load());
    double total = 0;
    double[][] c = cov(train);
    for (int j = 0; j < 64; j++) {
      total += c[j][j];
    }
    Preprocessor p = Preprocessor.fit(List.of("pca:0.95"), train);
    Dataset t = p.apply(train);
    int k = t.features();
    assertTrue(k > 1 && k < 64, "k = " + k);
    double[][] ct = cov(t);
    double kept = 0;
    for (int j = 0; j < k; j++) {
      kept += ct[j][j];
      if (j > 0) {
        assertTrue(ct[j][j] <= ct[j - 1][j - 1] + 1e-6, "components sorted by variance");
      }
    }
    double withoutLast = kept - ct[k - 1][k - 1];
    // Tolerance 1e-4 relative: float storage of the projected data.
    assertTrue(kept >= 0.95 * total * (1 - 1e-4), "kept " + kept / total);
    assertTrue(withoutLast < 0.95 * total, "one fewer component would not reach 95%: " + withoutLast / total);
    assertEquals(List.of("pc0", "pc1"), t.featureNames().subList(0, 2));
    assertEquals(20, Preprocessor.fit(List.of("pca:20"), train).outputs());
  }

  @Test
  void whiteningGivesIdentityCovarianceOnTrain() {
    Dataset train = correlated(1000, 4, 0);
    Preprocessor p = Preprocessor.fit(List.of("whiten"), train);
    Dataset t = p.apply(train);
    assertEquals(4, t.features(), "the constant column has no variance and is dropped");
    double[][] c = cov(t);
    double[] m = mean(t);
    for (int i = 0; i < 4; i++) {
      assertEquals(0, m[i], 1e-4);
      for (int j = 0; j < 4; j++) {
        // Tolerance 1e-3: whitened values are stored as floats.
        assertEquals(i == j ? 1 : 0, c[i][j], 1e-3, "cov[" + i + "][" + j + "]");
      }
    }
    Dataset w2 = Preprocessor.fit(List.of("standardize", "whiten:2"), train).apply(train);
    assertEquals(2, w2.features());
    double[][] c2 = cov(w2);
    assertEquals(1, c2[0][0], 1e-3);
    assertEquals(0, c2[0][1], 1e-3);
  }

  @Test
  void jsonRoundTripReappliesExactly() {
    Dataset train = correlated(200, 5, 0);
    Preprocessor p = Preprocessor.fit(List.of("standardize", "pca:3"), train);
    String json = p.toJson();
    assertTrue(json.contains("\"spec\":\"pca:3\""), json);
    Preprocessor back = Preprocessor.fromJson(json);
    assertEquals(p.inputs(), back.inputs());
    assertArrayEquals(p.apply(train).x(), back.apply(train).x());
    assertArrayEquals(p.apply(train.x(), train.rows()), back.apply(train).x());
    assertThrows(DataFormatException.class, () -> Preprocessor.fromJson("{\"inputs\": 5, \"steps\": [{]}"));
  }

  @Test
  void pcaIsReproducible() {
    Dataset train = correlated(300, 6, 0);
    assertArrayEquals(Preprocessor.fit(List.of("pca:2"), train).steps().getFirst().projection(),
        Preprocessor.fit(List.of("pca:2"), train).steps().getFirst().projection());
  }

  @Test
  void badStepNamesSayWhatIsAccepted() {
    DataFormatException e = assertThrows(DataFormatException.class, () -> Preprocessor.check("standardise"));
    assertEquals("unknown preprocessing step 'standardise' (did you mean 'standardize'?); use standardize, standardize:channels, minmax, "
        + "pca:K, pca:FRACTION, whiten, whiten:K or whiten:FRACTION", e.getMessage());
    assertTrue(assertThrows(DataFormatException.class, () -> Preprocessor.check("pca")).getMessage().contains("pca:20"));
    assertTrue(assertThrows(DataFormatException.class, () -> Preprocessor.check("pca:1.5")).getMessage().contains("(0, 1]"));
    assertTrue(assertThrows(DataFormatException.class, () -> Preprocessor.check("pca:abc")).getMessage().contains("'abc'"));
    assertTrue(assertThrows(DataFormatException.class, () -> Preprocessor.check("minmax:3")).getMessage().contains("no argument"));
    Dataset train = correlated(50, 7, 0);
    assertTrue(assertThrows(DataFormatException.class, () -> Preprocessor.fit(List.of("pca:9"), train))
        .getMessage().contains("only 5 features"));
    Preprocessor.check("pca:20");
    Preprocessor.check("PCA:0.95");
    Preprocessor.check("whiten");
  }
}
