package dev.strata.search.space;

import dev.strata.common.DidYouMean;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Imports an NNI {@code search_space.json} into a {@link ParameterSpace}.
 *
 * <table>
 *   <caption>How each NNI {@code _type} maps</caption>
 *   <tr><th>NNI</th><th>Strata</th></tr>
 *   <tr><td>{@code choice [v…]}</td><td>choice</td></tr>
 *   <tr><td>{@code choice [{"_name": n, k: spec…}…]}</td><td>choice of the names, plus each
 *       sub-space parameter as {@code PARAM.NAME.k} with {@code "when": {PARAM: NAME}}</td></tr>
 *   <tr><td>{@code randint [lo, hi)}</td><td>int {@code [lo, hi − 1]}</td></tr>
 *   <tr><td>{@code uniform [lo, hi]}</td><td>float</td></tr>
 *   <tr><td>{@code quniform [lo, hi, q]}</td><td>the multiples of q in [lo, hi]: int with step q
 *       when lo, hi and q are integers, else float with step q</td></tr>
 *   <tr><td>{@code loguniform [lo, hi]}</td><td>float, log</td></tr>
 *   <tr><td>{@code qloguniform [lo, hi, q]}</td><td>the positive multiples of q in [lo, hi] on a log
 *       scale: a log-uniform draw rounded to the nearest multiple (int when lo, hi and q are
 *       integers, else float with step q)</td></tr>
 *   <tr><td>{@code normal [μ, σ]}</td><td>float {@code [μ − 4σ, μ + 4σ]} with the normal prior
 *       {@code N(μ, σ²)} truncated to that range</td></tr>
 *   <tr><td>{@code qnormal [μ, σ, q]}</td><td>the multiples of q in {@code [μ − 4σ, μ + 4σ]}, a
 *       draw of that prior rounded to the nearest one</td></tr>
 *   <tr><td>{@code lognormal [μ, σ]}</td><td>log float {@code [exp(μ − 4σ), exp(μ + 4σ)]} with
 *       the prior {@code ln x ~ N(μ, σ²)} truncated to it</td></tr>
 *   <tr><td>{@code qlognormal [μ, σ, q]}</td><td>the positive multiples of q in that range, a
 *       draw rounded to the nearest one</td></tr>
 * </table>
 *
 * <p><b>Clipping.</b> The normal families are unbounded in NNI; here their prior is truncated to
 * μ ± 4σ (of {@code ln x} for the log-normal ones), which cuts away 0.0063 % of the mass: a draw
 * that would fall outside is redrawn inside, not clamped, so the bounds get no extra mass (see
 * {@link NormalPrior}). The quantised log families start at q, not 0 (0 has no logarithm), so a
 * draw below q/2 that NNI would round to 0 gives q here. A range that collapses to a single value
 * becomes a constant.
 *
 * <p><b>Nested choices</b> are flattened as the table says; an external command that wants NNI's
 * nested {@code {"_name": …}} objects back asks for {@code "parameters": "nni"} on the command
 * objective (see {@link #nest(Map, Set)}).
 *
 * <p>Errors come as a {@link SpaceException} in the same {@code file:line:col /pointer} style as
 * {@link SpaceReader}. Stateless and thread-safe.
 */
public final class NniSpaceReader {

  /** How far the normal families reach, in standard deviations from the mean on either side. */
  static final double REACH = 4;

  static final List<String> TYPES = List.of("choice", "randint", "uniform", "quniform", "loguniform",
      "qloguniform", "normal", "qnormal", "lognormal", "qlognormal");

  private NniSpaceReader() {}

  /** Reads an NNI search-space file. */
  public static ParameterSpace read(Path file) {
    return read(LocatedJson.read(file), JsonPointer.empty());
  }

  /** Reads NNI search-space text; {@code source} names it in error messages. */
  public static ParameterSpace parse(String json, String source) {
    return read(LocatedJson.parse(json, source), JsonPointer.empty());
  }

  /** Reads the NNI search space at {@code at} of a located document. */
  public static ParameterSpace read(LocatedJson document, JsonPointer at) {
    return new Reader(document).space(document.at(at), at.toString());
  }

  private static final class Reader {
    private final LocatedJson doc;
    private final List<SpaceException.Problem> problems = new ArrayList<>();
    private final Map<SpaceNode, String> pointers = new IdentityHashMap<>();

    Reader(LocatedJson doc) {
      this.doc = doc;
    }

    ParameterSpace space(JsonNode node, String pointer) {
      if (!node.isObject()) {
        fail(pointer, "an NNI search space must be a JSON object of named parameters, got "
            + (node.isMissingNode() ? "nothing" : SpaceReader.describe(node)));
        throw exception();
      }
      List<SpaceNode> nodes = new ArrayList<>();
      readGroup(node, pointer, "", Condition.ALWAYS, nodes);
      if (problems.isEmpty() && nodes.isEmpty()) {
        fail(pointer, "the search space is empty; add a parameter such as"
            + " \"lr\": {\"_type\": \"loguniform\", \"_value\": [1e-4, 1e-1]}");
      }
      if (problems.isEmpty()) {
        for (ParameterSpace.Issue issue : ParameterSpace.check(nodes)) {
          fail(pointers.get(issue.node()), issue.message());
        }
      }
      if (!problems.isEmpty()) {
        throw exception();
      }
      return ParameterSpace.of(nodes);
    }

    private SpaceException exception() {
      List<SpaceException.Problem> sorted = new ArrayList<>(problems);
      sorted.sort(Comparator.comparingInt(SpaceException.Problem::line).thenComparingInt(SpaceException.Problem::column));
      return new SpaceException(sorted);
    }

    private void fail(String pointer, String message) {
      problems.add(SpaceReader.problem(doc.source(), doc.locate(pointer), pointer, message));
    }

    private void failKey(String pointer, String message) {
      problems.add(SpaceReader.problem(doc.source(), doc.locateKey(pointer), pointer, message));
    }

    /** Reads the parameters of an object; {@code prefix} is prepended to their names. */
    private void readGroup(JsonNode object, String pointer, String prefix, Condition when, List<SpaceNode> out) {
      for (Map.Entry<String, JsonNode> field : object.properties()) {
        String key = field.getKey();
        String at = Pointers.child(pointer, key);
        String name = prefix + key;
        try {
          SpaceNode.checkName(name);
        } catch (IllegalArgumentException e) {
          failKey(at, e.getMessage());
          continue;
        }
        readParameter(name, field.getValue(), at, when, out);
      }
    }

    private void readParameter(String name, JsonNode spec, String at, Condition when, List<SpaceNode> out) {
      if (!spec.isObject()) {
        fail(at, "an NNI parameter must be {\"_type\": ..., \"_value\": [...]}, got " + SpaceReader.describe(spec));
        return;
      }
      boolean ok = true;
      for (String key : SpaceReader.keys(spec)) {
        if (!key.equals("_type") && !key.equals("_value")) {
          failKey(Pointers.child(at, key), "unknown key '" + key + "'"
              + DidYouMean.suggest(key, List.of("_type", "_value")) + " (allowed: _type, _value)");
          ok = false;
        }
      }
      if (!ok) {
        return;
      }
      JsonNode type = spec.get("_type");
      JsonNode value = spec.get("_value");
      if (type == null || value == null) {
        fail(at, "an NNI parameter needs both \"_type\" and \"_value\"");
        return;
      }
      if (!type.isTextual() || !TYPES.contains(type.textValue())) {
        String t = type.isTextual() ? type.textValue() : type.toString();
        fail(at + "/_type", "unknown _type '" + t + "'" + DidYouMean.suggest(t, TYPES)
            + " (known: " + String.join(", ", TYPES) + ")");
        return;
      }
      String vp = at + "/_value";
      if (!value.isArray()) {
        fail(vp, "\"_value\" must be a list, got " + SpaceReader.describe(value));
        return;
      }
      String t = type.textValue();
      if (t.equals("choice")) {
        choice(name, value, vp, when, out);
        return;
      }
      int arity = t.startsWith("q") ? 3 : 2;
      if (value.size() != arity) {
        String form = switch (t) {
          case "randint" -> "[low, high)";
          case "uniform", "loguniform" -> "[low, high]";
          case "quniform", "qloguniform" -> "[low, high, q]";
          case "normal", "lognormal" -> "[mu, sigma]";
          default -> "[mu, sigma, q]";
        };
        fail(vp, t + " needs " + form + ", got " + value.size() + " values");
        return;
      }
      double[] v = new double[arity];
      for (int i = 0; i < arity; i++) {
        JsonNode x = value.get(i);
        if (!x.isNumber() || !Double.isFinite(x.doubleValue())) {
          fail(vp + "/" + i, t + " needs numbers, got " + SpaceReader.describe(x));
          return;
        }
        if (t.equals("randint") && !x.isIntegralNumber()) {
          fail(vp + "/" + i, "randint bounds must be integers, got " + x);
          return;
        }
        v[i] = x.doubleValue();
      }
      if (arity == 3 && !(v[2] > 0)) {
        fail(vp + "/2", "the quantum q must be positive, got " + SpaceReader.number(v[2])
            + "; use the spacing of the values, e.g. 1");
        return;
      }
      if (t.contains("normal") && !(v[1] > 0)) {
        fail(vp + "/1", "sigma must be positive, got " + SpaceReader.number(v[1])
            + "; give the standard deviation" + (t.contains("log") ? " of ln x" : ""));
        return;
      }
      double low;
      double high;
      NormalPrior prior = t.contains("normal") ? new NormalPrior(v[0], v[1]) : null;
      if (t.contains("normal")) {
        low = v[0] - REACH * v[1];
        high = v[0] + REACH * v[1];
        if (t.contains("lognormal")) {
          low = Math.exp(low);
          high = Math.exp(high);
        }
      } else {
        low = v[0];
        high = v[1];
        if (t.equals("randint")) {
          high -= 1;
          if (high < low) {
            fail(vp, "randint [" + (long) v[0] + ", " + (long) v[1] + ") is empty; high is exclusive, use high > low");
            return;
          }
        } else if (!(low < high)) {
          fail(vp, FloatParameter.rangeProblem(low, high));
          return;
        }
        if (t.contains("log") && low <= 0) {
          fail(vp + "/0", t + " needs low > 0, got " + SpaceReader.number(low));
          return;
        }
      }
      double lo = low;
      double hi = high;
      double q = arity == 3 ? v[2] : 0;
      SpaceNode node = build(at, () -> switch (t) {
        case "randint" -> lo == hi ? new ConstantParameter(name, (long) lo, when)
            : new IntParameter(name, (long) lo, (long) hi, 1, false, null, when);
        case "uniform", "normal" -> new FloatParameter(name, lo, hi, 0, false, null, when, prior);
        case "loguniform", "lognormal" -> new FloatParameter(name, lo, hi, 0, true, null, when, prior);
        case "quniform", "qnormal" -> quantized(name, lo, hi, q, when, prior);
        default -> quantizedLog(name, lo, hi, q, when, prior);
      });
      if (node != null) {
        pointers.put(node, at);
        out.add(node);
      }
    }

    private void choice(String name, JsonNode value, String vp, Condition when, List<SpaceNode> out) {
      if (value.isEmpty()) {
        fail(vp, "the choice list is empty; list at least one value");
        return;
      }
      boolean nested = false;
      for (JsonNode c : value) {
        nested |= c.isObject() && c.has("_name");
      }
      List<Object> choices = new ArrayList<>();
      List<Runnable> children = new ArrayList<>();
      for (int i = 0; i < value.size(); i++) {
        JsonNode c = value.get(i);
        String cp = vp + "/" + i;
        if (nested) {
          if (!c.isObject() || !c.has("_name")) {
            fail(cp, "a nested choice needs every option as {\"_name\": ..., parameters...}, got "
                + SpaceReader.describe(c));
            continue;
          }
          JsonNode n = c.get("_name");
          if (!n.isValueNode() || n.isNull()) {
            fail(cp + "/_name", "\"_name\" must be a string or number, got " + SpaceReader.describe(n));
            continue;
          }
          Object option = SpaceReader.scalar(n);
          choices.add(option);
          com.fasterxml.jackson.databind.node.ObjectNode rest = ((com.fasterxml.jackson.databind.node.ObjectNode) c).deepCopy();
          rest.remove("_name");
          String prefix = name + "." + option + ".";
          Condition sub = Condition.of(name, option);
          children.add(() -> readGroup(rest, cp, prefix, sub, out));
        } else if (!c.isValueNode() || c.isNull()) {
          fail(cp, "a choice must be a string, number or boolean (or every option a {\"_name\": ...} sub-space), got "
              + SpaceReader.describe(c));
        } else {
          choices.add(SpaceReader.scalar(c));
        }
      }
      int before = problems.size();
      SpaceNode node = build(vp, () -> new ChoiceParameter(name, choices, null, when));
      if (node != null && problems.size() == before) {
        pointers.put(node, Pointers.parent(vp));
        out.add(node);
        children.forEach(Runnable::run);
      }
    }

    private SpaceNode build(String at, java.util.function.Supplier<SpaceNode> constructor) {
      try {
        return constructor.get();
      } catch (IllegalArgumentException e) {
        fail(at, e.getMessage());
        return null;
      }
    }
  }

  /**
   * The names of the nested choices of an imported NNI space: each choice {@code P} that has a
   * parameter named {@code P.OPTION.k} active only when {@code P} is {@code OPTION}. (A nested
   * choice none of whose options has parameters cannot be told from a plain one; it stays plain.)
   */
  public static Set<String> nestedChoices(SearchSpace space) {
    Set<String> out = new java.util.TreeSet<>();
    if (space instanceof ParameterSpace ps) {
      for (SpaceNode node : ps.nodes()) {
        node.when().anyOf().forEach((parent, values) -> {
          if (values.size() == 1 && node.name().startsWith(parent + "." + values.getFirst() + ".")) {
            out.add(parent);
          }
        });
      }
    }
    return out;
  }

  /**
   * A flat configuration's values as NNI hands them to trial code: each nested choice {@code P}
   * with value {@code OPTION} becomes {@code {"_name": OPTION, k: …}} holding the values of {@code
   * P.OPTION.k} (nested again where {@code k} is itself a nested choice); other values stay as they
   * are. Keys keep the configuration's order.
   *
   * @param nested the nested choices' names ({@link #nestedChoices(SearchSpace)})
   */
  public static Map<String, Object> nest(Map<String, Object> values, Set<String> nested) {
    return nestLevel(values, nested, "");
  }

  private static Map<String, Object> nestLevel(Map<String, Object> values, Set<String> nested, String prefix) {
    Map<String, Map<String, Object>> subs = new java.util.LinkedHashMap<>();
    Set<String> consumed = new java.util.HashSet<>();
    for (Map.Entry<String, Object> e : values.entrySet()) {
      if (nested.contains(prefix + e.getKey())) {
        String head = e.getKey() + "." + e.getValue() + ".";
        Map<String, Object> sub = new java.util.LinkedHashMap<>();
        values.forEach((k, v) -> {
          if (k.startsWith(head)) {
            sub.put(k.substring(head.length()), v);
            consumed.add(k);
          }
        });
        subs.put(e.getKey(), sub);
      }
    }
    Map<String, Object> out = new java.util.LinkedHashMap<>();
    for (Map.Entry<String, Object> e : values.entrySet()) {
      String key = e.getKey();
      if (consumed.contains(key)) {
        continue;
      }
      Map<String, Object> sub = subs.get(key);
      if (sub == null) {
        out.put(key, e.getValue());
      } else {
        Map<String, Object> object = new java.util.LinkedHashMap<>();
        object.put("_name", e.getValue());
        object.putAll(nestLevel(sub, nested, prefix + key + "." + e.getValue() + "."));
        out.put(key, object);
      }
    }
    return out;
  }

  private static double round12(double x) {
    return x == 0 ? 0 : new java.math.BigDecimal(x).round(new java.math.MathContext(12)).doubleValue();
  }

  private static boolean integral(double x) {
    return x == Math.rint(x) && Math.abs(x) < 1e15;
  }

  /** The multiples of q in [low, high]: int with step q or float with step q, or a constant. */
  static SpaceNode quantized(String name, double low, double high, double q, Condition when, NormalPrior prior) {
    double lo = round12(Math.ceil(low / q - 1e-9) * q);
    double hi = round12(Math.floor(high / q + 1e-9) * q);
    if (hi < lo) {
      throw new IllegalArgumentException("no multiple of q = " + q + " lies in [" + low + ", " + high
          + "]; lower q or widen the range");
    }
    if (integral(q) && integral(lo) && integral(hi)) {
      return lo == hi ? new ConstantParameter(name, (long) lo, when)
          : new IntParameter(name, (long) lo, (long) hi, (long) q, false, null, when, prior);
    }
    return lo == hi ? new ConstantParameter(name, lo, when)
        : new FloatParameter(name, lo, hi, q, false, null, when, prior);
  }

  /** A log range quantised by q: log int with step q when the multiples are integers, else log float with step q. */
  static SpaceNode quantizedLog(String name, double low, double high, double q, Condition when, NormalPrior prior) {
    double lo = round12(Math.max(q, Math.ceil(low / q - 1e-9) * q));
    double hi = round12(Math.floor(high / q + 1e-9) * q);
    if (hi < lo) {
      throw new IllegalArgumentException("no positive multiple of q = " + q + " lies in [" + low + ", " + high
          + "]; lower q or widen the range");
    }
    if (integral(q) && integral(lo) && integral(hi)) {
      return lo == hi ? new ConstantParameter(name, (long) lo, when)
          : new IntParameter(name, (long) lo, (long) hi, (long) q, true, null, when, prior);
    }
    return lo == hi ? new ConstantParameter(name, lo, when)
        : new FloatParameter(name, lo, hi, q, true, null, when, prior);
  }
}
