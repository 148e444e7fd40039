package dev.strata.experiments.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.search.trial.Constraint;
import dev.strata.search.trial.Direction;
import dev.strata.search.trial.Goal;
import dev.strata.search.trial.Objectives;
import dev.strata.trainer.spec.SpecNames;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads what an experiment optimises: the {@code objective} section (metric, direction) and the one
 * source that computes it (the {@code dataset}, read by {@link DatasetReader}, or the objective's
 * {@code function}, {@code table} or {@code command}). Records every mistake in the given {@link
 * JsonCheck}. Part of {@link ExperimentReader}; stateless.
 */
final class ObjectiveReader {

  static final List<String> KEYS = List.of("metric", "direction", "function", "table", "command",
      "timeoutSeconds", "workdir", "env", "parameters");

  /** The metrics a network-training objective reports. */
  static final List<String> TRAINING_METRICS = ExperimentReader.TRAINING_METRICS;

  /**
   * What the objective sections gave.
   *
   * @param source what computes the objective, or null when the sections are unusable
   * @param spec the metric, direction and source, or null when any of them is unusable
   */
  record Read(ObjectiveSource source, ObjectiveSpec spec) {}

  private ObjectiveReader() {}

  /**
   * Reads the {@code objective} and {@code dataset} sections of an experiment's root object.
   *
   * @param dir the directory relative paths are resolved against
   * @param shipped the experiment came from a cluster coordinator (see {@link DatasetReader})
   */
  static Read read(JsonCheck c, ObjectNode root, Path dir, boolean shipped) {
    List<GoalsReader.Located<Goal>> goals = GoalsReader.goals(c, root);
    List<GoalsReader.Located<Constraint>> constraints = GoalsReader.constraints(c, root);
    ObjectNode objective = null;
    if (root.has("objective")) {
      objective = c.object("/objective", root.get("objective"), "{\"metric\": \"val_accuracy\", \"direction\": \"maximize\"}");
      if (objective != null) {
        c.keys("/objective", objective, KEYS);
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
        case "dataset" -> DatasetReader.read(c, root.get("dataset"), dir, shipped);
        case "function" -> function(c, objective.get("function"));
        case "table" -> table(c, objective, dir, goals, constraints);
        default -> command(c, objective, dir);
      };
    }
    ObjectiveSpec spec = spec(c, objective, source, goals);
    if (spec == null || !checkMetrics(c, source, goals, constraints)) {
      return new Read(source, null);
    }
    List<Goal> all = new ArrayList<>();
    all.add(new Goal(spec.metric(), spec.direction()));
    goals.stream().skip(1).forEach(g -> all.add(g.value()));
    return new Read(source, spec.withObjectives(new Objectives(all,
        constraints.stream().map(GoalsReader.Located::value).toList())));
  }

  /** Metrics a training objective can take as a second goal or a constraint: known before training too. */
  static final List<String> NETWORK_METRICS = List.of("params", "flops");

  /** Metrics measured after training, only when a goal or constraint names them; not reproducible bits. */
  static final List<String> MEASURED_METRICS = ExperimentReader.LATENCY_METRICS;

  /**
   * Checks the metric names of the goals after the first and of the constraints against the
   * source: a test function has one value; a training objective reports {@link #TRAINING_METRICS}
   * and {@link #NETWORK_METRICS}; a table's columns are checked by {@link #table}; a command's
   * metrics are its own.
   */
  private static boolean checkMetrics(JsonCheck c, ObjectiveSource source, List<GoalsReader.Located<Goal>> goals,
      List<GoalsReader.Located<Constraint>> constraints) {
    boolean ok = true;
    if (source instanceof ObjectiveSource.Function && goals.size() > 1) {
      c.problem(goals.get(1).pointer(), "a test function has one value, so one objective; remove this one or"
          + " optimise a table or a command");
      return false;
    }
    if (source instanceof ObjectiveSource.Training) {
      List<String> known = new ArrayList<>(TRAINING_METRICS);
      known.addAll(NETWORK_METRICS);
      known.addAll(MEASURED_METRICS);
      List<GoalsReader.Located<String>> named = new ArrayList<>();
      goals.stream().skip(1).forEach(g -> named.add(new GoalsReader.Located<>(g.value().metric(), g.pointer())));
      constraints.forEach(k -> named.add(new GoalsReader.Located<>(k.value().metric(), k.pointer())));
      for (GoalsReader.Located<String> m : named) {
        if (!known.contains(m.value())) {
          String near = SpecNames.suggest(m.value(), known);
          c.problem(m.pointer() + "/metric", "unknown training metric '" + m.value() + "'"
              + (near == null ? "" : " (did you mean '" + near + "'?)") + "; use one of " + String.join(", ", known));
          ok = false;
        }
      }
    }
    if (source instanceof ObjectiveSource.Function) {
      for (GoalsReader.Located<Constraint> k : constraints) {
        if (!k.value().metric().equals(Objectives.VALUE)) {
          c.problem(k.pointer() + "/metric", "a test function reports only 'value'; constrain \"value\"");
          ok = false;
        }
      }
    }
    return ok;
  }

  private static ObjectiveSource function(JsonCheck c, JsonNode node) {
    String name = c.string("/objective/function", node, "use a test function such as \"hartmann6\"");
    if (name == null) {
      return null;
    }
    String problem = SpaceSupport.checkFunction(name);
    if (problem != null) {
      c.problem("/objective/function", JsonCheck.oneLine(problem));
      return null;
    }
    return new ObjectiveSource.Function(name.toLowerCase(Locale.ROOT));
  }

  private static ObjectiveSource table(JsonCheck c, ObjectNode objective, Path dir,
      List<GoalsReader.Located<Goal>> goals, List<GoalsReader.Located<Constraint>> constraints) {
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
    if (!objective.has("metric") && goals.isEmpty()) {
      c.problem("/objective", "missing required key 'metric'; name the table's metric column, e.g. \"metric\":"
          + " \"mean_test_acc\"");
      return null;
    }
    String column = objective.has("metric") ? objective.get("metric").asText() : goals.getFirst().value().metric();
    String columnPointer = objective.has("metric") ? "/objective/metric" : goals.getFirst().pointer() + "/metric";
    try {
      List<String> header = SpaceSupport.tableHeader(file);
      if (!header.contains(column)) {
        String near = SpecNames.suggest(column, header);
        c.problem(columnPointer, "the table has no column '" + column + "'"
            + (near == null ? "" : " (did you mean '" + near + "'?)") + "; columns: " + String.join(", ", header));
        return null;
      }
      List<GoalsReader.Located<String>> named = new ArrayList<>();
      goals.stream().skip(1).forEach(g -> named.add(new GoalsReader.Located<>(g.value().metric(), g.pointer())));
      constraints.forEach(k -> named.add(new GoalsReader.Located<>(k.value().metric(), k.pointer())));
      for (GoalsReader.Located<String> m : named) {
        if (!header.contains(m.value())) {
          String near = SpecNames.suggest(m.value(), header);
          c.problem(m.pointer() + "/metric", "the table has no column '" + m.value() + "'"
              + (near == null ? "" : " (did you mean '" + near + "'?)") + "; columns: " + String.join(", ", header));
          return null;
        }
      }
    } catch (UncheckedIOException e) {
      c.problem("/objective/table", "cannot read '" + file + "': " + JsonCheck.oneLine(e.getMessage()));
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
    boolean nni = false;
    if (objective.has("parameters")) {
      String f = c.string("/objective/parameters", objective.get("parameters"), "write \"flat\" or \"nni\"");
      if (f != null && !f.equals("flat") && !f.equals("nni")) {
        c.problem("/objective/parameters", "unknown parameter format '" + f + "'"
            + dev.strata.common.DidYouMean.suggest(f, List.of("flat", "nni"))
            + " (allowed: flat, Strata's names, the default; nni, NNI's nested {\"_name\": ...} objects)");
      }
      nni = "nni".equals(f);
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
    return new ObjectiveSource.Command(argv, workdir, timeout, env, nni);
  }

  private static ObjectiveSpec spec(JsonCheck c, ObjectNode objective, ObjectiveSource source,
      List<GoalsReader.Located<Goal>> goals) {
    if (!goals.isEmpty() && objective != null && (objective.has("metric") || objective.has("direction"))) {
      String key = objective.has("metric") ? "metric" : "direction";
      c.keyProblem("/objective/" + key, "give the metric and direction either in \"objective\" or as the first of"
          + " \"objectives\", not both; remove \"" + key + "\" here");
      return null;
    }
    if (!goals.isEmpty()) {
      objective = objective == null ? new com.fasterxml.jackson.databind.node.ObjectNode(
          com.fasterxml.jackson.databind.node.JsonNodeFactory.instance) : objective.deepCopy();
      objective.put("metric", goals.getFirst().value().metric());
      objective.put("direction", goals.getFirst().value().direction().name().toLowerCase(Locale.ROOT));
    }
    String metricPointer = goals.isEmpty() ? "/objective/metric" : goals.getFirst().pointer() + "/metric";
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
          c.problem(metricPointer, "unknown training metric '" + metric + "'"
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

  /** maximise accuracies, minimise losses, errors and latencies; null when the name does not tell. */
  static Direction inferDirection(String metric) {
    String m = metric.toLowerCase(Locale.ROOT);
    if (m.contains("acc") || m.contains("auc") || m.contains("f1") || m.contains("score") || m.contains("reward")) {
      return Direction.MAXIMIZE;
    }
    if (m.contains("loss") || m.contains("rmse") || m.contains("mse") || m.contains("mae") || m.contains("error")
        || m.contains("regret") || m.contains("latency")) {
      return Direction.MINIMIZE;
    }
    return null;
  }
}
