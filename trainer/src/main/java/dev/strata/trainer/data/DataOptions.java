package dev.strata.trainer.data;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Options for {@link Datasets#load(String, DataOptions)}: which column is the label, regression or
 * classification, and the size, noise and seed of generated sets. Immutable and thread-safe; build
 * one with {@link #builder()} or start from {@link #defaults()} and use the {@code withX} copies.
 *
 * @param labelColumns the label column (classification: exactly one) or target columns
 *     (regression: one or more) by header name; empty means the last column. Default: empty.
 * @param regression load file targets as floats instead of class labels. Default: false. (ARFF
 *     infers this from the class attribute's type; a generator decides by its kind.)
 * @param nominal how ARFF nominal attributes other than the class become features. Default:
 *     {@link NominalEncoding#ONE_HOT}.
 * @param samples rows to generate (spiral: per class); 0 means the generator's default.
 * @param classes classes to generate (spiral, blobs); 0 means the generator's default.
 * @param dimensions input dimensions to generate (blobs); 0 means the generator's default.
 * @param noise generator noise (a standard deviation); NaN means the generator's default.
 * @param seed generator seed. Default: 1.
 * @param missing what a missing value (an empty field, {@code ?}, {@code NA}, {@code NaN}) in a
 *     feature column of a CSV or ARFF file becomes: {@link Missing#ERROR} (default) refuses it with
 *     the cell's {@code file:line:column}; {@link Missing#IMPUTE} loads it as NaN, and the {@link
 *     Preprocessor} fills it with the training part's median (numeric) or most frequent category
 *     (nominal or text). A missing label or target is always an error.
 * @param imageHeight {@code images:DIR}: resize every image to this height; 0 (default) keeps the
 *     files' size, which must then be the same for all
 * @param imageWidth {@code images:DIR}: resize every image to this width; 0 (default) as above;
 *     give both or neither
 * @param imageChannels {@code images:DIR}: 1 (grey) or 3 (RGB); 0 (default) is 1 when every file
 *     is grey, else 3
 */
public record DataOptions(
    List<String> labelColumns,
    boolean regression,
    NominalEncoding nominal,
    int samples,
    int classes,
    int dimensions,
    double noise,
    long seed,
    Missing missing,
    int imageHeight,
    int imageWidth,
    int imageChannels) {

  /** What a missing feature value becomes; see {@link DataOptions#missing()}. */
  public enum Missing {
    /** A missing value is an error naming the cell. */
    ERROR,
    /** A missing value is filled from the training part (median or most frequent category). */
    IMPUTE
  }

  /** How an ARFF nominal attribute that is not the class becomes features. */
  public enum NominalEncoding {
    /** One 0/1 feature per declared value, named {@code attribute=value}. */
    ONE_HOT,
    /** One feature holding the value's 0-based index in the declaration. */
    CODES
  }

  public DataOptions {
    labelColumns = labelColumns == null ? List.of() : List.copyOf(labelColumns);
    Objects.requireNonNull(nominal, "nominal");
    missing = missing == null ? Missing.ERROR : missing;
    if (imageHeight < 0 || imageWidth < 0 || (imageHeight == 0) != (imageWidth == 0)) {
      throw new IllegalArgumentException("image height and width must both be > 0 (a size to resize to) or both 0"
          + " (keep the files' size), got " + imageHeight + " x " + imageWidth);
    }
    if (imageChannels != 0 && imageChannels != 1 && imageChannels != 3) {
      throw new IllegalArgumentException("image channels must be 1 (grey), 3 (RGB) or 0 (from the files), got " + imageChannels);
    }
    if (samples < 0 || classes < 0 || dimensions < 0) {
      throw new IllegalArgumentException("samples, classes and dimensions must be >= 0 (0 = default), got "
          + samples + ", " + classes + ", " + dimensions);
    }
    if (!Double.isNaN(noise) && !(noise >= 0 && noise < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException("noise must be a finite number >= 0 (NaN = default), got " + noise);
    }
  }

  /** All defaults. */
  public static DataOptions defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public DataOptions withLabel(String... columns) {
    return new DataOptions(Arrays.asList(columns), regression, nominal, samples, classes, dimensions, noise, seed, missing, imageHeight, imageWidth, imageChannels);
  }

  public DataOptions withRegression(boolean regression) {
    return new DataOptions(labelColumns, regression, nominal, samples, classes, dimensions, noise, seed, missing, imageHeight, imageWidth, imageChannels);
  }

  public DataOptions withNominal(NominalEncoding nominal) {
    return new DataOptions(labelColumns, regression, nominal, samples, classes, dimensions, noise, seed, missing, imageHeight, imageWidth, imageChannels);
  }

  public DataOptions withSamples(int samples) {
    return new DataOptions(labelColumns, regression, nominal, samples, classes, dimensions, noise, seed, missing, imageHeight, imageWidth, imageChannels);
  }

  public DataOptions withClasses(int classes) {
    return new DataOptions(labelColumns, regression, nominal, samples, classes, dimensions, noise, seed, missing, imageHeight, imageWidth, imageChannels);
  }

  public DataOptions withDimensions(int dimensions) {
    return new DataOptions(labelColumns, regression, nominal, samples, classes, dimensions, noise, seed, missing, imageHeight, imageWidth, imageChannels);
  }

  public DataOptions withNoise(double noise) {
    return new DataOptions(labelColumns, regression, nominal, samples, classes, dimensions, noise, seed, missing, imageHeight, imageWidth, imageChannels);
  }

  public DataOptions withSeed(long seed) {
    return new DataOptions(labelColumns, regression, nominal, samples, classes, dimensions, noise, seed, missing, imageHeight, imageWidth, imageChannels);
  }

  public DataOptions withMissing(Missing missing) {
    return new DataOptions(labelColumns, regression, nominal, samples, classes, dimensions, noise, seed, missing, imageHeight, imageWidth, imageChannels);
  }

  /** A copy that reads {@code images:DIR} at this size (0, 0: the files' size) and channel count (0: from the files). */
  public DataOptions withImage(int height, int width, int channels) {
    return new DataOptions(labelColumns, regression, nominal, samples, classes, dimensions, noise, seed, missing, height,
        width, channels);
  }

  /** Whether missing feature values are imputed rather than refused. */
  public boolean imputes() {
    return missing == Missing.IMPUTE;
  }

  int samplesOr(int fallback) {
    return samples > 0 ? samples : fallback;
  }

  int classesOr(int fallback) {
    return classes > 0 ? classes : fallback;
  }

  int dimensionsOr(int fallback) {
    return dimensions > 0 ? dimensions : fallback;
  }

  double noiseOr(double fallback) {
    return Double.isNaN(noise) ? fallback : noise;
  }

  /** Builder; every field starts at the default documented on {@link DataOptions}. */
  public static final class Builder {
    private List<String> labelColumns = List.of();
    private boolean regression;
    private NominalEncoding nominal = NominalEncoding.ONE_HOT;
    private int samples;
    private int classes;
    private int dimensions;
    private double noise = Double.NaN;
    private long seed = 1;
    private Missing missing = Missing.ERROR;
    private int imageHeight;
    private int imageWidth;
    private int imageChannels;

    private Builder() {}

    /** {@code images:DIR}: the size to resize to (0, 0: the files' size) and the channels (0: from the files). */
    public Builder image(int height, int width, int channels) {
      this.imageHeight = height;
      this.imageWidth = width;
      this.imageChannels = channels;
      return this;
    }

    public Builder missing(Missing missing) {
      this.missing = missing;
      return this;
    }

    public Builder label(String... columns) {
      this.labelColumns = Arrays.asList(columns);
      return this;
    }

    public Builder regression(boolean regression) {
      this.regression = regression;
      return this;
    }

    public Builder nominal(NominalEncoding nominal) {
      this.nominal = nominal;
      return this;
    }

    public Builder samples(int samples) {
      this.samples = samples;
      return this;
    }

    public Builder classes(int classes) {
      this.classes = classes;
      return this;
    }

    public Builder dimensions(int dimensions) {
      this.dimensions = dimensions;
      return this;
    }

    public Builder noise(double noise) {
      this.noise = noise;
      return this;
    }

    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    public DataOptions build() {
      return new DataOptions(labelColumns, regression, nominal, samples, classes, dimensions, noise, seed, missing, imageHeight, imageWidth, imageChannels);
    }
  }
}
