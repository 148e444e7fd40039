package dev.strata.experiments.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/** JSON for the store's text columns and event payloads. Stateless and thread-safe. */
final class Json {

  static final ObjectMapper MAPPER =
      new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  private static final TypeReference<Map<String, Double>> DOUBLES = new TypeReference<>() {};
  private static final TypeReference<Map<String, String>> STRINGS = new TypeReference<>() {};
  private static final TypeReference<Map<String, Object>> OBJECTS = new TypeReference<>() {};
  private static final TypeReference<List<Long>> LONGS = new TypeReference<>() {};

  private Json() {}

  static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write JSON: " + e.getOriginalMessage(), e);
    }
  }

  static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  static Map<String, Double> doubles(String json) {
    return json == null || json.isEmpty() ? Map.of() : read(json, DOUBLES);
  }

  static Map<String, String> strings(String json) {
    return json == null || json.isEmpty() ? Map.of() : read(json, STRINGS);
  }

  static Map<String, Object> objects(String json) {
    return json == null || json.isEmpty() ? Map.of() : read(json, OBJECTS);
  }

  static List<Long> longs(String json) {
    return json == null || json.isEmpty() ? List.of() : read(json, LONGS);
  }

  private static <T> T read(String json, TypeReference<T> type) {
    try {
      return MAPPER.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new StoreException("corrupt JSON column: " + e.getOriginalMessage(), e);
    }
  }
}
