package dev.strata.experiments.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.search.space.LocatedJson;
import dev.strata.search.space.SearchSpace;
import dev.strata.search.space.SpaceException;
import dev.strata.search.trial.Direction;
import dev.strata.trainer.data.DataFormatException;
import dev.strata.trainer.data.DataOptions;
import dev.strata.trainer.data.Datasets;
import dev.strata.trainer.data.Preprocessor;
import dev.strata.trainer.spec.SpecNames;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads and checks an experiment file into an {@link ExperimentSpec}. Every mistake becomes one
 * line {@code FILE:LINE:COL /json/pointer: what is wrong; how to fix}: unknown keys (with a "did
 * you mean"), wrong types, missing required keys, unknown datasets, strategies, schedulers and
 * test functions, missing files, numbers out of range. All mistakes of a file are collected and
 * thrown together in one {@link ExperimentException}. The space part (inline or in its own file)
 * is read by search-core's space reader, whose problems are merged in unchanged.
 *
 * <p>Relative paths ({@code "space": "space.json"}, {@code csv:data.csv}, the {@code table} file,
 * the command's working directory) are resolved against the directory of the experiment file.
 *
 * <p>Stateless and thread-safe.
 */
public final class ExperimentReader {

  /** What a run name may look like: it becomes a directory name. */
  public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

  static final List<String> TOP = List.of("$schema", "name", "description", "seed", "dataset", "objective", "space", "search");
  static final List<String> DATASET = List.of("source", "builtin", "label", "regression", "nominal", "samples",
      "classes", "dimensions", "noise", "seed", "split", "preprocess");
  static final List<String> SPLIT = List.of("validation", "test", "seed");
  static final List<String> OBJECTIVE = List.of("metric", "direction", "function", "table", "command",
      "timeoutSeconds", "workdir", "env");
  static final List<String> SEARCH = List.of("strategies", "budget", "parallel", "seeds", "reproducible", "scheduler");
  static final List<String> BUDGET = List.of("trials", "hours", "minutes", "seconds", "trainMinutes", "maxEpochs",
      "trialSeconds");
  static final List<String> SCHEDULER = List.of("type", "minResource", "eta", "iterations", "minTrials");

  /** The metrics a network-training objective reports. */
  public static final List<String> TRAINING_METRICS = List.of("val_accuracy", "test_accuracy", "val_loss",
      "test_loss", "train_loss", "val_rmse", "test_rmse");

  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

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

    // What computes the objective: a dataset (training) or the objective's function/table/command.
    ObjectNode objective = null;
    if (root.has("objective")) {
      objective = c.object("/objective", root.get("objective"), "{\"metric\": \"val_accuracy\", \"direction\": \"maximize\"}");
      if (objective != null) {
        c.keys("/objective", objective, OBJECTIVE);
      }
    }
    List<String> sources = new ArrayList<>();
    if (root.has("dataset")) {
      sources.add("dataset");
    }
    if (objective != null) {
      for (String k : List.of("function", "table", "command")) {
        if (objective.has(k)) {
          sources.add(k);
        }
      }
    }
    ObjectiveSource source = null;
    if (sources.isEmpty()) {
      c.problem("", "nothing to optimise; add \"dataset\": \"digits\" to train networks, or an objective"
          + " \"function\", \"table\" or \"command\"");
    } else if (sources.size() > 1) {
      String second = sources.get(1);
      String ptr = second.equals("dataset") ? "/dataset" : "/objective/" + second;
      c.keyProblem(ptr, "give only one of dataset, objective.function, objective.table, objective.command; found "
          + String.join(" and ", sources) + ": remove all but one");
    } else {
      source = switch (sources.getFirst()) {
        case "dataset" -> dataset(c, root.get("dataset"), dir, shipped);
        case "function" -> function(c, objective.get("function"));
        case "table" -> table(c, objective, dir);
        default -> command(c, objective, dir);
      };
    }
    ObjectiveSpec objectiveSpec = objectiveSpec(c, objective, source);

    // The space.
    SearchSpace space = null;
    JsonNode spaceJson = null;
    if (root.has("space")) {
      JsonNode node = root.get("space");
      if (node.isTextual()) {
        Path spaceFile = dir.resolve(node.asText());
        if (node.asText().isBlank()) {
          c.problem("/space", "the space file name is empty; write \"space\": \"space.json\" or an inline object");
        } else if (!Files.isRegularFile(spaceFile)) {
          c.problem("/space", "space file '" + spaceFile + "' not found (resolved against " + dir
              + "); check the path or write the space inline");
        } else {
          try {
            SpaceSupport.Loaded loaded = SpaceSupport.readFile(spaceFile);
            space = loaded.space();
            spaceJson = loaded.json();
          } catch (SpaceException e) {
            e.problems().forEach(c::add);
          }
        }
      } else if (node.isObject()) {
        try {
          space = SpaceSupport.read(json, "/space");
          spaceJson = node;
        } catch (SpaceException e) {
          e.problems().forEach(c::add);
        }
      } else {
        c.problem("/space", "expected an object or a file name, got " + JsonCheck.kind(node)
            + "; write the space inline as {...} or as \"space\": \"space.json\"");
      }
    } else if (source instanceof ObjectiveSource.Function f) {
      space = SpaceSupport.functionSpace(f.name());
    } else if (source instanceof ObjectiveSource.Table) {
      c.problem("", "missing required key 'space'; list the table's parameter columns, e.g. \"space\":"
          + " {\"layer0\": {\"choice\": [\"identity\", \"mb3_k3\"]}}");
    } else if (source != null) {
      c.problem("", "missing required key 'space'; add the search space inline (\"space\": {...}) or as"
          + " \"space\": \"space.json\"");
    }

    SearchSpec search = null;
    if (c.require("", root, "search", "{\"strategies\": [\"random\"], \"budget\": {\"trials\": 20}}")) {
      search = search(c, root.get("search"), space, objectiveSpec);
    }
    if (!c.ok()) {
      throw new ExperimentException(c.problems());
    }
    ObjectNode canonical = root.deepCopy();
    canonical.put("name", name);
    if (spaceJson != null) {
      canonical.set("space", spaceJson);
    }
    // Resolved (absolute) paths, so that the stored copy reads the same files from anywhere (resume).
    switch (objectiveSpec.source()) {
      case ObjectiveSource.Training t -> {
        if (canonical.get("dataset").isTextual()) {
          canonical.put("dataset", t.data().source());
        } else {
          ObjectNode d = (ObjectNode) canonical.get("dataset");
          d.remove("builtin");
          d.put("source", t.data().source());
        }
      }
      case ObjectiveSource.Table t -> ((ObjectNode) canonical.get("objective")).put("table", t.file().toString());
      case ObjectiveSource.Command cmd ->
          ((ObjectNode) canonical.get("objective")).put("workdir", cmd.workdir().toString());
      case ObjectiveSource.Function f -> { }
    }
    String text;
    try {
      text = MAPPER.writeValueAsString(canonical);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new ExperimentSpec(name, file, seed, objectiveSpec, space, search, text);
  }

  // ---- dataset ----

  private static ObjectiveSource dataset(JsonCheck c, JsonNode node, Path dir, boolean shipped) {
    String ptr = "/dataset";
    if (node.isTextual()) {
      String s = checkSource(c, ptr, node.asText(), dir, shipped);
      return s == null ? null : new ObjectiveSource.Training(new DataSpec(s, DataOptions.defaults(),
          DataSpec.DEFAULT_VALIDATION, DataSpec.DEFAULT_TEST, 1, List.of()));
    }
    ObjectNode o = c.object(ptr, node, "\"digits\" or {\"source\": \"csv:data.csv\", \"label\": \"y\"}");
    if (o == null) {
      return null;
    }
    c.keys(ptr, o, DATASET);
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
    if (o.has("split")) {
      String sp = ptr + "/split";
      ObjectNode split = c.object(sp, o.get("split"), "{\"validation\": 0.2, \"test\": 0.2}");
      if (split != null) {
        c.keys(sp, split, SPLIT);
        if (split.has("validation") && (d = c.number(sp + "/validation", split.get("validation"), 0, 0.95,
            "use a fraction such as 0.2")) != null) {
          validation = d;
        }
        if (split.has("test") && (d = c.number(sp + "/test", split.get("test"), 0, 0.95,
            "use a fraction such as 0.2 (0 for no test part)")) != null) {
          test = d;
        }
        if (split.has("seed") && (v = c.integer(sp + "/seed", split.get("seed"), Long.MIN_VALUE, Long.MAX_VALUE,
            "use a whole number")) != null) {
          splitSeed = v;
        }
        if (validation + test >= 1) {
          c.problem(sp, "validation + test = " + (validation + test) + " leaves no training rows; make the sum below 1");
        } else if (validation == 0) {
          c.problem(sp + "/validation", "the search ranks trials on the validation part, so it must not be 0;"
              + " use a fraction such as 0.2");
        }
      }
    }
    List<String> preprocess = new ArrayList<>();
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
              c.problem(JsonCheck.child(pp, i), oneLine(e.getMessage()));
            }
          }
        }
      } else {
        c.problem(pp, "expected a list of steps, got " + JsonCheck.kind(p) + "; write for example [\"standardize\"]");
      }
    }
    if (src == null || !c.ok()) {
      return null;
    }
    try {
      return new ObjectiveSource.Training(new DataSpec(src, options.build(), validation, test, splitSeed, preprocess));
    } catch (IllegalArgumentException e) {
      c.problem(ptr, oneLine(e.getMessage()));
      return null;
    }
  }

  /**
   * Checks a dataset source and resolves its path; null after recording a problem.
   *
   * @param shipped the data comes from a cluster coordinator: a file source is not looked for
   */
  private static String checkSource(JsonCheck c, String ptr, String text, Path dir, boolean shipped) {
    String s = text.strip();
    String lower = s.toLowerCase(Locale.ROOT);
    for (String prefix : List.of("csv:", "arff:", "idx:")) {
      if (lower.startsWith(prefix)) {
        String rest = s.substring(prefix.length());
        String part = "";
        if (prefix.equals("idx:") && rest.lastIndexOf('#') >= 0) {
          part = rest.substring(rest.lastIndexOf('#'));
          rest = rest.substring(0, rest.lastIndexOf('#'));
        }
        if (rest.isBlank()) {
          c.problem(ptr, "'" + s + "' names no file; write " + prefix + "PATH (relative to the experiment file)");
          return null;
        }
        Path p = dir.resolve(rest).normalize();
        boolean ok = shipped || (prefix.equals("idx:") ? Files.isDirectory(p) : Files.isRegularFile(p));
        if (!ok) {
          c.problem(ptr, (prefix.equals("idx:") ? "directory '" : "file '") + p + "' not found (paths are relative to "
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
      c.problem(ptr, oneLine(e.getMessage()));
      return null;
    }
  }

  // ---- other objective sources ----

  private static ObjectiveSource function(JsonCheck c, JsonNode node) {
    String name = c.string("/objective/function", node, "use a test function such as \"hartmann6\"");
    if (name == null) {
      return null;
    }
    String problem = SpaceSupport.checkFunction(name);
    if (problem != null) {
      c.problem("/objective/function", oneLine(problem));
      return null;
    }
    return new ObjectiveSource.Function(name.toLowerCase(Locale.ROOT));
  }

  private static ObjectiveSource table(JsonCheck c, ObjectNode objective, Path dir) {
    String path = c.string("/objective/table", objective.get("table"), "write the CSV file's path");
    if (path == null) {
      return null;
    }
    Path file = dir.resolve(path).normalize();
    if (!Files.isRegularFile(file)) {
      c.problem("/objective/table", "table file '" + file + "' not found (paths are relative to " + dir
          + "); check the path");
      return null;
    }
    if (!objective.has("metric")) {
      c.problem("/objective", "missing required key 'metric'; name the table's metric column, e.g. \"metric\":"
          + " \"mean_test_acc\"");
      return null;
    }
    String column = objective.get("metric").asText();
    try {
      List<String> header = SpaceSupport.tableHeader(file);
      if (!header.contains(column)) {
        String near = SpecNames.suggest(column, header);
        c.problem("/objective/metric", "the table has no column '" + column + "'"
            + (near == null ? "" : " (did you mean '" + near + "'?)") + "; columns: " + String.join(", ", header));
        return null;
      }
    } catch (UncheckedIOException e) {
      c.problem("/objective/table", "cannot read '" + file + "': " + oneLine(e.getMessage()));
      return null;
    }
    return new ObjectiveSource.Table(file, column);
  }

  private static ObjectiveSource command(JsonCheck c, ObjectNode objective, Path dir) {
    String ptr = "/objective/command";
    JsonNode node = objective.get("command");
    List<String> argv = new ArrayList<>();
    if (node.isArray() && !node.isEmpty()) {
      for (int i = 0; i < node.size(); i++) {
        String s = c.string(JsonCheck.child(ptr, i), node.get(i), "write each argument as a string");
        if (s != null) {
          argv.add(s);
        }
      }
    } else if (node.isTextual() && !node.asText().isBlank()) {
      argv.addAll(List.of(node.asText().trim().split("\\s+")));
    } else {
      c.problem(ptr, "expected the program and its arguments as a list, got " + JsonCheck.kind(node)
          + "; write for example [\"python3\", \"train.py\"]");
      return null;
    }
    double timeout = 0;
    if (objective.has("timeoutSeconds")) {
      Double d = c.number("/objective/timeoutSeconds", objective.get("timeoutSeconds"), 0.001, 1e7,
          "use seconds such as 60");
      timeout = d == null ? 0 : d;
    }
    Path workdir = dir;
    if (objective.has("workdir")) {
      String w = c.string("/objective/workdir", objective.get("workdir"), "write a directory path");
      if (w != null) {
        workdir = dir.resolve(w).normalize();
        if (!Files.isDirectory(workdir)) {
          c.problem("/objective/workdir", "directory '" + workdir + "' not found; check the path");
        }
      }
    }
    Map<String, String> env = new LinkedHashMap<>();
    if (objective.has("env")) {
      ObjectNode e = c.object("/objective/env", objective.get("env"), "{\"NAME\": \"value\"}");
      if (e != null) {
        e.properties().forEach(p -> {
          if (p.getValue().isValueNode() && !p.getValue().isNull()) {
            env.put(p.getKey(), p.getValue().asText());
          } else {
            c.problem(JsonCheck.child("/objective/env", p.getKey()), "expected a string value, got "
                + JsonCheck.kind(p.getValue()) + "; write \"" + p.getKey() + "\": \"value\"");
          }
        });
      }
    }
    if (argv.isEmpty()) {
      return null;
    }
    if (argv.getFirst().contains("/") && !argv.getFirst().startsWith("/")) {
      Path program = workdir.resolve(argv.getFirst()).normalize();
      if (!Files.exists(program)) {
        c.problem(JsonCheck.child(ptr, 0), "program '" + program + "' not found; check the path (relative to "
            + workdir + ")");
      }
    }
    return new ObjectiveSource.Command(argv, workdir, timeout, env);
  }

  private static ObjectiveSpec objectiveSpec(JsonCheck c, ObjectNode objective, ObjectiveSource source) {
    String metric = null;
    if (objective != null && objective.has("metric")) {
      metric = c.string("/objective/metric", objective.get("metric"), "name the metric, e.g. \"val_accuracy\"");
    }
    Direction direction = null;
    if (objective != null && objective.has("direction")) {
      String d = c.string("/objective/direction", objective.get("direction"), "use \"minimize\" or \"maximize\"");
      if (d != null) {
        try {
          direction = Direction.parse(d);
        } catch (IllegalArgumentException e) {
          String near = SpecNames.suggest(d, List.of("minimize", "maximize"));
          c.problem("/objective/direction", "unknown direction '" + d + "'"
              + (near == null ? "" : " (did you mean '" + near + "'?)") + "; use \"minimize\" or \"maximize\"");
        }
      }
    }
    if (source == null) {
      return null;
    }
    switch (source) {
      case ObjectiveSource.Training t -> {
        if (metric == null) {
          metric = t.data().options().regression() ? "val_rmse" : "val_accuracy";
        } else if (!TRAINING_METRICS.contains(metric)) {
          String near = SpecNames.suggest(metric, TRAINING_METRICS);
          c.problem("/objective/metric", "unknown training metric '" + metric + "'"
              + (near == null ? "" : " (did you mean '" + near + "'?)") + "; use one of " + String.join(", ", TRAINING_METRICS));
          return null;
        }
      }
      case ObjectiveSource.Function f -> {
        metric = metric == null ? "value" : metric;
        if (direction == null) {
          direction = SpaceSupport.functionDirection(f.name());
        }
      }
      case ObjectiveSource.Table t -> metric = t.column();
      case ObjectiveSource.Command cmd -> {
        if (metric == null) {
          c.problem("/objective", "missing required key 'metric'; name the key your program prints in its last JSON"
              + " line, e.g. \"metric\": \"accuracy\"");
          return null;
        }
      }
    }
    if (direction == null) {
      direction = inferDirection(metric);
    }
    if (direction == null) {
      c.problem("/objective", "missing required key 'direction' (cannot tell from the metric '" + metric
          + "'); add \"direction\": \"maximize\" or \"minimize\"");
      return null;
    }
    return new ObjectiveSpec(metric, direction, source);
  }

  /** maximise accuracies, minimise losses and errors; null when the name does not tell. */
  static Direction inferDirection(String metric) {
    String m = metric.toLowerCase(Locale.ROOT);
    if (m.contains("acc") || m.contains("auc") || m.contains("f1") || m.contains("score") || m.contains("reward")) {
      return Direction.MAXIMIZE;
    }
    if (m.contains("loss") || m.contains("rmse") || m.contains("mse") || m.contains("mae") || m.contains("error")
        || m.contains("regret")) {
      return Direction.MINIMIZE;
    }
    return null;
  }

  // ---- search ----

  private static SearchSpec search(JsonCheck c, JsonNode node, SearchSpace space, ObjectiveSpec objective) {
    String ptr = "/search";
    ObjectNode o = c.object(ptr, node, "{\"strategies\": [\"random\"], \"budget\": {\"trials\": 20}}");
    if (o == null) {
      return null;
    }
    c.keys(ptr, o, SEARCH);
    List<StrategySpec> strategies = new ArrayList<>();
    if (c.require(ptr, o, "strategies", "[\"evolution\", \"random\", \"bayesian\"]")) {
      JsonNode s = o.get("strategies");
      String sp = ptr + "/strategies";
      if (s.isTextual()) {
        s = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode().add(s);
      }
      if (!s.isArray() || s.isEmpty()) {
        c.problem(sp, "expected a non-empty list of strategies, got " + JsonCheck.kind(s)
            + "; write for example [\"random\", {\"name\": \"evolution\", \"population\": 20}]");
      } else {
        for (int i = 0; i < s.size(); i++) {
          StrategySpec st = strategy(c, JsonCheck.child(sp, i), s.get(i), space, objective);
          if (st != null) {
            if (strategies.stream().anyMatch(x -> x.name().equals(st.name()))) {
              c.problem(JsonCheck.child(sp, i), "strategy '" + st.name() + "' is listed twice; a strategy competes"
                  + " once per seed: remove the duplicate or add seeds");
            }
            strategies.add(st);
          }
        }
      }
    }
    BudgetSpec budget = null;
    if (c.require(ptr, o, "budget", "{\"trials\": 50, \"minutes\": 30}")) {
      budget = budget(c, o.get("budget"));
    }
    int parallel = 1;
    Long v;
    if (o.has("parallel") && (v = c.integer(ptr + "/parallel", o.get("parallel"), 1, 4096,
        "use the number of trials to train at once, e.g. 2")) != null) {
      parallel = v.intValue();
    }
    List<Long> seeds = new ArrayList<>();
    if (o.has("seeds")) {
      JsonNode s = o.get("seeds");
      if (!s.isArray() || s.isEmpty()) {
        c.problem(ptr + "/seeds", "expected a non-empty list of whole numbers, got " + JsonCheck.kind(s)
            + "; write for example [1, 2, 3]");
      } else {
        for (int i = 0; i < s.size(); i++) {
          Long seed = c.integer(JsonCheck.child(ptr + "/seeds", i), s.get(i), Long.MIN_VALUE, Long.MAX_VALUE,
              "seeds are whole numbers such as 1");
          if (seed != null) {
            if (seeds.contains(seed)) {
              c.problem(JsonCheck.child(ptr + "/seeds", i), "seed " + seed + " is listed twice; use distinct seeds");
            }
            seeds.add(seed);
          }
        }
      }
    } else {
      seeds.add(1L);
    }
    boolean reproducible = false;
    if (o.has("reproducible")) {
      Boolean b = c.bool(ptr + "/reproducible", o.get("reproducible"));
      reproducible = b != null && b;
    }
    SchedulerSpec scheduler = null;
    if (o.has("scheduler")) {
      scheduler = scheduler(c, o.get("scheduler"), budget);
    }
    if (!c.ok() || budget == null || strategies.isEmpty()) {
      return null;
    }
    return new SearchSpec(strategies, budget, parallel, seeds, reproducible, scheduler);
  }

  private static StrategySpec strategy(JsonCheck c, String ptr, JsonNode node, SearchSpace space, ObjectiveSpec objective) {
    String name;
    Map<String, Object> options = new LinkedHashMap<>();
    String namePtr = ptr;
    if (node.isTextual()) {
      name = node.asText();
    } else if (node.isObject()) {
      if (!node.has("name")) {
        c.problem(ptr, "missing required key 'name'; write for example {\"name\": \"evolution\", \"population\": 20}");
        return null;
      }
      namePtr = ptr + "/name";
      name = c.string(namePtr, node.get("name"), "use a strategy name such as \"random\"");
      if (name == null) {
        return null;
      }
      node.properties().forEach(p -> {
        if (!p.getKey().equals("name")) {
          options.put(p.getKey(), JsonCheck.plain(p.getValue()));
        }
      });
    } else {
      c.problem(ptr, "expected a strategy name or an object, got " + JsonCheck.kind(node)
          + "; write \"random\" or {\"name\": \"evolution\", \"population\": 20}");
      return null;
    }
    List<String> known = SpaceSupport.strategyNames();
    if (!known.contains(name)) {
      String near = SpecNames.suggest(name, known);
      c.problem(namePtr, "unknown strategy '" + name + "'" + (near == null ? "" : " (did you mean '" + near + "'?)")
          + "; use one of " + String.join(", ", known));
      return null;
    }
    if (space != null && objective != null) {
      String problem = SpaceSupport.checkStrategy(name, options, space, objective.direction());
      if (problem != null) {
        String at = ptr;
        for (String key : options.keySet()) {
          if (problem.contains("'" + key + "'")) {
            at = JsonCheck.child(ptr, key);
            break;
          }
        }
        c.problem(at, oneLine(problem));
        return null;
      }
    }
    return new StrategySpec(name, options);
  }

  private static BudgetSpec budget(JsonCheck c, JsonNode node) {
    String ptr = "/search/budget";
    ObjectNode o = c.object(ptr, node, "{\"trials\": 50, \"minutes\": 30}");
    if (o == null) {
      return null;
    }
    c.keys(ptr, o, BUDGET);
    int trials = 0;
    Long v;
    Double d;
    if (o.has("trials") && (v = c.integer(ptr + "/trials", o.get("trials"), 1, 10_000_000,
        "use the number of trials per strategy and seed, e.g. 50")) != null) {
      trials = v.intValue();
    }
    double seconds = 0;
    if (o.has("hours") && (d = c.number(ptr + "/hours", o.get("hours"), 0, 10_000, "use hours such as 8 or 0.5")) != null) {
      seconds += d * 3600;
    }
    if (o.has("minutes") && (d = c.number(ptr + "/minutes", o.get("minutes"), 0, 1e6, "use minutes such as 30")) != null) {
      seconds += d * 60;
    }
    if (o.has("seconds") && (d = c.number(ptr + "/seconds", o.get("seconds"), 0, 1e8, "use seconds such as 90")) != null) {
      seconds += d;
    }
    double trainSeconds = 0;
    if (o.has("trainMinutes") && (d = c.number(ptr + "/trainMinutes", o.get("trainMinutes"), 0.001, 1e7,
        "use minutes of training per strategy and seed, e.g. 10")) != null) {
      trainSeconds = d * 60;
    }
    int maxEpochs = 0;
    if (o.has("maxEpochs") && (v = c.integer(ptr + "/maxEpochs", o.get("maxEpochs"), 1, 1_000_000,
        "use a number of epochs such as 20")) != null) {
      maxEpochs = v.intValue();
    }
    double trialSeconds = 0;
    if (o.has("trialSeconds") && (d = c.number(ptr + "/trialSeconds", o.get("trialSeconds"), 0.001, 1e8,
        "use seconds such as 120")) != null) {
      trialSeconds = d;
    }
    if (!o.has("trials") && !o.has("hours") && !o.has("minutes") && !o.has("seconds") && !o.has("trainMinutes")) {
      c.problem(ptr, "the budget has no limit; add \"trials\" (per strategy and seed) and/or \"hours\"/\"minutes\"");
      return null;
    }
    if (trials == 0 && seconds == 0 && trainSeconds == 0) {
      if (c.ok()) {
        c.problem(ptr, "the budget is zero; give a positive \"trials\", \"hours\", \"minutes\" or \"trainMinutes\"");
      }
      return null;
    }
    return new BudgetSpec(trials, Duration.ofMillis(Math.round(seconds * 1000)), trainSeconds, maxEpochs, trialSeconds);
  }

  private static SchedulerSpec scheduler(JsonCheck c, JsonNode node, BudgetSpec budget) {
    String ptr = "/search/scheduler";
    ObjectNode o;
    if (node.isTextual()) {
      o = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("type", node.asText());
    } else {
      o = c.object(ptr, node, "{\"type\": \"asha\", \"minResource\": 1, \"eta\": 3}");
    }
    if (o == null) {
      return null;
    }
    c.keys(ptr, o, SCHEDULER);
    if (!c.require(ptr, o, "type", "\"asha\"")) {
      return null;
    }
    String typePtr = node.isTextual() ? ptr : ptr + "/type";
    String type = c.string(typePtr, o.get("type"), "use asha, hyperband or median-stop");
    if (type == null) {
      return null;
    }
    if (!SchedulerSpec.TYPES.contains(type)) {
      String near = SpecNames.suggest(type, SchedulerSpec.TYPES);
      c.problem(typePtr, "unknown scheduler '" + type + "'" + (near == null ? "" : " (did you mean '" + near + "'?)")
          + "; use one of " + String.join(", ", SchedulerSpec.TYPES));
      return null;
    }
    int minResource = 1;
    double eta = 3;
    int iterations = 0;
    int minTrials = 3;
    Long v;
    Double d;
    if (o.has("minResource") && (v = c.integer(ptr + "/minResource", o.get("minResource"), 1, 1_000_000,
        "use the fewest epochs a trial trains for, e.g. 1")) != null) {
      minResource = v.intValue();
    }
    if (o.has("eta") && (d = c.number(ptr + "/eta", o.get("eta"), 1.0001, 100, "use a reduction factor such as 3")) != null) {
      eta = d;
    }
    if (o.has("iterations") && (v = c.integer(ptr + "/iterations", o.get("iterations"), 0, 1_000_000,
        "use 0 for as many as the budget allows")) != null) {
      iterations = v.intValue();
    }
    if (o.has("minTrials") && (v = c.integer(ptr + "/minTrials", o.get("minTrials"), 1, 1_000_000,
        "use the number of trials needed before stopping any, e.g. 3")) != null) {
      minTrials = v.intValue();
    }
    if (budget != null && budget.maxEpochs() == 0) {
      c.problem("/search/budget", "a scheduler needs \"maxEpochs\" in the budget (the top fidelity); add e.g."
          + " \"maxEpochs\": 27");
      return null;
    }
    if (budget != null && minResource > budget.maxEpochs()) {
      c.problem(ptr + "/minResource", "minResource " + minResource + " is above the budget's maxEpochs "
          + budget.maxEpochs() + "; lower it");
      return null;
    }
    return new SchedulerSpec(type, minResource, eta, iterations, minTrials);
  }

  static String oneLine(String s) {
    return s == null ? "" : s.replace("\r", "").replace('\n', ' ');
  }
}
