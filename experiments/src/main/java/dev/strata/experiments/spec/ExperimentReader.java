package dev.strata.experiments.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.search.space.LocatedJson;
import dev.strata.search.space.SpaceException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads and checks an experiment file into an {@link ExperimentSpec}. Every mistake becomes one
 * line {@code FILE:LINE:COL /json/pointer: what is wrong; how to fix}: unknown keys (with a "did
 * you mean"), wrong types, missing required keys, unknown datasets, strategies, schedulers and
 * test functions, missing files, numbers out of range. All mistakes of a file are collected and
 * thrown together in one {@link ExperimentException}. The space part (inline or in its own file)
 * is read by search-core's space reader, whose problems are merged in unchanged.
 *
 * <p>Each section has its own reader, all recording into one {@link JsonCheck}: {@link
 * ObjectiveReader} (objective and the source computing it, with {@link DatasetReader}), {@link
 * SpaceSectionReader}, {@link SearchReader} (with {@link BudgetReader} and {@link
 * SchedulerReader}). This class reads the top level and puts the sections together.
 *
 * <p>Relative paths ({@code "space": "space.json"}, {@code csv:data.csv}, the {@code table} file,
 * the command's working directory) are resolved against the directory of the experiment file.
 *
 * <p>Stateless and thread-safe.
 */
public final class ExperimentReader {

  /** What a run name may look like: it becomes a directory name. */
  public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

  static final List<String> TOP = List.of("$schema", "name", "description", "seed", "dataset", "objective", "objectives",
      "constraints", "space", "search");

  /** The metrics a network-training objective reports. */
  public static final List<String> TRAINING_METRICS = List.of("val_accuracy", "test_accuracy", "val_loss",
      "test_loss", "train_loss", "val_rmse", "test_rmse", "val_balanced_accuracy", "test_balanced_accuracy",
      "val_f1_macro", "test_f1_macro", "val_roc_auc", "test_roc_auc", "val_log_loss", "test_log_loss");

  /**
   * Measured inference latencies (ms per sample at batch 1 and 64) a training objective reports
   * when a goal or constraint names one; checked after training, not reproducible bits.
   */
  public static final List<String> LATENCY_METRICS = List.of("latency_ms_b1", "latency_ms_b64");

  private ExperimentReader() {}

  /** Reads an experiment file. */
  public static ExperimentSpec read(Path file) {
    LocatedJson json;
    try {
      json = LocatedJson.read(file);
    } catch (SpaceException e) {
      throw new ExperimentException(e.problems());
    }
    Path dir = file.toAbsolutePath().getParent();
    return read(json, dir, file, stem(file.getFileName().toString()), false);
  }

  /**
   * Reads an experiment from text.
   *
   * @param source the name used in messages
   * @param baseDir the directory relative paths are resolved against
   */
  public static ExperimentSpec parse(String text, String source, Path baseDir) {
    LocatedJson json;
    try {
      json = LocatedJson.parse(text, source);
    } catch (SpaceException e) {
      throw new ExperimentException(e.problems());
    }
    return read(json, baseDir, null, stem(source), false);
  }

  /**
   * Reads the experiment a run stored ({@link ExperimentSpec#json()}), for resume and export. A
   * stored dataset without a {@code preprocess} key was written before the default became {@code
   * standardize} (runs now store the list), so it means none, as it did when the run started.
   */
  public static ExperimentSpec parseStored(String text, String source, Path baseDir) {
    try {
      com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();
      JsonNode root = mapper.readTree(text);
      if (root instanceof ObjectNode o && o.has("dataset")) {
        if (o.get("dataset").isTextual()) {
          String src = o.get("dataset").asText();
          o.putObject("dataset").put("source", src).putArray("preprocess");
          text = mapper.writeValueAsString(o);
        } else if (o.get("dataset") instanceof ObjectNode d && !d.has("preprocess")) {
          d.putArray("preprocess");
          text = mapper.writeValueAsString(o);
        }
      }
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      // parse() reports it with its location
    }
    return parse(text, source, baseDir);
  }

  /**
   * Reads an experiment a cluster coordinator sent to a worker ({@code ExperimentSpec.json()}, so
   * paths are absolute): like {@link #parse}, except that a dataset file ({@code csv:}, {@code
   * arff:}, {@code idx:}) need not exist here, since the worker trains on the dataset the
   * coordinator ships. Everything else is checked as usual.
   */
  public static ExperimentSpec parseShipped(String text, String source) {
    LocatedJson json;
    try {
      json = LocatedJson.parse(text, source);
    } catch (SpaceException e) {
      throw new ExperimentException(e.problems());
    }
    return read(json, Path.of("").toAbsolutePath(), null, stem(source), true);
  }

  /** Reads a bundled experiment from the class path (e.g. the demo). */
  public static ExperimentSpec resource(String name) {
    try (InputStream in = ExperimentReader.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name);
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), name.substring(name.lastIndexOf('/') + 1),
          Path.of("").toAbsolutePath());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Whether a JSON document is an experiment rather than a bare search space: it has a {@code
   * search}, {@code dataset} or {@code objective} key, a string {@code name}, or a string {@code
   * space} (a space file reference).
   */
  public static boolean looksLikeExperiment(JsonNode root) {
    return root instanceof ObjectNode o && (o.has("search") || o.has("dataset") || o.has("objective")
        || (o.has("name") && o.get("name").isTextual()) || (o.has("space") && o.get("space").isTextual()));
  }

  private static String stem(String fileName) {
    String s = fileName.endsWith(".json") ? fileName.substring(0, fileName.length() - 5) : fileName;
    s = s.replaceAll("[^A-Za-z0-9._-]", "-");
    return s.isEmpty() || !Character.isLetterOrDigit(s.charAt(0)) ? "experiment" : s;
  }

  private static ExperimentSpec read(LocatedJson json, Path dir, Path file, String defaultName, boolean shipped) {
    JsonCheck c = new JsonCheck(json);
    ObjectNode root = c.object("", json.root(), "{\"name\": ..., \"dataset\": ..., \"space\": ..., \"search\": ...}");
    if (root == null) {
      throw new ExperimentException(c.problems());
    }
    c.keys("", root, TOP);

    String name = defaultName;
    if (root.has("name")) {
      String n = c.string("/name", root.get("name"), "give the run a name such as \"digits-blocks\"");
      if (n != null && !NAME.matcher(n).matches()) {
        c.problem("/name", "'" + n + "' is not usable as a directory name; use letters, digits, '.', '_' and '-',"
            + " starting with a letter or digit");
      } else if (n != null) {
        name = n;
      }
    }
    long seed = 1;
    if (root.has("seed")) {
      Long s = c.integer("/seed", root.get("seed"), Long.MIN_VALUE, Long.MAX_VALUE, "use a whole number such as 42");
      seed = s == null ? seed : s;
    }
    ObjectiveReader.Read objective = ObjectiveReader.read(c, root, dir, shipped);
    SpaceSectionReader.Read space = SpaceSectionReader.read(c, root, dir, objective.source());
    SearchSpec search = null;
    if (c.require("", root, "search", "{\"strategies\": [\"random\"], \"budget\": {\"trials\": 20}}")) {
      search = SearchReader.read(c, root.get("search"), space.space(), objective.spec());
    }
    if (!c.ok()) {
      throw new ExperimentException(c.problems());
    }
    ObjectNode document = root.deepCopy();
    if (space.json() != null) {
      document.set("space", space.json());
    }
    return new ExperimentSpec(name, file, seed, objective.spec(), space.space(), search, document);
  }
}
