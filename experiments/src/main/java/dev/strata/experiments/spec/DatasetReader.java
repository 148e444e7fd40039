package dev.strata.experiments.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.trainer.data.DataFormatException;
import dev.strata.trainer.data.DataOptions;
import dev.strata.trainer.data.Datasets;
import dev.strata.trainer.data.Preprocessor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads the {@code dataset} section of an experiment (a built-in name, or an object with source,
 * label, split and preprocessing) into a training {@link ObjectiveSource.Training}. Records every
 * mistake in the given {@link JsonCheck} and returns null when the section is unusable. Part of
 * {@link ExperimentReader}; stateless.
 */
final class DatasetReader {

  static final List<String> KEYS = List.of("source", "builtin", "label", "regression", "nominal", "samples",
      "classes", "dimensions", "noise", "seed", "split", "preprocess", "missing", "classWeights", "image");
  static final List<String> SPLIT = List.of("validation", "test", "seed", "folds");

  private DatasetReader() {}

  /**
   * Reads the dataset section at {@code /dataset}; null after recording a problem.
   *
   * @param dir the directory relative file sources are resolved against
   * @param shipped the data comes from a cluster coordinator: a file source is not looked for
   */
  static ObjectiveSource.Training read(JsonCheck c, JsonNode node, Path dir, boolean shipped) {
    String ptr = "/dataset";
    if (node.isTextual()) {
      String s = checkSource(c, ptr, node.asText(), dir, shipped);
      if (s == null) {
        return null;
      }
      DataSpec spec = new DataSpec(s, DataOptions.defaults(), DataSpec.DEFAULT_VALIDATION, DataSpec.DEFAULT_TEST, 1,
          DataSpec.DEFAULT_PREPROCESS);
      String official = officialTest(c, ptr, s, shipped);
      return c.ok() ? new ObjectiveSource.Training(official == null ? spec : spec.withTestSource(official)) : null;
    }
    ObjectNode o = c.object(ptr, node, "\"digits\" or {\"source\": \"csv:data.csv\", \"label\": \"y\"}");
    if (o == null) {
      return null;
    }
    c.keys(ptr, o, KEYS);
    String src = null;
    if (o.has("source") && o.has("builtin")) {
      c.keyProblem(ptr + "/builtin", "give either 'source' or 'builtin', not both; remove one");
    } else if (o.has("source") || o.has("builtin")) {
      String key = o.has("source") ? "source" : "builtin";
      String text = c.string(ptr + "/" + key, o.get(key), "write a built-in name such as \"digits\" or csv:PATH");
      if (text != null) {
        if (key.equals("builtin") && text.contains(":")) {
          c.problem(ptr + "/builtin", "'" + text + "' is not a built-in name; use \"source\": \"" + text + "\" for files");
        } else {
          src = checkSource(c, ptr + "/" + key, text, dir, shipped);
        }
      }
    } else {
      c.problem(ptr, "missing required key 'source'; add for example \"source\": \"digits\" or \"source\": \"csv:data.csv\"");
    }
    DataOptions.Builder options = DataOptions.builder();
    if (o.has("label")) {
      JsonNode l = o.get("label");
      if (l.isTextual() && !l.asText().isBlank()) {
        options.label(l.asText());
      } else if (l.isArray() && !l.isEmpty()) {
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < l.size(); i++) {
          String s = c.string(JsonCheck.child(ptr + "/label", i), l.get(i), "write a column name");
          if (s != null) {
            labels.add(s);
          }
        }
        options.label(labels.toArray(String[]::new));
      } else {
        c.problem(ptr + "/label", "expected a column name or a list of them, got " + JsonCheck.kind(l)
            + "; write for example \"label\": \"class\"");
      }
    }
    if (o.has("regression")) {
      Boolean b = c.bool(ptr + "/regression", o.get("regression"));
      options.regression(b != null && b);
    }
    if (o.has("nominal")) {
      String n = c.string(ptr + "/nominal", o.get("nominal"), "use \"one-hot\" or \"codes\"");
      if (n != null) {
        switch (n) {
          case "one-hot" -> options.nominal(DataOptions.NominalEncoding.ONE_HOT);
          case "codes" -> options.nominal(DataOptions.NominalEncoding.CODES);
          default -> c.problem(ptr + "/nominal", "unknown nominal encoding '" + n + "'; use \"one-hot\" or \"codes\"");
        }
      }
    }
    if (o.has("missing")) {
      String m = c.string(ptr + "/missing", o.get("missing"), "use \"error\" or \"impute\"");
      if (m != null) {
        switch (m) {
          case "error" -> options.missing(DataOptions.Missing.ERROR);
          case "impute" -> options.missing(DataOptions.Missing.IMPUTE);
          default -> c.problem(ptr + "/missing", "unknown value '" + m + "'; use \"error\" (refuse a missing value, the"
              + " default) or \"impute\" (median or most frequent category of the training part)");
        }
      }
    }
    if (o.has("image")) {
      String ip = ptr + "/image";
      ObjectNode image = c.object(ip, o.get("image"), "{\"height\": 32, \"width\": 32, \"channels\": 3}");
      if (image != null) {
        c.keys(ip, image, List.of("height", "width", "channels"));
        Long h = image.has("height") ? c.integer(ip + "/height", image.get("height"), 1, 4096, "use a size in pixels, e.g. 32") : null;
        Long w = image.has("width") ? c.integer(ip + "/width", image.get("width"), 1, 4096, "use a size in pixels, e.g. 32") : null;
        Long ch = image.has("channels") ? c.integer(ip + "/channels", image.get("channels"), 1, 3, "use 1 (grey) or 3 (RGB)") : null;
        if (image.has("height") != image.has("width")) {
          c.problem(ip, "give both 'height' and 'width' (the size to resize to), or neither");
        } else if (ch != null && ch == 2) {
          c.problem(ip + "/channels", "use 1 (grey) or 3 (RGB), got 2");
        } else if (c.ok()) {
          options.image(h == null ? 0 : h.intValue(), w == null ? 0 : w.intValue(), ch == null ? 0 : ch.intValue());
        }
      }
    }
    DataSpec.Weighting weighting = null;
    if (o.has("classWeights")) {
      weighting = classWeights(c, ptr + "/classWeights", o.get("classWeights"));
    }
    Long v;
    if (o.has("samples") && (v = c.integer(ptr + "/samples", o.get("samples"), 1, 100_000_000, "use a row count such as 500")) != null) {
      options.samples(v.intValue());
    }
    if (o.has("classes") && (v = c.integer(ptr + "/classes", o.get("classes"), 2, 100_000, "use 2 or more")) != null) {
      options.classes(v.intValue());
    }
    if (o.has("dimensions") && (v = c.integer(ptr + "/dimensions", o.get("dimensions"), 1, 1_000_000, "use 1 or more")) != null) {
      options.dimensions(v.intValue());
    }
    if (o.has("seed") && (v = c.integer(ptr + "/seed", o.get("seed"), Long.MIN_VALUE, Long.MAX_VALUE, "use a whole number")) != null) {
      options.seed(v);
    }
    Double d;
    if (o.has("noise") && (d = c.number(ptr + "/noise", o.get("noise"), 0, 1e6, "use a standard deviation such as 0.1")) != null) {
      options.noise(d);
    }
    double validation = DataSpec.DEFAULT_VALIDATION;
    double test = DataSpec.DEFAULT_TEST;
    long splitSeed = 1;
    int folds = 0;
    String testSource = null;
    if (o.has("split")) {
      String sp = ptr + "/split";
      ObjectNode split = c.object(sp, o.get("split"), "{\"validation\": 0.2, \"test\": 0.2}");
      if (split != null) {
        c.keys(sp, split, SPLIT);
        if (split.has("validation") && (d = c.number(sp + "/validation", split.get("validation"), 0, 0.95,
            "use a fraction such as 0.2")) != null) {
          validation = d;
        }
        if (split.has("test") && split.get("test").isTextual()) {
          testSource = checkSource(c, sp + "/test", split.get("test").asText(), dir, shipped);
          test = 0;
        } else if (split.has("test") && (d = c.number(sp + "/test", split.get("test"), 0, 0.95,
            "use a fraction such as 0.2 (0 for no test part), or an official test file such as \"csv:test.csv\"")) != null) {
          test = d;
        }
        if (split.has("seed") && (v = c.integer(sp + "/seed", split.get("seed"), Long.MIN_VALUE, Long.MAX_VALUE,
            "use a whole number")) != null) {
          splitSeed = v;
        }
        if (split.has("folds") && (v = c.integer(sp + "/folds", split.get("folds"), 2, 100,
            "use 2 to 100 folds, e.g. 5")) != null) {
          folds = v.intValue();
          if (split.has("validation")) {
            c.problem(sp + "/validation", "with \"folds\" every fold validates in turn, so 'validation' is not used;"
                + " remove it");
          }
          validation = 0;
        }
        if (validation + test >= 1) {
          c.problem(sp, "validation + test = " + (validation + test) + " leaves no training rows; make the sum below 1");
        } else if (validation == 0 && folds == 0) {
          c.problem(sp + "/validation", "the search ranks trials on the validation part, so it must not be 0;"
              + " use a fraction such as 0.2");
        }
      }
    }
    List<String> preprocess = new ArrayList<>(o.has("preprocess") ? List.of() : DataSpec.DEFAULT_PREPROCESS);
    if (o.has("preprocess")) {
      String pp = ptr + "/preprocess";
      JsonNode p = o.get("preprocess");
      if (p.isArray()) {
        for (int i = 0; i < p.size(); i++) {
          String step = c.string(JsonCheck.child(pp, i), p.get(i), "use standardize, minmax, pca:K or whiten");
          if (step != null) {
            try {
              Preprocessor.check(step);
              preprocess.add(step);
            } catch (DataFormatException | IllegalArgumentException e) {
              c.problem(JsonCheck.child(pp, i), JsonCheck.oneLine(e.getMessage()));
            }
          }
        }
      } else {
        c.problem(pp, "expected a list of steps, got " + JsonCheck.kind(p) + "; write for example [\"standardize\"]");
      }
    }
    boolean testGiven = o.has("split") && o.get("split").has("test");
    if (src != null && !testGiven) {
      testSource = officialTest(c, ptr + "/source", src, shipped);
      if (testSource != null) {
        test = 0;
      }
    }
    if (src == null || !c.ok()) {
      return null;
    }
    try {
      return new ObjectiveSource.Training(new DataSpec(src, options.build(), validation, test, splitSeed, preprocess,
          folds, testSource, weighting));
    } catch (IllegalArgumentException e) {
      c.problem(ptr, JsonCheck.oneLine(e.getMessage()));
      return null;
    }
  }

  /**
   * The official test part of an {@code idx:DIR} or {@code cifar:DIR} source ({@code idx:DIR#t10k},
   * {@code cifar:DIR#test}), or null for other sources. The rule depends only on the text, so a
   * cluster worker reading the same experiment splits the same way; the files must be there
   * (checked unless {@code shipped}), else a problem with the fix.
   */
  private static String officialTest(JsonCheck c, String ptr, String source, boolean shipped) {
    String lower = source.toLowerCase(Locale.ROOT);
    if (source.contains("#") || !(lower.startsWith("idx:") || lower.startsWith("cifar:"))) {
      return null;
    }
    String test = source + (lower.startsWith("idx:") ? "#t10k" : "#test");
    if (!shipped) {
      try {
        Datasets.checkPart(test);
      } catch (DataFormatException e) {
        c.problem(ptr, JsonCheck.oneLine(e.getMessage()) + "; the official test files are the test part of "
            + source + " unless \"split\" names another test: add them, or set \"split\": {\"test\": 0.2} to hold out"
            + " a fraction of the training files");
        return null;
      }
    }
    return test;
  }

  private static DataSpec.Weighting classWeights(JsonCheck c, String ptr, JsonNode n) {
    String example = "use \"balanced\" or weights by class name such as {\"yes\": 3, \"no\": 1}";
    if (n.isTextual()) {
      if (n.asText().equals("balanced")) {
        return new DataSpec.Weighting(true, null);
      }
      c.problem(ptr, "unknown class weighting '" + n.asText() + "'; " + example);
      return null;
    }
    if (!n.isObject() || n.isEmpty()) {
      c.problem(ptr, "expected \"balanced\" or an object of weights by class name, got " + JsonCheck.kind(n) + "; " + example);
      return null;
    }
    java.util.Map<String, Double> byClass = new java.util.LinkedHashMap<>();
    boolean positive = false;
    for (var e : n.properties()) {
      Double w = c.number(JsonCheck.child(ptr, e.getKey()), e.getValue(), 0, 1e9, "use a weight >= 0 such as 3");
      if (w != null) {
        byClass.put(e.getKey(), w);
        positive |= w > 0;
      }
    }
    if (!byClass.isEmpty() && !positive) {
      c.problem(ptr, "every weight is 0, so nothing would be learned; give at least one weight > 0");
    }
    return new DataSpec.Weighting(false, byClass);
  }

  /**
   * Checks a dataset source and resolves its path; null after recording a problem.
   *
   * @param shipped the data comes from a cluster coordinator: a file source is not looked for
   */
  private static String checkSource(JsonCheck c, String ptr, String text, Path dir, boolean shipped) {
    String s = text.strip();
    String lower = s.toLowerCase(Locale.ROOT);
    for (String prefix : List.of("csv:", "arff:", "idx:", "cifar:", "images:")) {
      if (lower.startsWith(prefix)) {
        boolean directory = !prefix.equals("csv:") && !prefix.equals("arff:");
        String rest = s.substring(prefix.length());
        String part = "";
        if ((prefix.equals("idx:") || prefix.equals("cifar:")) && rest.lastIndexOf('#') >= 0) {
          part = rest.substring(rest.lastIndexOf('#'));
          rest = rest.substring(0, rest.lastIndexOf('#'));
        }
        if (rest.isBlank()) {
          c.problem(ptr, "'" + s + "' names no file; write " + prefix + "PATH (relative to the experiment file)");
          return null;
        }
        Path p = dir.resolve(rest).normalize();
        boolean ok = shipped || (directory ? Files.isDirectory(p) : Files.isRegularFile(p));
        if (!ok) {
          c.problem(ptr, (directory ? "directory '" : "file '") + p + "' not found (paths are relative to "
              + dir + "); check the path");
          return null;
        }
        return prefix + p + part;
      }
    }
    if (Datasets.names().contains(lower)) {
      return lower;
    }
    if (shipped) {
      return s; // checked by the coordinator, which loaded it
    }
    try {
      Datasets.load(s);
      return s;
    } catch (DataFormatException e) {
      c.problem(ptr, JsonCheck.oneLine(e.getMessage()));
      return null;
    }
  }

}
