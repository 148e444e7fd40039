package dev.strata.search.strategy;

import dev.strata.common.DidYouMean;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The checked options of one strategy: every key must be known, every value of the right type and
 * range. Errors name the strategy, the option, what was given and what is allowed.
 *
 * <p>Immutable and thread-safe.
 */
public final class Options {

  private final String strategy;
  private final Map<String, Object> values;

  private Options(String strategy, Map<String, Object> values) {
    this.strategy = strategy;
    this.values = values;
  }

  /**
   * Checks the keys of {@code options} against {@code allowed}.
   *
   * @throws IllegalArgumentException naming the first unknown option and the allowed ones
   */
  public static Options of(String strategy, Map<String, Object> options, Set<String> allowed) {
    Map<String, Object> values = options == null ? Map.of() : options;
    for (String key : new TreeSet<>(values.keySet())) {
      if (!allowed.contains(key)) {
        String known = allowed.isEmpty() ? "none" : String.join(", ", new TreeSet<>(allowed));
        throw new IllegalArgumentException("unknown option '" + key + "' for strategy '" + strategy + "'"
            + didYouMean(key, allowed) + "; allowed: " + known);
      }
    }
    return new Options(strategy, values);
  }

  /** An integer option in {@code [min, max]}, or the default when absent. */
  public int intValue(String key, int defaultValue, int min, int max) {
    Object v = values.get(key);
    if (v == null) {
      return defaultValue;
    }
    if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
      throw bad(key, v, "an integer");
    }
    double d = n.doubleValue();
    if (d < min || d > max) {
      throw bad(key, v, "an integer in [" + min + ", " + max + "]");
    }
    return (int) d;
  }

  /** A number option in {@code [min, max]}, or the default when absent. */
  public double doubleValue(String key, double defaultValue, double min, double max) {
    Object v = values.get(key);
    if (v == null) {
      return defaultValue;
    }
    if (!(v instanceof Number n) || !(n.doubleValue() >= min && n.doubleValue() <= max)) {
      throw bad(key, v, "a number in [" + min + ", " + max + "]");
    }
    return n.doubleValue();
  }

  /** A string option that must be one of {@code choices}, or the default when absent. */
  public String choice(String key, String defaultValue, List<String> choices) {
    Object v = values.get(key);
    if (v == null) {
      return defaultValue;
    }
    if (!(v instanceof String s) || !choices.contains(s)) {
      String hint = v instanceof String s ? didYouMean(s, choices) : "";
      throw new IllegalArgumentException("option '" + key + "' of strategy '" + strategy + "' is "
          + show(v) + hint + "; use one of " + String.join(", ", choices));
    }
    return s;
  }

  /** A boolean option, or the default when absent. */
  public boolean booleanValue(String key, boolean defaultValue) {
    Object v = values.get(key);
    if (v == null) {
      return defaultValue;
    }
    if (!(v instanceof Boolean b)) {
      throw bad(key, v, "true or false");
    }
    return b;
  }

  private IllegalArgumentException bad(String key, Object v, String expected) {
    return new IllegalArgumentException("option '" + key + "' of strategy '" + strategy + "' is " + show(v)
        + "; expected " + expected);
  }

  private static String show(Object v) {
    return v instanceof String s ? "'" + s + "'" : String.valueOf(v);
  }

  /**
   * {@code " (did you mean 'x'?)"} for the closest of {@code known} within a small edit distance,
   * else {@code ""}.
   */
  public static String didYouMean(String word, Collection<String> known) {
    return DidYouMean.closest(word, known).map(best -> " (did you mean '" + best + "'?)").orElse("");
  }
}
