package dev.strata.search.space;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading limits and encodings: each failure is one located line with the right fix; a BOM is accepted. */
class LocatedJsonTest {

  @TempDir Path tmp;

  private SpaceException.Problem refused(byte[] bytes) throws Exception {
    Path f = tmp.resolve("e.json");
    Files.write(f, bytes);
    SpaceException e = assertThrows(SpaceException.class, () -> LocatedJson.read(f));
    assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    return e.problems().getFirst();
  }

  @Test
  void aUtf8ByteOrderMarkIsAccepted() throws Exception {
    Path f = tmp.resolve("bom.json");
    byte[] body = "{\"a\": 1}".getBytes(StandardCharsets.UTF_8);
    byte[] bytes = new byte[body.length + 3];
    bytes[0] = (byte) 0xef;
    bytes[1] = (byte) 0xbb;
    bytes[2] = (byte) 0xbf;
    System.arraycopy(body, 0, bytes, 3, body.length);
    Files.write(f, bytes);
    assertEquals(1, LocatedJson.read(f).root().get("a").asInt());
    assertEquals(1, LocatedJson.parse("\ufeff{\"a\": 1}", "s").root().get("a").asInt());
  }

  @Test
  void latin1IsLocatedAtTheBadByteAndAsksForUtf8() throws Exception {
    SpaceException.Problem p = refused("{\n  \"name\": \"caf\u00e9\"\n}".getBytes(StandardCharsets.ISO_8859_1));
    assertEquals(2, p.line());
    assertEquals(15, p.column());
    assertTrue(p.message().contains("0xE9") && p.message().contains("save it as UTF-8"), p.message());
  }

  @Test
  void utf16AndBinaryAreNamedForWhatTheyAre() throws Exception {
    assertTrue(refused("{\"a\": 1}".getBytes(StandardCharsets.UTF_16)).message().contains("UTF-16"));
    assertTrue(refused("{\"a\": 1}".getBytes(StandardCharsets.UTF_16LE)).message().contains("UTF-16"));
    SpaceException.Problem bin = refused(new byte[] {'{', '"', 'a', '"', ':', 1, 2, 3, 0, 0, 7, (byte) 0x89});
    assertTrue(bin.message().contains("binary"), bin.message());
  }

  @Test
  void streamLimitsAreOneLocatedLine() {
    String deep = "[".repeat(1200) + "]".repeat(1200);
    SpaceException e = assertThrows(SpaceException.class, () -> LocatedJson.parse(deep, "deep.json"));
    SpaceException.Problem p = e.problems().getFirst();
    assertEquals(1, p.line());
    assertTrue(p.column() > 1000, "at the level that is too deep: " + p);
    assertTrue(p.message().contains("deeper than 1000"), p.message());
  }

  @Test
  void nanAndInfinityGetAFixNotAJacksonFeatureName() {
    for (String v : new String[] {"NaN", "Infinity", "-Infinity"}) {
      SpaceException e = assertThrows(SpaceException.class, () -> LocatedJson.parse("{\"a\": " + v + "}", "n.json"));
      assertTrue(e.getMessage().contains("NaN and Infinity are not JSON numbers") && !e.getMessage().contains("JsonReadFeature"),
          e.getMessage());
    }
  }
}
