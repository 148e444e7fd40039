package dev.strata.trainer.data;

import dev.strata.common.DidYouMean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The dataset registry: turns a source string into a {@link Dataset}. Stateless and thread-safe.
 *
 * <p><b>Sources.</b>
 *
 * <ul>
 *   <li>a built-in name, see {@link #list()}: {@code digits, xor, spiral, circles, moons, blobs,
 *       sine, speech-like} (case-insensitive);
 *   <li>{@code csv:PATH}: a CSV file with a header ({@link CsvLoader});
 *   <li>{@code arff:PATH}: an ARFF file ({@link ArffLoader});
 *   <li>{@code idx:DIR}: the training part of an MNIST-style IDX directory; {@code idx:DIR#t10k}
 *       its test part ({@link IdxLoader});
 *   <li>{@code cifar:DIR}: the training batches of a CIFAR-10 binary directory; {@code cifar:DIR#test}
 *       its test batch ({@link CifarLoader});
 *   <li>{@code images:DIR}: a folder of PNG or JPEG images, one subfolder per class ({@link
 *       ImageFolderLoader}), at the size and channels of {@link DataOptions#imageHeight()} etc.
 * </ul>
 *
 * Generators take {@link DataOptions#samples()}, {@link DataOptions#classes()}, {@link
 * DataOptions#dimensions()}, {@link DataOptions#noise()} and {@link DataOptions#seed()} where they
 * make sense and ignore the rest; file loaders take the label columns, the regression flag and the
 * nominal encoding.
 */
public final class Datasets {

  /** One built-in dataset as {@code strata datasets} lists it; the shape is for default options. */
  public record Info(String name, String description, String task, int rows, int features, int outputs) {
    /** {@code "1797 x 64 -> 10 classes"} or {@code "200 x 1 -> 1 output"}. */
    public String shape() {
      return rows + " x " + features + " -> " + outputs + (task.equals("classification") ? " classes"
          : outputs == 1 ? " output" : " outputs");
    }
  }

  private record Builtin(Info info, Function<DataOptions, Dataset> load) {}

  private static final Map<String, Builtin> BUILTINS = new LinkedHashMap<>();

  static {
    add(new Info("digits", "8x8 handwritten digits, pixel counts 0..16 (UCI optdigits via scikit-learn, BSD-3-Clause)",
        "classification", Digits.ROWS, Digits.FEATURES, Digits.CLASSES), o -> Digits.load());
    add(new Info("xor", "the 4 XOR points; with samples or noise set: noisy clouds around the corners (default 200, noise 0.1)",
        "classification", 4, 2, 2), o -> o.samples() == 0 && Double.isNaN(o.noise())
            ? Generators.xor()
            : Generators.xor(o.samplesOr(200), o.noiseOr(0.1), o.seed()));
    add(new Info("spiral", "interleaved spiral arms (classes 3, samples 100 per class, angle noise 0.2)",
        "classification", 300, 2, 3), o -> Generators.spiral(o.classesOr(3), o.samplesOr(100), o.noiseOr(0.2), o.seed()));
    add(new Info("circles", "two concentric circles, radii 1 and 0.5 (samples 200, noise 0.05)",
        "classification", 200, 2, 2), o -> Generators.circles(o.samplesOr(200), o.noiseOr(0.05), 0.5, o.seed()));
    add(new Info("moons", "two interleaving half circles (samples 200, noise 0.1)",
        "classification", 200, 2, 2), o -> Generators.moons(o.samplesOr(200), o.noiseOr(0.1), o.seed()));
    add(new Info("blobs", "Gaussian blobs with centres in [-10, 10]^d (samples 300, classes 3, dimensions 2, noise 1.0)",
        "classification", 300, 2, 3),
        o -> Generators.blobs(o.samplesOr(300), o.classesOr(3), o.dimensionsOr(2), o.noiseOr(1.0), o.seed()));
    add(new Info("sine", "y = sin(x) + N(0, noise^2), x in [-pi, pi] (samples 200, noise " + Generators.SINE_NOISE + ")",
        "regression", 200, 1, 1), o -> Generators.sine(o.samplesOr(200), o.noiseOr(Generators.SINE_NOISE), o.seed()));
    add(new Info("speech-like", "fixed smooth nonlinear map 39 -> 48 with Gaussian noise, for the 39-1000-1000-48 example"
        + " (samples 2000, noise " + Generators.SPEECH_NOISE + ")", "regression", 2000,
        Generators.SPEECH_INPUTS, Generators.SPEECH_OUTPUTS),
        o -> Generators.speechLike(o.samplesOr(2000), o.noiseOr(Generators.SPEECH_NOISE), o.seed()));
  }

  private static final List<String> PREFIXES = List.of("csv:", "idx:", "arff:", "cifar:", "images:");

  private Datasets() {}

  private static void add(Info info, Function<DataOptions, Dataset> load) {
    BUILTINS.put(info.name(), new Builtin(info, load));
  }

  /** The built-in datasets in display order. */
  public static List<Info> list() {
    return BUILTINS.values().stream().map(Builtin::info).toList();
  }

  /** Names of the built-in datasets in display order. */
  public static List<String> names() {
    return List.copyOf(BUILTINS.keySet());
  }

  /** Loads {@code source} with default options. */
  public static Dataset load(String source) {
    return load(source, DataOptions.defaults());
  }

  /**
   * Loads {@code source} (see the class comment).
   *
   * @throws DataFormatException for an unknown name or bad file, with a one-line message
   */
  public static Dataset load(String source, DataOptions options) {
    if (source == null || source.isBlank()) {
      throw new DataFormatException("no dataset given; " + choices());
    }
    String s = source.strip();
    String lower = s.toLowerCase(Locale.ROOT);
    if (lower.startsWith("csv:")) {
      return CsvLoader.load(path(s, 4), options);
    }
    if (lower.startsWith("arff:")) {
      return ArffLoader.load(path(s, 5), options);
    }
    if (lower.startsWith("idx:")) {
      String rest = s.substring(4);
      String part = "train";
      int hash = rest.lastIndexOf('#');
      if (hash >= 0) {
        part = rest.substring(hash + 1);
        rest = rest.substring(0, hash);
      }
      if (rest.isBlank()) {
        throw new DataFormatException("'" + s + "' names no directory; write idx:DIR or idx:DIR#t10k");
      }
      return IdxLoader.loadDirectory(Path.of(rest), part);
    }
    if (lower.startsWith("cifar:")) {
      String rest = s.substring(6);
      int hash = rest.lastIndexOf('#');
      String part = hash >= 0 ? rest.substring(hash + 1) : "train";
      rest = hash >= 0 ? rest.substring(0, hash) : rest;
      if (rest.isBlank()) {
        throw new DataFormatException("'" + s + "' names no directory; write cifar:DIR or cifar:DIR#test");
      }
      return CifarLoader.loadDirectory(Path.of(rest), part);
    }
    if (lower.startsWith("images:")) {
      return ImageFolderLoader.load(path(s, 7), options);
    }
    Builtin b = BUILTINS.get(lower);
    if (b != null) {
      return b.load().apply(options);
    }
    throw new DataFormatException(unknown(s));
  }

  /**
   * Checks that the files of an {@code idx:DIR#PART} or {@code cifar:DIR#PART} source are there,
   * without reading them.
   *
   * @throws DataFormatException one line naming the missing file
   */
  public static void checkPart(String source) {
    String lower = source.toLowerCase(Locale.ROOT);
    int hash = source.lastIndexOf('#');
    if (hash < 0) {
      return;
    }
    Path dir = Path.of(source.substring(source.indexOf(':') + 1, hash));
    String part = source.substring(hash + 1);
    if (lower.startsWith("idx:")) {
      IdxLoader.checkDirectory(dir, part);
    } else if (lower.startsWith("cifar:")) {
      CifarLoader.checkDirectory(dir, part);
    }
  }

  private static Path path(String source, int prefix) {
    String p = source.substring(prefix);
    if (p.isBlank()) {
      throw new DataFormatException("'" + source + "' names no file; write " + source.substring(0, prefix) + "PATH");
    }
    return Path.of(p);
  }

  private static String unknown(String s) {
    int colon = s.indexOf(':');
    if (colon > 0 && colon < 8) {
      String prefix = s.substring(0, colon + 1).toLowerCase(Locale.ROOT);
      String near = DidYouMean.closestOrNull(prefix, PREFIXES);
      return "unknown dataset source '" + prefix + "' in '" + s + "'"
          + (near == null ? "" : " (did you mean '" + near + s.substring(colon + 1) + "'?)") + "; " + choices();
    }
    String lower = s.toLowerCase(Locale.ROOT);
    String hint = null;
    if (lower.endsWith(".csv") || lower.endsWith(".csv.gz")) {
      hint = "csv:" + s;
    } else if (lower.endsWith(".arff") || lower.endsWith(".arff.gz")) {
      hint = "arff:" + s;
    } else if (lower.contains("ubyte") || lower.contains("mnist")) {
      hint = "idx:" + s;
    } else {
      hint = DidYouMean.closestOrNull(lower, BUILTINS.keySet());
    }
    return "unknown dataset '" + s + "'" + (hint == null ? "" : " (did you mean '" + hint + "'?)") + "; " + choices();
  }

  private static String choices() {
    List<String> names = new ArrayList<>(BUILTINS.keySet());
    return "built-ins: " + String.join(", ", names) + ", or use csv:PATH, arff:PATH, idx:DIR, cifar:DIR, images:DIR";
  }
}
