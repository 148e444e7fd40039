package dev.strata.search.space;

import dev.strata.common.DidYouMean;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Reads the Strata search-space JSON format (see {@code docs/search-space.md} and the JSON Schema
 * {@code dev/strata/search/space/search-space.schema.json}) into a {@link ParameterSpace}.
 *
 * <pre>{@code
 * "space": {
 *   "blocks": { "repeat": { "min": 1, "max": 6 }, "of": {
 *     "type":     { "choice": ["plain", "residual", "inception"] },
 *     "branches": { "int": [2, 4], "when": { "type": "inception" } } } },
 *   "learningRate": { "float": [1e-4, 1e-1], "log": true },
 *   "epochs": 30 }
 * }</pre>
 *
 * <p>Validation is strict and collects every problem it can find before throwing one {@link
 * SpaceException}; each problem carries {@code file:line:col} and the JSON pointer of the
 * offending value (or key, for unknown and duplicate keys). Cross-reference problems (conditions)
 * are only looked for once the structure is sound, so that one typo does not cause a cascade.
 *
 * <p>Stateless and thread-safe.
 */
public final class SpaceReader {

  static final List<String> KINDS = List.of("choice", "int", "float", "const");
  private static final Map<String, List<String>> KEYS = Map.of(
      "choice", List.of("choice", "default", "when", "description"),
      "int", List.of("int", "step", "log", "normal", "default", "when", "description"),
      "float", List.of("float", "step", "log", "normal", "default", "when", "description"),
      "const", List.of("const", "default", "when", "description"),
      "repeat", List.of("repeat", "of", "when", "description"));
  private static final List<String> ALL_KEYS = List.of(
      "choice", "int", "float", "const", "repeat", "of", "step", "log", "normal", "default", "when", "description");
  private static final List<String> REPEAT_KEYS = List.of("min", "max", "default");
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private SpaceReader() {}

  /**
   * Reads a space file: either a bare space object or an object with a {@code "space"} member
   * (an experiment file), whose other members are ignored.
   *
   * @throws SpaceException for a missing file, a syntax error or any problem of the space
   */
  public static ParameterSpace read(Path file) {
    return readDocument(LocatedJson.read(file));
  }

  /** Like {@link #read(Path)} for text; {@code source} names it in error messages. */
  public static ParameterSpace parse(String json, String source) {
    return readDocument(LocatedJson.parse(json, source));
  }

  /**
   * Reads the space at {@code at} of a located document, e.g. {@code /space} of an experiment
   * file; pointers in errors are absolute within the document.
   */
  public static ParameterSpace read(LocatedJson document, JsonPointer at) {
    JsonNode node = document.at(at);
    if (node.isMissingNode()) {
      throw new SpaceException(problem(document.source(), document.locate(at.toString()), at.toString(),
          "no search space here; add a \"space\" object"));
    }
    return new Reader(document.source(), document::locate, document::locateKey).space(node, at.toString());
  }

  /**
   * Reads a space from a plain Jackson tree that has no locations (errors then carry the source
   * and pointer only).
   *
   * @param prefix the pointer of {@code node} within its document ({@link JsonPointer#empty()} for
   *     the root)
   */
  public static ParameterSpace read(JsonNode node, String source, JsonPointer prefix) {
    return new Reader(source, p -> LocatedJson.Position.UNKNOWN, p -> LocatedJson.Position.UNKNOWN)
        .space(node, prefix.toString());
  }

  private static ParameterSpace readDocument(LocatedJson document) {
    JsonNode root = document.root();
    JsonNode wrapped = root.get("space");
    if (root.isObject() && wrapped != null && wrapped.isObject() && !isSpec(wrapped)) {
      return read(document, JsonPointer.compile("/space"));
    }
    return read(document, JsonPointer.empty());
  }

  /** Whether an object is a parameter or repeat spec rather than a group of named entries. */
  static boolean isSpec(JsonNode object) {
    for (String key : List.of("choice", "int", "float", "const", "repeat", "of")) {
      if (object.has(key)) {
        return true;
      }
    }
    return false;
  }

  static SpaceException.Problem problem(String source, LocatedJson.Position at, String pointer, String message) {
    return new SpaceException.Problem(source, at.line(), at.column(), pointer, message);
  }

  /** One reading: collects problems and remembers where each node came from. */
  private static final class Reader {
    private final String source;
    private final java.util.function.Function<String, LocatedJson.Position> valueAt;
    private final java.util.function.Function<String, LocatedJson.Position> keyAt;
    private final List<SpaceException.Problem> problems = new ArrayList<>();
    private final Map<SpaceNode, String> pointers = new IdentityHashMap<>();

    Reader(String source, java.util.function.Function<String, LocatedJson.Position> valueAt,
        java.util.function.Function<String, LocatedJson.Position> keyAt) {
      this.source = source;
      this.valueAt = valueAt;
      this.keyAt = keyAt;
    }

    ParameterSpace space(JsonNode node, String pointer) {
      if (!node.isObject()) {
        fail(pointer, "a search space must be a JSON object of named parameters, got " + describe(node));
        throw exception();
      }
      List<SpaceNode> nodes = group(node, pointer);
      if (problems.isEmpty() && nodes.isEmpty()) {
        fail(pointer, "the search space is empty; add a parameter such as \"x\": {\"float\": [0, 1]}");
      }
      if (problems.isEmpty()) {
        for (ParameterSpace.Issue issue : ParameterSpace.check(nodes)) {
          String at = pointers.get(issue.node());
          if (issue.whenKey() != null) {
            failKey(Pointers.child(at + "/when", issue.whenKey()), issue.message());
          } else {
            fail(at, issue.message());
          }
        }
      }
      if (!problems.isEmpty()) {
        throw exception();
      }
      return ParameterSpace.of(nodes);
    }

    private SpaceException exception() {
      List<SpaceException.Problem> sorted = new ArrayList<>(problems);
      sorted.sort(Comparator.comparingInt((SpaceException.Problem p) -> p.line() == 0 ? Integer.MAX_VALUE : p.line())
          .thenComparingInt(SpaceException.Problem::column));
      return new SpaceException(sorted);
    }

    private void fail(String pointer, String message) {
      problems.add(problem(source, valueAt.apply(pointer), pointer, message));
    }

    private void failKey(String pointer, String message) {
      problems.add(problem(source, keyAt.apply(pointer), pointer, message));
    }

    private List<SpaceNode> group(JsonNode object, String pointer) {
      List<SpaceNode> nodes = new ArrayList<>();
      for (Map.Entry<String, JsonNode> field : object.properties()) {
        String name = field.getKey();
        String at = Pointers.child(pointer, name);
        try {
          SpaceNode.checkName(name);
        } catch (IllegalArgumentException e) {
          failKey(at, e.getMessage());
          continue;
        }
        SpaceNode node = entry(name, field.getValue(), at);
        if (node != null) {
          pointers.put(node, at);
          nodes.add(node);
        }
      }
      return nodes;
    }

    private SpaceNode entry(String name, JsonNode value, String at) {
      if (value.isValueNode()) {
        return new ConstantParameter(name, scalar(value), Condition.ALWAYS);
      }
      if (value.isArray()) {
        fail(at, "a bare list is ambiguous; write {\"choice\": [...]} to search over its values or"
            + " {\"const\": [...]} for a fixed list");
        return null;
      }
      if (value.has("repeat") || value.has("of")) {
        return repeat(name, value, at);
      }
      List<String> kinds = value.propertyStream().map(Map.Entry::getKey).filter(KINDS::contains).toList();
      if (kinds.isEmpty()) {
        if (value.isEmpty()) {
          fail(at, "empty parameter; write {\"choice\": [...]}, {\"int\": [low, high]}, {\"float\": [low, high]},"
              + " {\"const\": value} or a repeat group");
          return null;
        }
        boolean reported = false;
        for (String key : keys(value)) {
          String hint = DidYouMean.suggest(key, ALL_KEYS);
          if (!hint.isEmpty()) {
            failKey(Pointers.child(at, key), "unknown key '" + key + "'" + hint);
            reported = true;
          }
        }
        if (!reported) {
          fail(at, "no parameter kind; give one of \"choice\", \"int\", \"float\", \"const\", or"
              + " \"repeat\" with \"of\" (nested groups need a repeat)");
        }
        return null;
      }
      if (kinds.size() > 1) {
        failKey(Pointers.child(at, kinds.get(1)), "\"" + kinds.get(0) + "\" and \"" + kinds.get(1)
            + "\" cannot be combined; a parameter has exactly one kind");
        return null;
      }
      String kind = kinds.getFirst();
      int before = problems.size();
      checkKeys(value, at, kind);
      Condition when = condition(value.get("when"), at + "/when");
      description(value, at);
      Supplier<SpaceNode> node = switch (kind) {
        case "choice" -> choice(name, value, at, when);
        case "int" -> integer(name, value, at, when);
        case "float" -> real(name, value, at, when);
        default -> constant(name, value, at, when);
      };
      return problems.size() == before && node != null ? build(at, node) : null;
    }

    private void checkKeys(JsonNode value, String at, String kind) {
      List<String> allowed = KEYS.get(kind);
      for (String key : keys(value)) {
        if (allowed.contains(key)) {
          continue;
        }
        String where = Pointers.child(at, key);
        if (ALL_KEYS.contains(key)) {
          failKey(where, "\"" + key + "\" does not apply to a " + kind + " parameter; remove it (allowed: "
              + String.join(", ", allowed) + ")");
        } else {
          failKey(where, "unknown key '" + key + "'" + DidYouMean.suggest(key, allowed)
              + " (allowed for " + kind + ": " + String.join(", ", allowed) + ")");
        }
      }
    }

    private void description(JsonNode value, String at) {
      JsonNode d = value.get("description");
      if (d != null && !d.isTextual()) {
        fail(at + "/description", "\"description\" must be a string, got " + describe(d));
      }
    }

    private Supplier<SpaceNode> choice(String name, JsonNode value, String at, Condition when) {
      JsonNode list = value.get("choice");
      String p = at + "/choice";
      if (!list.isArray()) {
        fail(p, "\"choice\" needs a list of values, got " + describe(list) + "; write [\"a\", \"b\"]");
        return null;
      }
      if (list.isEmpty()) {
        fail(p, "the choice list is empty; list at least one value");
        return null;
      }
      List<Object> choices = new ArrayList<>();
      for (int i = 0; i < list.size(); i++) {
        JsonNode c = list.get(i);
        String cp = p + "/" + i;
        if (c.isNull()) {
          fail(cp, "null is not allowed as a choice; use a string such as \"none\"");
        } else if (!c.isValueNode()) {
          fail(cp, "a choice must be a string, number or boolean, got " + describe(c)
              + "; for structured alternatives use conditions (\"when\")");
        } else {
          Object v = scalar(c);
          if (Values.indexOf(choices, v) >= 0) {
            fail(cp, "choice " + Values.show(v) + " is listed twice; remove one");
          }
          choices.add(v);
        }
      }
      Object def = null;
      JsonNode d = value.get("default");
      if (d != null) {
        def = d.isValueNode() && !d.isNull() ? scalar(d) : null;
        if (def == null || Values.indexOf(choices, def) < 0) {
          String hint = def instanceof String s
              ? DidYouMean.suggest(s, choices.stream().filter(String.class::isInstance).map(String.class::cast).toList())
              : "";
          fail(at + "/default", "default " + (def == null ? describe(d) : Values.show(def))
              + " is not one of the choices " + Values.show(choices) + hint);
        }
      }
      Object finalDef = def;
      return () -> (new ChoiceParameter(name, choices, finalDef, when));
    }

    private Supplier<SpaceNode> integer(String name, JsonNode value, String at, Condition when) {
      long[] range = bounds(value.get("int"), at + "/int");
      boolean log = flag(value, at, "log");
      long step = 1;
      JsonNode s = value.get("step");
      if (s != null) {
        if (!s.isIntegralNumber() || !s.canConvertToLong() || s.longValue() < 1) {
          fail(at + "/step", "an int step must be a positive integer, got " + describe(s) + unquote(s));
        } else {
          step = s.longValue();
        }
      }
      Long def = null;
      JsonNode d = value.get("default");
      if (d != null) {
        if (!d.isIntegralNumber() || !d.canConvertToLong()) {
          fail(at + "/default", "the default of an int parameter must be an integer, got " + describe(d) + unquote(d));
        } else {
          def = d.longValue();
        }
      }
      if (range == null) {
        return null;
      }
      long low = range[0];
      long high = range[1];
      if (low >= high) {
        fail(at + "/int", IntParameter.rangeProblem(low, high));
        return null;
      }
      NormalPrior prior = prior(value, at, log, log ? Math.log(Math.max(1, low)) : low, log ? Math.log(high) : high);
      if (log && low < 1) {
        fail(at + "/int/0", "a log scale needs a lower bound >= 1, got " + low + "; raise it or drop \"log\"");
      }
      if (step >= 1 && (high - low) % step != 0) {
        fail(at + "/step", "step " + step + " does not divide the range " + low + ".." + high
            + " (high − low = " + (high - low) + "); choose a divisor of " + (high - low) + " or move a bound");
      }
      if (def != null && (def < low || def > high)) {
        fail(at + "/default", "default " + def + " is outside [" + low + ", " + high + "]; pick a value in range");
      } else if (def != null && step >= 1 && (def - low) % step != 0) {
        fail(at + "/default", "default " + def + " is not on the step grid " + low + " + k·" + step
            + "; use " + (def - (def - low) % step) + " or " + (def - (def - low) % step + step));
      }
      long finalStep = step;
      Long finalDef = def;
      return () -> (new IntParameter(name, low, high, finalStep, log, finalDef, when, prior));
    }

    private Supplier<SpaceNode> real(String name, JsonNode value, String at, Condition when) {
      double[] range = realBounds(value.get("float"), at + "/float");
      boolean log = flag(value, at, "log");
      double step = 0;
      JsonNode s = value.get("step");
      if (s != null) {
        if (!s.isNumber() || !(s.doubleValue() > 0) || Double.isInfinite(s.doubleValue())) {
          fail(at + "/step", "a float step must be a positive number, got " + describe(s) + unquote(s));
          s = null;
        } else {
          step = s.doubleValue();
        }
      }
      Double def = null;
      JsonNode d = value.get("default");
      if (d != null) {
        if (!d.isNumber()) {
          fail(at + "/default", "the default of a float parameter must be a number, got " + describe(d) + unquote(d));
        } else {
          def = d.doubleValue();
        }
      }
      if (range == null) {
        return null;
      }
      double low = range[0];
      double high = range[1];
      if (!(low < high)) {
        fail(at + "/float", FloatParameter.rangeProblem(low, high));
        return null;
      }
      if (log && low <= 0) {
        fail(at + "/float/0", "a log scale needs a lower bound > 0, got " + number(low)
            + "; raise it or drop \"log\"");
      }
      NormalPrior prior = log && low <= 0 ? null : prior(value, at, log, log ? Math.log(low) : low, log ? Math.log(high) : high);
      if (step > 0 && !FloatParameter.divides(step, high - low)) {
        fail(at + "/step", FloatParameter.stepProblem(step, low, high));
      }
      if (def != null && !(def >= low && def <= high)) {
        fail(at + "/default", "default " + number(def) + " is outside [" + number(low) + ", " + number(high)
            + "]; pick a value in range");
      } else if (def != null && step > 0 && !FloatParameter.divides(step, def - low)) {
        fail(at + "/default", "default " + number(def) + " is not on the step grid " + number(low) + " + k·"
            + number(step));
      }
      double finalStep = step;
      Double finalDef = def;
      return () -> (new FloatParameter(name, low, high, finalStep, log, finalDef, when, prior));
    }

    private Supplier<SpaceNode> constant(String name, JsonNode value, String at, Condition when) {
      Object v = any(value.get("const"));
      JsonNode d = value.get("default");
      if (d != null && !Values.same(any(d), v) && !java.util.Objects.equals(any(d), v)) {
        fail(at + "/default", "the default of a constant must equal it; remove \"default\"");
      }
      return () -> (new ConstantParameter(name, v, when));
    }

    private SpaceNode repeat(String name, JsonNode value, String at) {
      int before = problems.size();
      for (String key : keys(value)) {
        List<String> allowed = KEYS.get("repeat");
        if (!allowed.contains(key)) {
          String where = Pointers.child(at, key);
          failKey(where, (ALL_KEYS.contains(key)
              ? "\"" + key + "\" does not apply to a repeat group; remove it"
              : "unknown key '" + key + "'" + DidYouMean.suggest(key, allowed))
              + " (allowed for repeat: " + String.join(", ", allowed) + ")");
        }
      }
      Condition when = condition(value.get("when"), at + "/when");
      description(value, at);
      JsonNode r = value.get("repeat");
      String rp = at + "/repeat";
      int min = 0;
      int max = 0;
      Integer def = null;
      if (r == null) {
        fail(at, "a group with \"of\" needs \"repeat\": {\"min\": 1, \"max\": 4}");
      } else if (r.isIntegralNumber()) {
        min = max = count(r, rp);
      } else if (!r.isObject()) {
        fail(rp, "\"repeat\" needs {\"min\": m, \"max\": n} or a fixed count, got " + describe(r));
      } else {
        int unknown = problems.size();
        for (String key : keys(r)) {
          if (!REPEAT_KEYS.contains(key)) {
            failKey(Pointers.child(rp, key), "unknown key '" + key + "'" + DidYouMean.suggest(key, REPEAT_KEYS)
                + " (allowed: min, max, default)");
          }
        }
        if (problems.size() != unknown) {
          // a misspelt key is reported; do not also complain about the missing one
        } else if (!r.has("min") || !r.has("max")) {
          fail(rp, "\"repeat\" needs both \"min\" and \"max\", e.g. {\"min\": 1, \"max\": 4}");
        } else {
          min = count(r.get("min"), rp + "/min");
          max = count(r.get("max"), rp + "/max");
          if (problems.size() == before) {
            if (min < 0) {
              fail(rp + "/min", "repeat min " + min + " is negative; use 0 or more");
            } else if (min > max) {
              fail(rp + "/min", "repeat min " + min + " is greater than max " + max + "; swap them");
            } else if (max < 1 || max > RepeatGroup.MAX_REPEAT) {
              fail(rp + "/max", "repeat max " + max + " must be between 1 and " + RepeatGroup.MAX_REPEAT);
            }
          }
        }
        JsonNode d = r.get("default");
        if (d != null) {
          int c = count(d, rp + "/default");
          if (problems.size() == before && (c < min || c > max)) {
            fail(rp + "/default", "default count " + c + " is outside [" + min + ", " + max + "]");
          }
          def = c;
        }
      }
      JsonNode of = value.get("of");
      List<SpaceNode> children = List.of();
      if (of == null) {
        fail(at, "a repeat group needs \"of\": {...} with the parameters of one element");
      } else if (!of.isObject()) {
        fail(at + "/of", "\"of\" must be an object of named parameters, got " + describe(of));
      } else if (of.isEmpty()) {
        fail(at + "/of", "\"of\" is empty; list the parameters of one element");
      } else {
        children = group(of, at + "/of");
      }
      if (problems.size() != before) {
        return null;
      }
      int finalMin = min;
      int finalMax = max;
      Integer finalDef = def;
      List<SpaceNode> finalChildren = children;
      return build(at, () -> new RepeatGroup(name, finalMin, finalMax, finalDef, finalChildren, when));
    }

    private int count(JsonNode n, String pointer) {
      if (!n.isIntegralNumber() || !n.canConvertToInt()) {
        fail(pointer, "a repeat count must be an integer, got " + describe(n) + unquote(n));
        return 0;
      }
      return n.intValue();
    }

    private Condition condition(JsonNode when, String pointer) {
      if (when == null) {
        return Condition.ALWAYS;
      }
      if (!when.isObject()) {
        fail(pointer, "\"when\" needs an object such as {\"type\": \"inception\"}, got " + describe(when));
        return Condition.ALWAYS;
      }
      if (when.isEmpty()) {
        fail(pointer, "\"when\" is empty; name a parameter and its value, or remove it");
        return Condition.ALWAYS;
      }
      Map<String, List<Object>> anyOf = new java.util.LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> e : when.properties()) {
        String p = Pointers.child(pointer, e.getKey());
        JsonNode v = e.getValue();
        List<Object> values = new ArrayList<>();
        if (v.isArray()) {
          if (v.isEmpty()) {
            fail(p, "an empty list of values never holds; list at least one value");
          }
          for (int i = 0; i < v.size(); i++) {
            JsonNode x = v.get(i);
            if (!x.isValueNode() || x.isNull()) {
              fail(p + "/" + i, "a condition value must be a string, number or boolean, got " + describe(x));
            } else {
              values.add(scalar(x));
            }
          }
        } else if (!v.isValueNode() || v.isNull()) {
          fail(p, "a condition value must be a string, number, boolean or a list of them, got " + describe(v));
        } else {
          values.add(scalar(v));
        }
        if (!values.isEmpty()) {
          anyOf.put(e.getKey(), values);
        }
      }
      return anyOf.isEmpty() ? Condition.ALWAYS : new Condition(anyOf);
    }

    private boolean flag(JsonNode value, String at, String key) {
      JsonNode f = value.get(key);
      if (f == null) {
        return false;
      }
      if (!f.isBoolean()) {
        fail(at + "/" + key, "\"" + key + "\" must be true or false, got " + describe(f) + unquote(f));
        return false;
      }
      return f.booleanValue();
    }

    private long[] bounds(JsonNode range, String pointer) {
      if (!range.isArray() || range.size() != 2) {
        fail(pointer, "\"int\" needs [low, high], got " + describe(range));
        return null;
      }
      long[] out = new long[2];
      boolean ok = true;
      for (int i = 0; i < 2; i++) {
        JsonNode b = range.get(i);
        if (!b.isIntegralNumber() || !b.canConvertToLong()) {
          fail(pointer + "/" + i, "int bounds must be integers, got " + describe(b)
              + (b.isNumber() ? "; use \"float\" for real values" : unquote(b)));
          ok = false;
        } else {
          out[i] = b.longValue();
        }
      }
      return ok ? out : null;
    }

    /**
     * The {@code "normal": [mu, sigma]} prior of a numeric parameter, or null when absent or wrong
     * (then a located problem is recorded). {@code lo} and {@code hi} are the range on the prior's
     * scale ({@code ln} for a log parameter).
     */
    private NormalPrior prior(JsonNode value, String at, boolean log, double lo, double hi) {
      JsonNode n = value.get("normal");
      if (n == null) {
        return null;
      }
      String pointer = at + "/normal";
      String of = log ? " (of ln x, as \"log\": true is set)" : "";
      if (!n.isArray() || n.size() != 2) {
        fail(pointer, "\"normal\" needs [mu, sigma]" + of + ", got " + describe(n));
        return null;
      }
      for (int i = 0; i < 2; i++) {
        JsonNode x = n.get(i);
        if (!x.isNumber() || !Double.isFinite(x.doubleValue())) {
          fail(pointer + "/" + i, "\"normal\" needs numbers [mu, sigma], got " + describe(x) + unquote(x));
          return null;
        }
      }
      double mu = n.get(0).doubleValue();
      double sigma = n.get(1).doubleValue();
      if (!(sigma > 0)) {
        fail(pointer + "/1", "sigma must be positive, got " + number(sigma) + "; give the prior's standard deviation"
            + (log ? " of ln x" : ""));
        return null;
      }
      NormalPrior prior = new NormalPrior(mu, sigma);
      String problem = lo < hi ? prior.truncationProblem(lo, hi) : null;
      if (problem != null) {
        fail(pointer, problem + of);
        return null;
      }
      return prior;
    }

    private double[] realBounds(JsonNode range, String pointer) {
      if (!range.isArray() || range.size() != 2) {
        fail(pointer, "\"float\" needs [low, high], got " + describe(range));
        return null;
      }
      double[] out = new double[2];
      boolean ok = true;
      for (int i = 0; i < 2; i++) {
        JsonNode b = range.get(i);
        if (!b.isNumber() || !Double.isFinite(b.doubleValue())) {
          fail(pointer + "/" + i, "float bounds must be finite numbers, got " + describe(b) + unquote(b));
          ok = false;
        } else {
          out[i] = b.doubleValue();
        }
      }
      return ok ? out : null;
    }

    private SpaceNode build(String at, Supplier<SpaceNode> constructor) {
      try {
        return constructor.get();
      } catch (IllegalArgumentException e) {
        fail(at, e.getMessage());
        return null;
      }
    }
  }

  static List<String> keys(JsonNode object) {
    return object.properties().stream().map(Map.Entry::getKey).toList();
  }

  /** A JSON scalar as a configuration value: String, Boolean, Long, Double or null. */
  static Object scalar(JsonNode node) {
    if (node.isTextual()) {
      return node.textValue();
    }
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    if (node.isIntegralNumber() && node.canConvertToLong()) {
      return node.longValue();
    }
    if (node.isNumber()) {
      return node.doubleValue();
    }
    return null;
  }

  /** Any JSON value as a normalised configuration value. */
  static Object any(JsonNode node) {
    return node.isValueNode() ? scalar(node) : Values.normalize(MAPPER.convertValue(node, Object.class));
  }

  static String describe(JsonNode node) {
    if (node.isTextual()) {
      return "the string \"" + node.textValue() + "\"";
    }
    if (node.isArray()) {
      return "a list of " + node.size();
    }
    if (node.isObject()) {
      return "an object";
    }
    return node.toString();
  }

  /**
   * For a quoted number or boolean ({@code "64"}, {@code "true"}) the fix, {@code "; write 64 without
   * quotes"}; otherwise "". Strings are never read as numbers or booleans.
   */
  static String unquote(JsonNode node) {
    if (!node.isTextual()) {
      return "";
    }
    String t = node.textValue().strip();
    if (t.matches("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?") || t.equals("true") || t.equals("false")) {
      return "; write " + t + " without quotes";
    }
    return "";
  }

  static String number(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.valueOf(v);
  }
}
