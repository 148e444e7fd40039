package dev.strata.search.trial;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An immutable assignment of values to the active parameters of a search space.
 *
 * <p>Values are JSON-like: {@link String}, {@link Boolean}, {@link Long} (all integers), {@link
 * Double} (all other numbers), {@code null}, {@link List} (a repeat group: one map per element)
 * and {@link Map}. Maps are sorted by key so that the {@link #canonicalJson() canonical JSON} and
 * the {@link #id() id} do not depend on insertion order. Thread-safe.
 */
public record Configuration(Map<String, Object> values) {

  private static final ObjectMapper JSON =
      new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  public Configuration {
    values = canonicalMap(values);
  }

  /** A configuration of the given values (normalised: integers to Long, other numbers to Double). */
  public static Configuration of(Map<String, ?> values) {
    return new Configuration(new LinkedHashMap<>(values));
  }

  /** Parses a canonical (or any) JSON object. */
  public static Configuration fromJson(String json) {
    try {
      @SuppressWarnings("unchecked")
      Map<String, Object> map = JSON.readValue(json, Map.class);
      return new Configuration(map);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a configuration JSON object: " + e.getOriginalMessage(), e);
    }
  }

  /** The value at a top-level name, or null. */
  public Object get(String name) {
    return values.get(name);
  }

  /** The canonical JSON form: keys sorted, no whitespace, numbers normalised. */
  public String canonicalJson() {
    try {
      return JSON.writeValueAsString(values);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A stable id: the first 16 hex digits of the SHA-256 of the canonical JSON. */
  public String id() {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(canonicalJson().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return canonicalJson();
  }

  private static Map<String, Object> canonicalMap(Map<String, ?> map) {
    TreeMap<String, Object> sorted = new TreeMap<>();
    map.forEach((k, v) -> sorted.put(k, canonicalValue(v)));
    return Collections.unmodifiableMap(sorted);
  }

  @SuppressWarnings("unchecked")
  private static Object canonicalValue(Object v) {
    if (v instanceof Map<?, ?> m) {
      return canonicalMap((Map<String, ?>) m);
    }
    if (v instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      list.forEach(e -> out.add(canonicalValue(e)));
      return Collections.unmodifiableList(out);
    }
    if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    }
    if (v instanceof java.math.BigInteger b) {
      return b.longValueExact();
    }
    if (v instanceof Number n) {
      double d = n.doubleValue();
      return d;
    }
    if (v == null || v instanceof String || v instanceof Boolean) {
      return v;
    }
    throw new IllegalArgumentException("unsupported configuration value type " + v.getClass().getName());
  }
}
