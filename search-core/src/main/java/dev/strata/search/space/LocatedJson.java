package dev.strata.search.space;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A JSON document read into a Jackson tree that remembers where every value and every object key
 * starts, so that a later check can report {@code file:line:col /pointer}.
 *
 * <p>Reading is strict: duplicate keys (Jackson's {@code STRICT_DUPLICATE_DETECTION}) and syntax
 * errors become a {@link SpaceException} at the offending line and column. The experiments module
 * reads a whole experiment file with {@link #parse(String, String)} and hands the space part to
 * {@link SpaceReader#read(LocatedJson, JsonPointer)}.
 *
 * <p>Immutable after construction and thread-safe (do not modify the returned tree).
 */
public final class LocatedJson {

  /** A 1-based line and column; {@link #UNKNOWN} (0:0) when there is none. */
  public record Position(int line, int column) {
    public static final Position UNKNOWN = new Position(0, 0);
  }

  private static final JsonFactory FACTORY = JsonFactory.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build();
  private static final Pattern DUPLICATE = Pattern.compile("Duplicate (?:field|Object property) '(.*)'");

  private final String source;
  private final JsonNode root;
  private final Map<String, Position> values;
  private final Map<String, Position> keys;

  private LocatedJson(String source, JsonNode root, Map<String, Position> values, Map<String, Position> keys) {
    this.source = source;
    this.root = root;
    this.values = values;
    this.keys = keys;
  }

  /** Reads a file (UTF-8); a missing or unreadable file is a {@link SpaceException} too. */
  public static LocatedJson read(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new SpaceException(new SpaceException.Problem(file.toString(), 0, 0, "",
          "file not found; check the path"));
    } catch (IOException e) {
      throw new SpaceException(new SpaceException.Problem(file.toString(), 0, 0, "",
          "cannot read the file (" + e.getMessage() + "); check its permissions"));
    }
    return parse(text, file.toString());
  }

  /**
   * Parses JSON text.
   *
   * @param source the name used in error messages, usually the file name
   * @throws SpaceException on a syntax error or a duplicate key
   */
  public static LocatedJson parse(String text, String source) {
    Map<String, Position> values = new HashMap<>();
    Map<String, Position> keys = new HashMap<>();
    try (JsonParser parser = FACTORY.createParser(text)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        throw new SpaceException(new SpaceException.Problem(source, 1, 1, "",
            "the document is empty; write a JSON object such as {\"x\": {\"float\": [0, 1]}}"));
      }
      JsonNode root = readValue(parser, "", values, keys);
      JsonToken extra = parser.nextToken();
      if (extra != null) {
        Position at = position(parser.currentTokenLocation());
        throw new SpaceException(new SpaceException.Problem(source, at.line(), at.column(), "",
            "unexpected content after the end of the JSON document; remove it"));
      }
      return new LocatedJson(source, root, values, keys);
    } catch (StreamReadException e) {
      throw syntaxError(source, text, e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static SpaceException syntaxError(String source, String text, StreamReadException e) {
    Position at = e.getLocation() == null ? Position.UNKNOWN : position(e.getLocation());
    String pointer = "";
    if (e.getProcessor() instanceof JsonParser p && p.getParsingContext() != null) {
      pointer = p.getParsingContext().pathAsPointer().toString();
    }
    String original = e.getOriginalMessage();
    Matcher dup = DUPLICATE.matcher(original);
    String message;
    if (dup.find()) {
      String key = dup.group(1);
      String parent = pointer;
      if (parent.endsWith("/" + Pointers.escape(key))) {
        parent = parent.substring(0, parent.length() - key.length() - 1);
      }
      pointer = Pointers.child(parent, key);
      at = keyStart(text, at);
      message = "duplicate key '" + key + "'; a name may appear only once in an object: rename or remove one";
    } else {
      String first = original.lines().findFirst().orElse(original);
      message = "invalid JSON: " + first + "; fix the syntax here";
    }
    return new SpaceException(new SpaceException.Problem(source, at.line(), at.column(), pointer, message));
  }

  /**
   * Jackson reports a duplicate key just after its closing quote; this finds the opening quote on
   * the same line (keys cannot span lines).
   */
  private static Position keyStart(String text, Position end) {
    String[] lines = text.split("\n", -1);
    if (end.line() < 1 || end.line() > lines.length) {
      return end;
    }
    String line = lines[end.line() - 1];
    int close = Math.min(end.column() - 2, line.length() - 1);
    for (int i = close - 1; i >= 0; i--) {
      if (line.charAt(i) == '"' && (i == 0 || line.charAt(i - 1) != '\\')) {
        return new Position(end.line(), i + 1);
      }
    }
    return end;
  }

  private static JsonNode readValue(JsonParser p, String pointer, Map<String, Position> values,
      Map<String, Position> keys) throws IOException {
    values.put(pointer, position(p.currentTokenLocation()));
    JsonNodeFactory nodes = JsonNodeFactory.instance;
    JsonToken token = p.currentToken();
    return switch (token) {
      case START_OBJECT -> {
        ObjectNode object = nodes.objectNode();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          String child = Pointers.child(pointer, name);
          keys.put(child, position(p.currentTokenLocation()));
          p.nextToken();
          object.set(name, readValue(p, child, values, keys));
        }
        yield object;
      }
      case START_ARRAY -> {
        ArrayNode array = nodes.arrayNode();
        int index = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
          array.add(readValue(p, pointer + "/" + index, values, keys));
          index++;
        }
        yield array;
      }
      case VALUE_STRING -> nodes.textNode(p.getText());
      case VALUE_NUMBER_INT -> switch (p.getNumberType()) {
        case INT -> nodes.numberNode(p.getIntValue());
        case LONG -> nodes.numberNode(p.getLongValue());
        default -> nodes.numberNode(p.getBigIntegerValue());
      };
      case VALUE_NUMBER_FLOAT -> nodes.numberNode(p.getDoubleValue());
      case VALUE_TRUE -> nodes.booleanNode(true);
      case VALUE_FALSE -> nodes.booleanNode(false);
      case VALUE_NULL -> nodes.nullNode();
      default -> throw new IllegalStateException("unexpected token " + token);
    };
  }

  private static Position position(JsonLocation location) {
    return new Position(location.getLineNr(), location.getColumnNr());
  }

  /** The name used in error messages. */
  public String source() {
    return source;
  }

  /** The whole document. */
  public JsonNode root() {
    return root;
  }

  /** The node at a pointer, or a missing node. */
  public JsonNode at(JsonPointer pointer) {
    return root.at(pointer);
  }

  /**
   * Where the value at a pointer starts; for a pointer into nothing, the position of its nearest
   * existing ancestor.
   */
  public Position locate(String pointer) {
    for (String p = pointer; ; p = Pointers.parent(p)) {
      Position at = values.get(p);
      if (at != null) {
        return at;
      }
      if (p.isEmpty()) {
        return Position.UNKNOWN;
      }
    }
  }

  /** Where the key naming the value at a pointer starts (falls back to {@link #locate}). */
  public Position locateKey(String pointer) {
    Position at = keys.get(pointer);
    return at != null ? at : locate(pointer);
  }
}
