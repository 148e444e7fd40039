package dev.strata.trainer.data;

import dev.strata.common.DidYouMean;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.RealVector;

/**
 * A fitted chain of feature transforms, stored as plain numbers so a saved model can reapply
 * exactly what it was trained with ({@link #toJson()} / {@link #fromJson(String)}).
 *
 * <p><b>Call order.</b> {@link #fit(List, Dataset)} on the <em>training</em> part only, then
 * {@link #apply(Dataset)} to training, validation and test alike ({@link #fitSplit} does both), so
 * no statistic of the held-out rows leaks into training. Steps are fitted one after another, each
 * on the output of the previous one.
 *
 * <p><b>Steps</b> (names as in {@code experiment.json}'s {@code "preprocess"} list):
 *
 * <ul>
 *   <li>{@code standardize}: {@code y_j = (x_j - mean_j) / sd_j} with the population standard
 *       deviation; a constant column gets {@code sd_j = 1} (so it becomes 0 on train, no division
 *       by zero).
 *   <li>{@code standardize:channels}: per-channel normalization of images, {@code y = (x - mean_c) /
 *       sd_c} with the mean and population standard deviation of all the training pixels of
 *       channel {@code c} (a constant channel gets {@code sd_c = 1}). The channels are read from the
 *       feature names ({@code pixel_R_C} for grey images; {@code r_R_C, g_R_C, b_R_C} for colour:
 *       consecutive features with one prefix are one channel), so it needs image data ({@code idx:},
 *       {@code cifar:}, {@code images:}) and must come before any PCA step. It keeps the shape.
 *   <li>{@code minmax}: {@code y_j = (x_j - min_j) / (max_j - min_j)}, [0, 1] on train (held-out rows
 *       may fall outside); a constant column gets divisor 1.
 *   <li>{@code pca:K} (integer, keep K components) or {@code pca:F} (a fraction in (0, 1] with a
 *       decimal point, keep the fewest leading components whose eigenvalues sum to at least
 *       {@code F} of the total variance): {@code y = V_k^T (x - mean)}, where the columns of
 *       {@code V_k} are the leading eigenvectors of the training covariance {@code C = (1/n)
 *       sum_i (x_i - mean)(x_i - mean)^T}.
 *   <li>{@code whiten}, {@code whiten:K}, {@code whiten:F}: PCA whitening, {@code y =
 *       diag(lambda_k)^(-1/2) V_k^T (x - mean)}, so the training covariance of {@code y} is the
 *       identity. Components with no variance (eigenvalue at most {@code 1e-10} times the largest)
 *       cannot be whitened and are dropped, so the output may be narrower than asked for.
 * </ul>
 *
 * The eigen-decomposition is Commons Math's {@link EigenDecomposition} of the symmetric covariance;
 * each eigenvector's sign is fixed so that its largest-magnitude entry is positive, which makes the
 * fit reproducible.
 *
 * <p>Every step is affine and stored as one {@link Step}: {@code y = P ((x - center) * scale)}.
 * Immutable (arrays are never written after fitting) and thread-safe.
 *
 * <p><b>Imputation</b> ({@link DataOptions.Missing#IMPUTE}) comes before the steps: {@code fill}
 * holds one value per input feature, and a NaN (a missing value as the loaders give it) becomes
 * that value. Fitted on the training part: a numeric feature's fill is the median of its present
 * values (the mean of the two middle ones for an even count; 0 when none is present); the one-hot
 * features of one nominal or text column (consecutive features named {@code column=value}) get the
 * one-hot code of the column's most frequent category (the first in category order on a tie).
 *
 * @param inputs features taken
 * @param steps the fitted affine steps, in order
 * @param fill per-feature fill values for missing (NaN) inputs, or null for no imputation
 */
public record Preprocessor(int inputs, List<Step> steps, double[] fill) {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> KINDS = List.of("standardize", "minmax", "pca", "whiten");
  private static final String USAGE =
      "use standardize, standardize:channels, minmax, pca:K, pca:FRACTION, whiten, whiten:K or whiten:FRACTION";
  private static final java.util.regex.Pattern PIXEL = java.util.regex.Pattern.compile("([A-Za-z]+)_(\\d+)_(\\d+)");

  /**
   * One fitted affine step, {@code y = projection · ((x - center) ⊙ scale)}: {@code center} and
   * {@code scale} have {@code inputs} entries ({@code scale} null means all ones), {@code projection}
   * is {@code outputs × inputs} row-major, or null for the identity (then {@code outputs ==
   * inputs}).
   */
  public record Step(String spec, int inputs, int outputs, double[] center, double[] scale, double[] projection) {
    public Step {
      Objects.requireNonNull(spec, "spec");
      Objects.requireNonNull(center, "center");
      if (inputs <= 0 || outputs <= 0) {
        throw new IllegalArgumentException("step '" + spec + "' needs inputs > 0 and outputs > 0, got " + inputs + " and " + outputs);
      }
      if (center.length != inputs || (scale != null && scale.length != inputs)) {
        throw new IllegalArgumentException("step '" + spec + "': center and scale must have " + inputs + " entries");
      }
      if (projection == null ? outputs != inputs : projection.length != (long) outputs * inputs) {
        throw new IllegalArgumentException("step '" + spec + "': projection must be " + outputs + " x " + inputs);
      }
    }

    void apply(double[] in, double[] work, double[] out) {
      for (int j = 0; j < inputs; j++) {
        work[j] = scale == null ? in[j] - center[j] : (in[j] - center[j]) * scale[j];
      }
      if (projection == null) {
        System.arraycopy(work, 0, out, 0, inputs);
        return;
      }
      for (int k = 0; k < outputs; k++) {
        double s = 0;
        int base = k * inputs;
        for (int j = 0; j < inputs; j++) {
          s += projection[base + j] * work[j];
        }
        out[k] = s;
      }
    }
  }

  /** The data a fitted preprocessor produced from a split, and the preprocessor itself. */
  public record Prepared(DataSplit split, Preprocessor preprocessor) {}

  /** A preprocessor without imputation. */
  public Preprocessor(int inputs, List<Step> steps) {
    this(inputs, steps, null);
  }

  public Preprocessor {
    steps = List.copyOf(steps);
    if (fill != null && fill.length != inputs) {
      throw new IllegalArgumentException("fill has " + fill.length + " values, expected one per input (" + inputs + ")");
    }
    int width = inputs;
    for (Step s : steps) {
      if (s.inputs() != width) {
        throw new IllegalArgumentException("step '" + s.spec() + "' expects " + s.inputs() + " inputs but receives " + width);
      }
      width = s.outputs();
    }
  }

  /** A preprocessor that changes nothing. */
  public static Preprocessor identity(int inputs) {
    return new Preprocessor(inputs, List.of());
  }

  /** Number of features produced. */
  public int outputs() {
    return steps.isEmpty() ? inputs : steps.getLast().outputs();
  }

  /**
   * Checks one step name without data, e.g. while validating an experiment file.
   *
   * @throws DataFormatException naming the bad step and the accepted forms
   */
  public static void check(String spec) {
    parse(spec);
  }

  /** Fits the steps on {@code train} (and only on it), without imputation. */
  public static Preprocessor fit(List<String> specs, Dataset train) {
    return fit(specs, train, false);
  }

  /**
   * Fits the imputation (when {@code impute}) and then the steps on {@code train}, and only on it.
   */
  public static Preprocessor fit(List<String> specs, Dataset train, boolean impute) {
    specs.forEach(Preprocessor::check);
    if (train.rows() == 0 && !specs.isEmpty()) {
      throw new IllegalArgumentException("cannot fit preprocessing on '" + train.name() + "': it has no rows");
    }
    double[] fill = impute ? fitFill(train) : null;
    List<Step> fitted = new ArrayList<>();
    float[] x = fill == null ? train.x() : fill(fill, train.x());
    int width = train.features();
    List<String> names = train.featureNames().size() == width ? train.featureNames() : List.of();
    for (String spec : specs) {
      Spec parsed = parse(spec);
      Step step = parsed.kind().equals("channels") ? fitChannels(parsed, x, train.rows(), width, names)
          : fitStep(parsed, x, train.rows(), width);
      if (step.projection() != null) {
        names = List.of();
      }
      fitted.add(step);
      x = transform(List.of(step), x, train.rows(), width);
      width = step.outputs();
    }
    return new Preprocessor(train.features(), fitted, fill);
  }

  /** Fits on {@code split.train()} and applies to all three parts. */
  public static Prepared fitSplit(List<String> specs, DataSplit split) {
    return fitSplit(specs, split, false);
  }

  /** Fits on {@code split.train()} (imputation too, when {@code impute}) and applies to all three parts. */
  public static Prepared fitSplit(List<String> specs, DataSplit split, boolean impute) {
    Preprocessor p = fit(specs, split.train(), impute);
    return new Prepared(split.map(p::apply), p);
  }

  /** Whether this preprocessor changes nothing (no imputation, no steps). */
  public boolean passesThrough() {
    return fill == null && steps.isEmpty();
  }

  /** Whether missing (NaN) inputs are filled. */
  public boolean imputes() {
    return fill != null;
  }

  private static double[] fitFill(Dataset train) {
    int d = train.features();
    int n = train.rows();
    float[] x = train.x();
    double[] fill = new double[d];
    List<String> names = train.featureNames().size() == d ? train.featureNames() : Dataset.names("f", d);
    int j = 0;
    while (j < d) {
      String group = group(names.get(j));
      int end = j + 1;
      while (group != null && end < d && group.equals(group(names.get(end)))) {
        end++;
      }
      if (group == null) {
        float[] present = new float[n];
        int m = 0;
        for (int r = 0; r < n; r++) {
          float v = x[r * d + j];
          if (!Float.isNaN(v)) {
            present[m++] = v;
          }
        }
        Arrays.sort(present, 0, m);
        fill[j] = m == 0 ? 0 : m % 2 == 1 ? present[m / 2] : (present[m / 2 - 1] + (double) present[m / 2]) / 2;
      } else {
        int best = j;
        long bestCount = -1;
        for (int k = j; k < end; k++) {
          long count = 0;
          for (int r = 0; r < n; r++) {
            if (x[r * d + k] == 1f) {
              count++;
            }
          }
          if (count > bestCount) {
            bestCount = count;
            best = k;
          }
        }
        fill[best] = 1;
      }
      j = end;
    }
    return fill;
  }

  /** The column of a one-hot feature name {@code column=value}, or null. */
  private static String group(String featureName) {
    int eq = featureName.indexOf('=');
    return eq > 0 ? featureName.substring(0, eq) : null;
  }

  private static float[] fill(double[] fill, float[] x) {
    float[] y = null;
    int d = fill.length;
    for (int i = 0; i < x.length; i++) {
      if (Float.isNaN(x[i])) {
        if (y == null) {
          y = x.clone();
        }
        y[i] = (float) fill[i % d];
      }
    }
    return y == null ? x : y;
  }

  /** The transformed dataset (labels/targets unchanged). */
  public Dataset apply(Dataset data) {
    if (data.features() != inputs) {
      throw new IllegalArgumentException("preprocessor was fitted on " + inputs + " features, dataset '"
          + data.name() + "' has " + data.features());
    }
    if (passesThrough()) {
      return data;
    }
    float[] y = transform(steps, fill == null ? data.x() : fill(fill, data.x()), data.rows(), inputs);
    List<String> names = data.featureNames();
    for (Step s : steps) {
      if (s.projection() != null) {
        names = Dataset.names(parse(s.spec()).kind().equals("pca") ? "pc" : "w", s.outputs());
      }
    }
    return new Dataset(data.name(), y, data.rows(), outputs(), data.labels(), data.targets(), data.outputs(),
        names, data.classNames());
  }

  /** Transforms {@code rows} row-major rows of {@code inputs()} features; returns a new array. */
  public float[] apply(float[] x, int rows) {
    if (x.length != (long) rows * inputs) {
      throw new IllegalArgumentException("expected " + rows + " x " + inputs + " values, got " + x.length);
    }
    return transform(steps, fill == null ? x : fill(fill, x), rows, inputs);
  }

  /** This preprocessor as JSON (plain numbers, no class names). */
  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write preprocessor as JSON", e);
    }
  }

  /** Reads what {@link #toJson()} wrote. */
  public static Preprocessor fromJson(String json) {
    try {
      return JSON.readValue(json, Preprocessor.class);
    } catch (JsonProcessingException e) {
      throw new DataFormatException("preprocessor JSON is not valid: " + e.getOriginalMessage()
          + "; write it with Preprocessor.toJson()", e);
    }
  }

  // ---- fitting ------------------------------------------------------------------------------

  private record Spec(String text, String kind, int components, double fraction) {}

  private static Spec parse(String spec) {
    if (spec == null || spec.isBlank()) {
      throw new DataFormatException("empty preprocessing step; " + USAGE);
    }
    String text = spec.strip();
    int colon = text.indexOf(':');
    String kind = (colon < 0 ? text : text.substring(0, colon)).toLowerCase(Locale.ROOT);
    String arg = colon < 0 ? null : text.substring(colon + 1).strip();
    if (!KINDS.contains(kind)) {
      String near = DidYouMean.closestOrNull(kind, KINDS);
      throw new DataFormatException("unknown preprocessing step '" + text + "'"
          + (near == null ? "" : " (did you mean '" + near + "'?)") + "; " + USAGE);
    }
    if (arg == null) {
      if (kind.equals("pca")) {
        throw new DataFormatException("preprocessing step 'pca' needs a size, e.g. 'pca:20' (components) or 'pca:0.95' (variance fraction)");
      }
      return new Spec(text, kind, 0, kind.equals("whiten") ? 1.0 : 0);
    }
    if (kind.equals("standardize") && arg.equalsIgnoreCase("channels")) {
      return new Spec(text, "channels", 0, 0);
    }
    if (kind.equals("standardize")) {
      throw new DataFormatException("preprocessing step '" + text + "': standardize takes no argument or ':channels';"
          + " write 'standardize' (per feature) or 'standardize:channels' (per image channel)");
    }
    if (!kind.equals("pca") && !kind.equals("whiten")) {
      throw new DataFormatException("preprocessing step '" + kind + "' takes no argument, got '" + text + "'; write '" + kind + "'");
    }
    try {
      if (arg.contains(".") || arg.contains("e") || arg.contains("E")) {
        double f = Double.parseDouble(arg);
        if (!(f > 0 && f <= 1)) {
          throw new DataFormatException("variance fraction in '" + text + "' must be in (0, 1], got " + arg + "; e.g. '" + kind + ":0.95'");
        }
        return new Spec(text, kind, 0, f);
      }
      int k = Integer.parseInt(arg);
      if (k < 1) {
        throw new DataFormatException("component count in '" + text + "' must be >= 1, got " + arg);
      }
      return new Spec(text, kind, k, 0);
    } catch (NumberFormatException e) {
      throw new DataFormatException("'" + text + "': expected a component count or a variance fraction after ':', got '"
          + arg + "'; e.g. '" + kind + ":20' or '" + kind + ":0.95'");
    }
  }

  private static Step fitChannels(Spec spec, float[] x, int rows, int d, List<String> names) {
    int[] channelOf = new int[d];
    int channels = 0;
    String prefix = null;
    for (int j = 0; j < d; j++) {
      java.util.regex.Matcher m = names.isEmpty() ? null : PIXEL.matcher(names.get(j));
      if (m == null || !m.matches()) {
        throw new DataFormatException("'" + spec.text() + "' needs image features named like pixel_R_C or r_R_C"
            + " (idx:, cifar: and images: sources give them, before any PCA step); this data's feature " + (j + 1) + " is "
            + (names.isEmpty() ? "unnamed" : "'" + names.get(j) + "'") + "; use 'standardize' for per-feature scaling");
      }
      if (!m.group(1).equals(prefix)) {
        prefix = m.group(1);
        channels++;
      }
      channelOf[j] = channels - 1;
    }
    double[] sum = new double[channels];
    double[] count = new double[channels];
    for (int r = 0; r < rows; r++) {
      for (int j = 0; j < d; j++) {
        sum[channelOf[j]] += x[r * d + j];
        count[channelOf[j]]++;
      }
    }
    double[] mean = new double[channels];
    for (int c = 0; c < channels; c++) {
      mean[c] = sum[c] / count[c];
    }
    double[] var = new double[channels];
    for (int r = 0; r < rows; r++) {
      for (int j = 0; j < d; j++) {
        double v = x[r * d + j] - mean[channelOf[j]];
        var[channelOf[j]] += v * v;
      }
    }
    double[] center = new double[d];
    double[] scale = new double[d];
    for (int j = 0; j < d; j++) {
      int c = channelOf[j];
      double sd = Math.sqrt(var[c] / count[c]);
      center[j] = mean[c];
      scale[j] = sd == 0 ? 1.0 : 1.0 / sd;
    }
    return new Step(spec.text(), d, d, center, scale, null);
  }

  private static Step fitStep(Spec spec, float[] x, int rows, int d) {
    double[] mean = new double[d];
    double[] min = new double[d];
    double[] max = new double[d];
    Arrays.fill(min, Double.POSITIVE_INFINITY);
    Arrays.fill(max, Double.NEGATIVE_INFINITY);
    for (int r = 0; r < rows; r++) {
      for (int j = 0; j < d; j++) {
        double v = x[r * d + j];
        mean[j] += v;
        min[j] = Math.min(min[j], v);
        max[j] = Math.max(max[j], v);
      }
    }
    for (int j = 0; j < d; j++) {
      mean[j] /= rows;
    }
    return switch (spec.kind()) {
      case "standardize" -> {
        double[] var = new double[d];
        for (int r = 0; r < rows; r++) {
          for (int j = 0; j < d; j++) {
            double c = x[r * d + j] - mean[j];
            var[j] += c * c;
          }
        }
        double[] scale = new double[d];
        for (int j = 0; j < d; j++) {
          double sd = Math.sqrt(var[j] / rows);
          scale[j] = min[j] == max[j] || sd == 0 ? 1.0 : 1.0 / sd;
        }
        yield new Step(spec.text(), d, d, mean, scale, null);
      }
      case "minmax" -> {
        double[] scale = new double[d];
        for (int j = 0; j < d; j++) {
          scale[j] = min[j] == max[j] ? 1.0 : 1.0 / (max[j] - min[j]);
        }
        yield new Step(spec.text(), d, d, min, scale, null);
      }
      default -> fitPca(spec, x, rows, d, mean);
    };
  }

  private static Step fitPca(Spec spec, float[] x, int rows, int d, double[] mean) {
    boolean whiten = spec.kind().equals("whiten");
    if (spec.components() > d) {
      throw new DataFormatException("'" + spec.text() + "' asks for " + spec.components() + " components but the data has only "
          + d + " features; use at most " + d);
    }
    // Upper triangle of sum_i (x_i - mean)(x_i - mean)^T, a block of rows at a time so each
    // covariance row stays in cache while the block's rows are added to it.
    double[][] cov = new double[d][d];
    int block = 64;
    double[][] c = new double[block][d];
    for (int start = 0; start < rows; start += block) {
      int len = Math.min(block, rows - start);
      for (int b = 0; b < len; b++) {
        int base = (start + b) * d;
        for (int j = 0; j < d; j++) {
          c[b][j] = x[base + j] - mean[j];
        }
      }
      for (int i = 0; i < d; i++) {
        double[] row = cov[i];
        for (int b = 0; b < len; b++) {
          double[] cb = c[b];
          double ci = cb[i];
          if (ci == 0) {
            continue;
          }
          for (int j = i; j < d; j++) {
            row[j] += ci * cb[j];
          }
        }
      }
    }
    for (int i = 0; i < d; i++) {
      for (int j = i; j < d; j++) {
        cov[i][j] /= rows;
        cov[j][i] = cov[i][j];
      }
    }
    EigenDecomposition eig = new EigenDecomposition(new Array2DRowRealMatrix(cov, false));
    double[] values = eig.getRealEigenvalues();
    Integer[] order = new Integer[d];
    Arrays.setAll(order, i -> i);
    Arrays.sort(order, (a, b) -> Double.compare(values[b], values[a]));
    double total = 0;
    for (double v : values) {
      total += Math.max(v, 0);
    }
    double largest = Math.max(values[order[0]], 0);
    int usable = 0; // components with non-zero variance
    while (usable < d && values[order[usable]] > 1e-10 * largest && largest > 0) {
      usable++;
    }
    int k;
    if (spec.components() > 0) {
      k = spec.components();
    } else {
      k = 0;
      double sum = 0;
      while (k < d && (k == 0 || sum < spec.fraction() * total * (1 - 1e-12))) {
        sum += Math.max(values[order[k]], 0);
        k++;
      }
    }
    if (whiten) {
      k = Math.min(k, usable);
      if (k == 0) {
        throw new DataFormatException("'" + spec.text() + "': the training data has no variance, nothing to whiten");
      }
    }
    double[] projection = new double[k * d];
    for (int i = 0; i < k; i++) {
      RealVector v = eig.getEigenvector(order[i]);
      int argmax = 0;
      for (int j = 1; j < d; j++) {
        if (Math.abs(v.getEntry(j)) > Math.abs(v.getEntry(argmax))) {
          argmax = j;
        }
      }
      double sign = v.getEntry(argmax) < 0 ? -1 : 1;
      double norm = v.getNorm();
      double factor = sign / norm / (whiten ? Math.sqrt(values[order[i]]) : 1.0);
      for (int j = 0; j < d; j++) {
        projection[i * d + j] = v.getEntry(j) * factor;
      }
    }
    return new Step(spec.text(), d, k, mean, null, projection);
  }

  private static float[] transform(List<Step> steps, float[] x, int rows, int width) {
    int maxWidth = width;
    for (Step s : steps) {
      maxWidth = Math.max(maxWidth, s.outputs());
    }
    int outWidth = steps.isEmpty() ? width : steps.getLast().outputs();
    float[] y = new float[rows * outWidth];
    double[] a = new double[maxWidth];
    double[] b = new double[maxWidth];
    double[] work = new double[maxWidth];
    for (int r = 0; r < rows; r++) {
      for (int j = 0; j < width; j++) {
        a[j] = x[r * width + j];
      }
      for (Step s : steps) {
        s.apply(a, work, b);
        double[] t = a;
        a = b;
        b = t;
      }
      for (int j = 0; j < outWidth; j++) {
        y[r * outWidth + j] = (float) a[j];
      }
    }
    return y;
  }
}
