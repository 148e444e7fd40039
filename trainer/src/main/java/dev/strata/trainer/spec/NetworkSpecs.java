package dev.strata.trainer.spec;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.std.DelegatingDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

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
      // no silent coercion: "64" is not 64, 64.5 is not 64, "true" is not true, 3 is not "3"
      // (an integer where a floating-point number is expected stays fine: 1 is 1.0)
      .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
      .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
      .withCoercionConfig(LogicalType.Textual, c -> c
          .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
      .addModule(new SimpleModule("strict-names").setDeserializerModifier(new BeanDeserializerModifier() {
        @Override
        public JsonDeserializer<?> modifyEnumDeserializer(DeserializationConfig config, JavaType type,
            BeanDescription beanDesc, JsonDeserializer<?> deserializer) {
          return new StrictEnum(deserializer);
        }
      }))
      .build();

  private NetworkSpecs() {}

  /** An enum read only from a JSON string: {@code 3} or {@code true} is not turned into {@code "3"}. */
  private static final class StrictEnum extends DelegatingDeserializer {
    StrictEnum(JsonDeserializer<?> delegate) {
      super(delegate);
    }

    @Override
    protected JsonDeserializer<?> newDelegatingInstance(JsonDeserializer<?> delegate) {
      return new StrictEnum(delegate);
    }

    @Override
    public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      JsonToken t = p.currentToken();
      if (t != null && t.isScalarValue() && t != JsonToken.VALUE_STRING && t != JsonToken.VALUE_NULL) {
        return ctxt.reportInputMismatch(handledType(), "expected a string, got %s", t);
      }
      return _delegatee.deserialize(p, ctxt);
    }
  }

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
      throw translate(e, source, () -> {
        try {
          return MAPPER.readTree(json);
        } catch (JsonProcessingException again) {
          return MissingNode.getInstance();
        }
      });
    }
  }

  /** Converts an already parsed JSON tree (e.g. part of a larger document); pointers are relative to it. */
  public static NetworkSpec fromTree(JsonNode node, String source) {
    try {
      return MAPPER.treeToValue(node, NetworkSpec.class);
    } catch (JsonProcessingException e) {
      throw translate(e, source, () -> node);
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

  static SpecException translate(JsonProcessingException e, String source, Supplier<JsonNode> root) {
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
    String wrongType = me instanceof MismatchedInputException m && root != null
        ? wrongScalar(m.getTargetType(), root.get().at(pointer)) : null;
    if (wrongType != null) {
      return SpecException.at(pointer, wrongType).located(location);
    }
    String msg = me.getOriginalMessage();
    int cut = msg.indexOf('\n');
    return SpecException.at(pointer, (cut >= 0 ? msg.substring(0, cut) : msg)
        + "; check the value's type (number, string, boolean, list or object)").located(location);
  }

  /**
   * For a scalar of the wrong JSON type ({@code "64"} or {@code 64.5} for an integer, {@code "0.1"}
   * for a number, {@code "true"} for a boolean, {@code 3} for a name, or a list or object where any
   * of these belongs): what was expected, what was
   * found and how to write it; null for any other problem. {@code target} is the Java type that was
   * being read and {@code value} the offending JSON value (null when unknown).
   */
  public static String wrongScalar(Class<?> target, JsonNode value) {
    if (target == null || value == null || value.isMissingNode() || value.isNull()) {
      return null;
    }
    String got = describe(value);
    if (target == int.class || target == Integer.class || target == long.class || target == Long.class
        || target == short.class || target == Short.class) {
      String fix;
      if (value.isTextual()) {
        String s = value.asText().strip();
        fix = s.matches("[-+]?\\d{1,18}") ? "write " + s + " without quotes" : "write a whole number such as 64, without quotes";
      } else if (value.isNumber() && !value.isIntegralNumber()) {
        double d = value.doubleValue();
        fix = d == Math.rint(d) && Math.abs(d) < 1e15
            ? "write " + (long) d + " with no decimal point or exponent"
            : "this field takes whole numbers, e.g. " + (long) Math.floor(d) + " or " + (long) Math.ceil(d);
      } else if (value.isNumber()) {
        return null; // an integer out of range: not a type problem
      } else {
        fix = "write a whole number such as 64";
      }
      return "expected an integer, got " + got + "; " + fix;
    }
    if (target == double.class || target == Double.class || target == float.class || target == Float.class) {
      if (value.isNumber()) {
        return null;
      }
      String fix = value.isTextual() && value.asText().strip().matches("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?")
          ? "write " + value.asText().strip() + " without quotes"
          : "write a number such as 0.001" + (value.isTextual() ? ", without quotes" : "");
      return "expected a number, got " + got + "; " + fix;
    }
    if (target == boolean.class || target == Boolean.class) {
      if (value.isBoolean()) {
        return null;
      }
      String s = value.asText().strip().toLowerCase(Locale.ROOT);
      String fix = value.isTextual() && (s.equals("true") || s.equals("false"))
          ? "write " + s + " without quotes" : "write true or false" + (value.isTextual() ? ", without quotes" : "");
      return "expected true or false, got " + got + "; " + fix;
    }
    if (target == String.class || target.isEnum()) {
      if (value.isTextual()) {
        return null;
      }
      String fix = "put it in double quotes";
      if (target.isEnum()) {
        List<String> names = new ArrayList<>();
        for (Object c : target.getEnumConstants()) {
          names.add(c.toString());
        }
        fix = "use one of " + String.join(", ", names) + ", in double quotes";
      }
      return "expected a string, got " + got + "; " + fix;
    }
    return null;
  }

  /** {@code "64" (a string)}, {@code 64.5 (a number)}, {@code true (a boolean)}. */
  public static String describe(JsonNode value) {
    if (value.isTextual()) {
      return value.toString() + " (a string)";
    }
    if (value.isBoolean()) {
      return value.asText() + " (a boolean)";
    }
    if (value.isNumber()) {
      return value.asText() + " (a number)";
    }
    return value.isNull() ? "null" : value.isArray() ? "a list" : value.isObject() ? "an object" : value.toString();
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
