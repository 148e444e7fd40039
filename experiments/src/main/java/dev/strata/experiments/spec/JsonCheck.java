package dev.strata.experiments.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.search.space.LocatedJson;
import dev.strata.search.space.SpaceException;
import dev.strata.trainer.spec.SpecNames;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Typed reads from a {@link LocatedJson} tree that record a located {@link SpaceException.Problem}
 * for every mistake instead of throwing, so one pass reports them all. Not thread-safe: one per
 * read of a file.
 */
final class JsonCheck {

  private final LocatedJson json;
  private final List<SpaceException.Problem> problems = new ArrayList<>();

  JsonCheck(LocatedJson json) {
    this.json = json;
  }

  LocatedJson json() {
    return json;
  }

  List<SpaceException.Problem> problems() {
    return problems;
  }

  boolean ok() {
    return problems.isEmpty();
  }

  void add(SpaceException.Problem problem) {
    problems.add(problem);
  }

  /** A problem located at the value of {@code pointer}. */
  void problem(String pointer, String message) {
    LocatedJson.Position at = json.locate(pointer);
    problems.add(new SpaceException.Problem(json.source(), at.line(), at.column(), pointer, message));
  }

  /** A problem located at the key naming the value of {@code pointer}. */
  void keyProblem(String pointer, String message) {
    LocatedJson.Position at = json.locateKey(pointer);
    problems.add(new SpaceException.Problem(json.source(), at.line(), at.column(), pointer, message));
  }

  static String child(String pointer, String key) {
    return pointer + "/" + key.replace("~", "~0").replace("/", "~1");
  }

  static String child(String pointer, int index) {
    return pointer + "/" + index;
  }

  static String kind(JsonNode node) {
    if (node == null || node.isMissingNode()) {
      return "nothing";
    }
    return switch (node.getNodeType()) {
      case OBJECT -> "an object";
      case ARRAY -> "an array";
      case STRING -> "the string \"" + node.asText() + "\"";
      case NUMBER -> "the number " + node.asText();
      case BOOLEAN -> node.asText();
      case NULL -> "null";
      default -> node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
    };
  }

  /** The node as an object, or null after recording a problem. */
  ObjectNode object(String pointer, JsonNode node, String example) {
    if (node instanceof ObjectNode o) {
      return o;
    }
    problem(pointer, "expected an object, got " + kind(node) + "; write it as " + example);
    return null;
  }

  /** Records a problem for each key not in {@code allowed}, with a did-you-mean. */
  void keys(String pointer, ObjectNode node, Collection<String> allowed) {
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String key = names.next();
      if (!allowed.contains(key)) {
        String near = SpecNames.suggest(key, allowed);
        keyProblem(child(pointer, key), "unknown key '" + key + "'"
            + (near == null ? "" : " (did you mean '" + near + "'?)")
            + "; allowed here: " + String.join(", ", allowed));
      }
    }
  }

  /** Records a problem when a required key is absent; returns whether it is present. */
  boolean require(String pointer, ObjectNode node, String key, String example) {
    if (node.has(key) && !node.get(key).isNull()) {
      return true;
    }
    problem(pointer, "missing required key '" + key + "'; add for example \"" + key + "\": " + example);
    return false;
  }

  String string(String pointer, JsonNode node, String hint) {
    if (node.isTextual()) {
      if (node.asText().isBlank()) {
        problem(pointer, "must not be empty; " + hint);
        return null;
      }
      return node.asText();
    }
    problem(pointer, "expected a string, got " + kind(node) + "; " + hint);
    return null;
  }

  Boolean bool(String pointer, JsonNode node) {
    if (node.isBoolean()) {
      return node.asBoolean();
    }
    String t = node.isTextual() ? node.asText().strip() : "";
    problem(pointer, "expected true or false, got " + kind(node) + "; write "
        + (t.equals("true") || t.equals("false") ? t : "true or false") + " without quotes");
    return null;
  }

  /** A whole number in [min, max], or null after recording a problem. */
  Long integer(String pointer, JsonNode node, long min, long max, String hint) {
    if (node.isIntegralNumber() && node.canConvertToLong()) {
      long v = node.asLong();
      if (v < min || v > max) {
        problem(pointer, "must be " + range(min, max) + ", got " + v + "; " + hint);
        return null;
      }
      return v;
    }
    if (node.isNumber() && node.asDouble() == Math.rint(node.asDouble()) && Math.abs(node.asDouble()) < 1e15) {
      return integer(pointer, com.fasterxml.jackson.databind.node.LongNode.valueOf((long) node.asDouble()), min, max, hint);
    }
    if (node.isIntegralNumber() || node.isNumber() && node.asDouble() == Math.rint(node.asDouble())) {
      // A whole number, only too large for a long (99999999999999999999999): say so, not "expected a whole number".
      problem(pointer, "must be " + range(min, max) + ", got " + node.asText() + ", which is too large; " + hint);
      return null;
    }
    problem(pointer, "expected a whole number, got " + kind(node) + "; "
        + (node.isTextual() && node.asText().strip().matches("[-+]?\\d{1,18}") ? unquote(node) : hint));
    return null;
  }

  /** A finite number in [min, max], or null after recording a problem. */
  Double number(String pointer, JsonNode node, double min, double max, String hint) {
    if (node.isNumber()) {
      double v = node.asDouble();
      if (!Double.isFinite(v) || v < min || v > max) {
        problem(pointer, "must be " + range(min, max) + ", got " + node.asText() + "; " + hint);
        return null;
      }
      return v;
    }
    problem(pointer, "expected a number, got " + kind(node) + "; "
        + (node.isTextual() && node.asText().strip().matches(NUMBER) ? unquote(node) : hint));
    return null;
  }

  private static final String NUMBER = "[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?";

  /** The fix for a quoted number: {@code write 64 without quotes} (strings are never read as numbers). */
  private static String unquote(JsonNode node) {
    return "write " + node.asText().strip() + " without quotes";
  }

  private static String range(double min, double max) {
    if (max == Double.MAX_VALUE || max == Long.MAX_VALUE) {
      return ">= " + fmt(min);
    }
    return "between " + fmt(min) + " and " + fmt(max);
  }

  private static String fmt(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }

  /** A JSON value as a plain Java value (for strategy and scheduler options). */
  static Object plain(JsonNode node) {
    if (node.isIntegralNumber()) {
      return node.asLong();
    }
    if (node.isNumber()) {
      return node.asDouble();
    }
    if (node.isBoolean()) {
      return node.asBoolean();
    }
    if (node.isTextual()) {
      return node.asText();
    }
    if (node.isArray()) {
      List<Object> out = new ArrayList<>();
      node.forEach(e -> out.add(plain(e)));
      return out;
    }
    if (node.isObject()) {
      Map<String, Object> out = new java.util.LinkedHashMap<>();
      node.properties().forEach(e -> out.put(e.getKey(), plain(e.getValue())));
      return out;
    }
    return null;
  }

  /** A message on one line (problems are one line each). */
  static String oneLine(String s) {
    return s == null ? "" : s.replace("\r", "").replace('\n', ' ');
  }
}
