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

  /**
   * Reads a file as UTF-8 (a UTF-8 byte-order mark is skipped); a missing or unreadable file, and
   * one that is not UTF-8 text (UTF-16 or UTF-32, Latin-1, binary), is a {@link SpaceException}
   * at the offending byte with the fix.
   */
  public static LocatedJson read(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new SpaceException(new SpaceException.Problem(file.toString(), 0, 0, "",
          "file not found; check the path"));
    } catch (java.nio.file.AccessDeniedException e) {
      throw new SpaceException(new SpaceException.Problem(file.toString(), 0, 0, "",
          "cannot read the file: permission denied; check its permissions"));
    } catch (IOException e) {
      throw new SpaceException(new SpaceException.Problem(file.toString(), 0, 0, "",
          "cannot read the file (" + e.getMessage() + "); check that it is a readable file"));
    }
    return parse(decode(bytes, file.toString()), file.toString());
  }

  /**
   * JSON text from bytes: UTF-8, with a leading byte-order mark skipped. Anything else is refused
   * at the first offending byte, by line and column, with what to do.
   */
  public static String decode(byte[] bytes, String source) {
    int start = 0;
    if (bytes.length >= 3 && (bytes[0] & 0xff) == 0xef && (bytes[1] & 0xff) == 0xbb && (bytes[2] & 0xff) == 0xbf) {
      start = 3;
    } else if (bytes.length >= 2 && ((bytes[0] & 0xff) == 0xfe && (bytes[1] & 0xff) == 0xff
        || (bytes[0] & 0xff) == 0xff && (bytes[1] & 0xff) == 0xfe)) {
      throw new SpaceException(new SpaceException.Problem(source, 1, 1, "",
          "the file is UTF-16 or UTF-32 text (it starts with that byte-order mark); save it as UTF-8"));
    }
    for (int i = start; i < bytes.length; i++) {
      if (bytes[i] == 0) {
        Position at = positionOfByte(bytes, start, i);
        boolean wide = i + 1 < bytes.length && bytes[i + 1] != 0 || i > start && bytes[i - 1] != 0;
        throw new SpaceException(new SpaceException.Problem(source, at.line(), at.column(), "",
            wide && i < start + 4 ? "the file is UTF-16 or UTF-32 text (a NUL byte at its start); save it as UTF-8"
                : "the file holds a NUL byte, so it is binary data, not JSON text; check the path"));
      }
    }
    java.nio.charset.CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
        .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
    java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(bytes, start, bytes.length - start);
    java.nio.CharBuffer out = java.nio.CharBuffer.allocate((int) Math.min(Integer.MAX_VALUE - 16, (long) bytes.length + 1));
    java.nio.charset.CoderResult r = decoder.decode(in, out, true);
    if (r.isError()) {
      int bad = in.position();
      Position at = positionOfByte(bytes, start, bad);
      throw new SpaceException(new SpaceException.Problem(source, at.line(), at.column(), "",
          String.format(java.util.Locale.ROOT, "byte 0x%02X is not valid UTF-8 (the file is in another encoding, such as"
              + " Latin-1 or Windows-1252); save it as UTF-8", bytes[bad] & 0xff)));
    }
    decoder.flush(out);
    out.flip();
    return out.toString();
  }

  /** The 1-based line and column (in characters) of byte {@code index}, counting from {@code start}. */
  private static Position positionOfByte(byte[] bytes, int start, int index) {
    int line = 1;
    int column = 1;
    for (int i = start; i < index; i++) {
      if (bytes[i] == '\n') {
        line++;
        column = 1;
      } else if ((bytes[i] & 0xc0) != 0x80) {
        column++; // a UTF-8 continuation byte does not start a character
      }
    }
    return new Position(line, column);
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
    if (!text.isEmpty() && text.charAt(0) == '\ufeff') {
      text = text.substring(1); // a byte-order mark is no JSON, but harmless
    }
    JsonParser open = null;
    try (JsonParser parser = FACTORY.createParser(text)) {
      open = parser;
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
    } catch (com.fasterxml.jackson.core.exc.StreamConstraintsException e) {
      throw limitExceeded(source, open, e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One located line for a Jackson stream limit (nesting depth, string, number or document length). */
  private static SpaceException limitExceeded(String source, JsonParser parser,
      com.fasterxml.jackson.core.exc.StreamConstraintsException e) {
    Position at = e.getLocation() != null ? position(e.getLocation())
        : parser != null ? position(parser.currentLocation()) : Position.UNKNOWN;
    String pointer = parser != null && parser.getParsingContext() != null ? parser.getParsingContext().pathAsPointer().toString() : "";
    String original = String.valueOf(e.getOriginalMessage());
    String what;
    if (original.contains("nesting depth")) {
      what = "the JSON nests deeper than " + com.fasterxml.jackson.core.StreamReadConstraints.DEFAULT_MAX_DEPTH
          + " levels; an experiment file never needs that: check that it is the right file";
    } else if (original.contains("String value length")) {
      what = "a string is longer than " + com.fasterxml.jackson.core.StreamReadConstraints.DEFAULT_MAX_STRING_LEN / 1_000_000
          + " MB; an experiment file never needs that: check that it is the right file";
    } else if (original.contains("Number value length")) {
      what = "a number has more than " + com.fasterxml.jackson.core.StreamReadConstraints.DEFAULT_MAX_NUM_LEN
          + " digits; write it with fewer digits";
    } else {
      what = "the JSON exceeds a reading limit (" + original.lines().findFirst().orElse(original)
          + "); check that it is the right file";
    }
    return new SpaceException(new SpaceException.Problem(source, at.line(), at.column(), pointer, what));
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
    } else if (original.contains("ALLOW_NON_NUMERIC_NUMBERS") || original.matches("(?s).*Non-standard token '[-+]?(NaN|Infinity|INF)'.*")) {
      message = "NaN and Infinity are not JSON numbers; write a finite number here";
    } else {
      String first = original.lines().findFirst().orElse(original)
          .replaceAll("\\s*\\(for Object starting at \\[Source.*", "");
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
