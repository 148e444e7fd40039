package dev.strata.search.space;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Helpers for the JSON-like values of a configuration (same normalisation as Configuration). */
final class Values {

  private Values() {}

  /** Integers to Long, other numbers to Double, maps and lists recursively (unmodifiable). */
  static Object normalize(Object v) {
    if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    }
    if (v instanceof BigInteger b) {
      return b.longValueExact();
    }
    if (v instanceof BigDecimal || v instanceof Float || v instanceof Double) {
      return ((Number) v).doubleValue();
    }
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      m.forEach((k, x) -> out.put(String.valueOf(k), normalize(x)));
      return Collections.unmodifiableMap(out);
    }
    if (v instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      list.forEach(x -> out.add(normalize(x)));
      return Collections.unmodifiableList(out);
    }
    if (v == null || v instanceof String || v instanceof Boolean) {
      return v;
    }
    throw new IllegalArgumentException("unsupported value type " + v.getClass().getName());
  }

  static boolean isScalar(Object v) {
    return v instanceof String || v instanceof Boolean || v instanceof Long || v instanceof Double;
  }

  /** Equality where numbers compare by value (64 equals 64.0); everything else by equals. */
  static boolean same(Object a, Object b) {
    if (a instanceof Number x && b instanceof Number y) {
      return x.doubleValue() == y.doubleValue();
    }
    return java.util.Objects.equals(a, b);
  }

  static int indexOf(List<?> values, Object v) {
    for (int i = 0; i < values.size(); i++) {
      if (same(values.get(i), v)) {
        return i;
      }
    }
    return -1;
  }

  /** A value as it is written in JSON: strings quoted. */
  static String show(Object v) {
    if (v instanceof String s) {
      return "\"" + s + "\"";
    }
    if (v instanceof List<?> list) {
      return list.stream().map(Values::show).collect(Collectors.joining(", ", "[", "]"));
    }
    return String.valueOf(v);
  }
}
