package dev.strata.trainer.spec;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and writes {@link NetworkSpec}s as JSON. Every problem in a document becomes one
 * {@link SpecException} whose message reads {@code source:line:column /json/pointer: what is wrong;
 * how to fix it}, e.g. {@code spec.json:3:5 /blocks/0/widht: unknown field 'widht' (did you mean
 * 'width'?)}. Unknown fields are rejected. Stateless and thread-safe.
 */
public final class NetworkSpecs {

  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
      .enable(SerializationFeature.INDENT_OUTPUT)
      .build();

  private NetworkSpecs() {}

  /** The shared, configured mapper (thread-safe once configured; do not reconfigure it). */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /** Reads a spec from a JSON file. */
  public static NetworkSpec read(Path file) throws IOException {
    return parse(Files.readString(file), file.getFileName().toString());
  }

  /** Parses a spec from a JSON string; locations in messages are named {@code <json>}. */
  public static NetworkSpec fromJson(String json) {
    return parse(json, "<json>");
  }

  /** Parses a spec from JSON text, naming {@code source} in error messages. */
  public static NetworkSpec parse(String json, String source) {
    try {
      return MAPPER.readValue(json, NetworkSpec.class);
    } catch (JsonProcessingException e) {
      throw translate(e, source);
    }
  }

  /** Converts an already parsed JSON tree (e.g. part of a larger document); pointers are relative to it. */
  public static NetworkSpec fromTree(JsonNode node, String source) {
    try {
      return MAPPER.treeToValue(node, NetworkSpec.class);
    } catch (JsonProcessingException e) {
      throw translate(e, source);
    }
  }

  /** Pretty-printed JSON that {@link #fromJson(String)} reads back to an equal spec. */
  public static String toJson(NetworkSpec spec) {
    try {
      return MAPPER.writeValueAsString(spec);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes {@link #toJson(NetworkSpec)} to a file. */
  public static void write(NetworkSpec spec, Path file) throws IOException {
    Files.writeString(file, toJson(spec));
  }

  // ---- error translation ----

  static SpecException translate(JsonProcessingException e, String source) {
    String location = location(source, e.getLocation());
    if (e instanceof JsonParseException) {
      return SpecException.at("", "invalid JSON: " + e.getOriginalMessage()).located(location);
    }
    JsonMappingException me = (JsonMappingException) e;
    String pointer = pointer(me.getPath());
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SpecException se) {
        return SpecException.at(pointer + se.pointer(), se.problem()).located(location);
      }
    }
    if (e instanceof UnrecognizedPropertyException u) {
      List<String> known = new ArrayList<>();
      if (u.getKnownPropertyIds() != null) {
        u.getKnownPropertyIds().forEach(k -> known.add(String.valueOf(k)));
      }
      known.remove("type");
      String suggestion = SpecNames.suggest(u.getPropertyName(), known);
      return SpecException.at(pointer, "unknown field '" + u.getPropertyName() + "'"
          + (suggestion != null ? " (did you mean '" + suggestion + "'?)" : "")
          + "; known fields: " + String.join(", ", known.stream().sorted().toList())).located(location);
    }
    if (e instanceof InvalidTypeIdException t) {
      List<String> types = t.getBaseType() != null && t.getBaseType().getRawClass() == WeightInit.class
          ? WeightInit.TYPES : BlockSpec.TYPES;
      String what = types == BlockSpec.TYPES ? "block type" : "init type";
      if (t.getTypeId() == null) {
        return SpecException.at(pointer + "/type", "is missing; add \"type\" with one of " + String.join(", ", types))
            .located(location);
      }
      String suggestion = SpecNames.suggest(t.getTypeId(), types);
      return SpecException.at(pointer + "/type", "unknown " + what + " '" + t.getTypeId() + "'"
          + (suggestion != null ? " (did you mean '" + suggestion + "'?)" : "")
          + "; use one of " + String.join(", ", types)).located(location);
    }
    String msg = me.getOriginalMessage();
    int cut = msg.indexOf('\n');
    return SpecException.at(pointer, (cut >= 0 ? msg.substring(0, cut) : msg)
        + "; check the value's type (number, string, boolean, list or object)").located(location);
  }

  private static String location(String source, JsonLocation loc) {
    if (loc == null || loc.getLineNr() < 0) {
      return source;
    }
    return source + ":" + loc.getLineNr() + ":" + loc.getColumnNr();
  }

  private static String pointer(List<JsonMappingException.Reference> path) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference r : path) {
      sb.append('/');
      if (r.getFieldName() != null) {
        sb.append(r.getFieldName().replace("~", "~0").replace("/", "~1"));
      } else if (r.getIndex() >= 0) {
        sb.append(r.getIndex());
      } else {
        sb.append('?');
      }
    }
    return sb.toString();
  }
}
