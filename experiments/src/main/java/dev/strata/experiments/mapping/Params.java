package dev.strata.experiments.mapping;

import dev.strata.trainer.spec.Activation;
import dev.strata.trainer.spec.SpecException;
import java.util.Map;
import java.util.function.Function;

/** Reads configuration values for the mappers, rejecting a bad one with its place and the fix. Stateless. */
final class Params {

  private Params() {}

  /** Thrown inside a mapper to reject; turned into {@link Mapping.Rejected}. */
  static final class Reject extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Reject(String message) {
      super(message, null, false, false);
    }
  }

  /** Thrown inside a mapper for a point of the space that makes no network; see {@link Mapping.Rejected#inSpace()}. */
  static final class Unbuildable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Unbuildable(String message) {
      super(message, null, false, false);
    }
  }

  static <T> T named(String where, Object value, Function<String, T> parse) {
    String s = string(where, value);
    try {
      return parse.apply(s);
    } catch (SpecException e) {
      throw new Reject(where + ": " + e.problem());
    }
  }

  static Activation activation(String where, Object value) {
    return named(where, value, Activation::of);
  }

  static Object require(String where, Map<String, Object> b, String key) {
    Object v = b.get(key);
    if (v == null) {
      throw new Reject(where + ": missing '" + key + "'; add it to the block parameters");
    }
    return v;
  }

  static String string(String where, Object v) {
    if (v instanceof String s) {
      return s;
    }
    throw new Reject(where + " must be a name, got " + show(v));
  }

  static boolean bool(String where, Object v) {
    if (v instanceof Boolean b) {
      return b;
    }
    if (v instanceof Number n && (n.doubleValue() == 0 || n.doubleValue() == 1)) {
      return n.doubleValue() == 1;
    }
    throw new Reject(where + " must be true or false, got " + show(v));
  }

  static double number(String where, Object v) {
    if (v instanceof Number n && Double.isFinite(n.doubleValue())) {
      return n.doubleValue();
    }
    throw new Reject(where + " must be a finite number, got " + show(v));
  }

  static int integer(String where, Object v, int min) {
    double d = number(where, v);
    if (d != Math.rint(d) || d < min || d > Integer.MAX_VALUE) {
      throw new Reject(where + " must be a whole number >= " + min + ", got " + show(v));
    }
    return (int) d;
  }

  static int positive(String where, Object v) {
    return integer(where, v, 1);
  }

  static double positiveDouble(String where, Object v) {
    double d = number(where, v);
    if (!(d > 0)) {
      throw new Reject(where + " must be > 0, got " + show(v));
    }
    return d;
  }

  static double fraction(String where, Object v) {
    double d = number(where, v);
    if (!(d >= 0 && d < 1)) {
      throw new Reject(where + " must be in [0, 1), got " + show(v));
    }
    return d;
  }

  static String show(Object v) {
    return v instanceof String s ? "'" + s + "'" : String.valueOf(v);
  }
}
