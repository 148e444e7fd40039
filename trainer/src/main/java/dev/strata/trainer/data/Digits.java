package dev.strata.trainer.data;

import java.io.InputStream;

/**
 * The real 8×8 handwritten digits: 1,797 samples, 64 features (pixel block counts, integers
 * 0..16, row-major {@code pixel_ROW_COL}), 10 classes {@code "0".."9"} with 174 to 183 samples
 * each. Values are returned unscaled (0..16); add {@code standardize} or {@code minmax}
 * preprocessing as needed.
 *
 * <p><b>Attribution.</b> The data ships as the resource {@code
 * dev/strata/trainer/data/digits.csv.gz}, taken unchanged (a header line added) from scikit-learn's
 * {@code sklearn/datasets/data/digits.csv.gz} (Debian package {@code python3-sklearn}), Copyright
 * 2007-2019 the scikit-learn developers, BSD-3-Clause license. It is the test set of the UCI
 * Machine Learning Repository "Optical Recognition of Handwritten Digits" dataset (optdigits) by E.
 * Alpaydin and C. Kaynak (Bogazici University, 1998). The full notice and license text are in
 * {@code digits-NOTICE.txt} next to the resource.
 *
 * <p>Stateless and thread-safe; each call reads the resource afresh (about 50 KB).
 */
public final class Digits {

  /** The resource path, relative to the class path root. */
  public static final String RESOURCE = "/dev/strata/trainer/data/digits.csv.gz";
  /** Number of samples. */
  public static final int ROWS = 1797;
  /** Number of features (8 × 8 pixels). */
  public static final int FEATURES = 64;
  /** Number of classes. */
  public static final int CLASSES = 10;

  private Digits() {}

  /** Loads the digits dataset, named {@code digits}. */
  public static Dataset load() {
    InputStream in = Digits.class.getResourceAsStream(RESOURCE);
    if (in == null) {
      throw new IllegalStateException("resource " + RESOURCE + " is missing from the class path; the trainer jar is incomplete, rebuild it");
    }
    Dataset d = CsvLoader.read(in, "digits.csv.gz", "digits", DataOptions.defaults());
    if (d.rows() != ROWS || d.features() != FEATURES || d.classes() != CLASSES) {
      throw new IllegalStateException("resource " + RESOURCE + " is corrupt: " + d.shape() + ", expected "
          + ROWS + " x " + FEATURES + " -> " + CLASSES + " classes; rebuild the trainer jar");
    }
    return d;
  }
}
