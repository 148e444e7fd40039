package dev.strata.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code strata inspect}: theory, measured table and proxies; bad input in one line with exit 2. */
class InspectCommandTest {

  private static final String DEEP_TANH = """
      {"inputs": 64, "outputs": 10,
       "blocks": [{"type": "plain", "width": 32, "layers": 40, "activation": "tanh"}],
       "training": {"init": {"type": "gaussian", "sigma": 0.7071, "fanInScaled": true}, "biasSigma": 0.2236}}
      """;

  @TempDir Path dir;

  private static void assertOneLineBadInput(Cli.Result r, String fragment) {
    assertEquals(2, r.code(), r.err());
    List<String> lines = r.err().lines().filter(l -> !l.isBlank()).toList();
    assertEquals(1, lines.size(), "exactly one line: " + r.err());
    assertTrue(lines.getFirst().contains(fragment), lines.getFirst());
    assertFalse(r.err().contains("\tat "), "no stack trace");
  }

  @Test
  void printsTheVerdictTheLayersAndTheProxiesOnDigits() throws Exception {
    Path spec = Files.writeString(dir.resolve("deep.json"), DEEP_TANH);
    Cli.Result r = Cli.execute("inspect", spec.toString(), "--dataset", "digits");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("verdict: ordered phase (χ₁ = 0.4"), r.out());
    assertTrue(r.out().contains("41 layers deep: untrainable"), r.out());
    assertTrue(r.out().contains("blocks.0.dense39"), r.out());
    assertTrue(r.out().lines().anyMatch(l -> l.startsWith("proxies (64 rows")), r.out());
  }

  @Test
  void jsonHasOneEntryPerDenseLayer() throws Exception {
    Path spec = Files.writeString(dir.resolve("deep.json"), DEEP_TANH.replace("0.7071", "1.3266"));
    Cli.Result r = Cli.execute("inspect", spec.toString(), "--json", "--rows", "16");
    assertEquals(0, r.code(), r.err());
    JsonNode json = new ObjectMapper().readTree(r.out());
    assertEquals(41, json.get("layers").size());
    assertEquals("critical", json.get("verdict").get("phase").asText(), json.toString());
    assertTrue(json.get("proxies").get("naswot").isNumber());
  }

  @Test
  void badInputIsOneLine() throws Exception {
    assertOneLineBadInput(Cli.execute("inspect", dir.resolve("missing.json").toString()), "no such spec file");
    Path gelu = Files.writeString(dir.resolve("gelu.json"), """
        {"inputs": 64, "outputs": 10, "blocks": [{"type": "plain", "width": 8, "layers": 2, "activation": "gelu"}],
         "training": {"init": {"type": "critical"}, "biasSigma": 0.1}}""");
    assertOneLineBadInput(Cli.execute("inspect", gelu.toString()), "no critical sigma_w for gelu");
    Path wrong = Files.writeString(dir.resolve("wrong.json"), DEEP_TANH.replace("\"inputs\": 64", "\"inputs\": 3"));
    assertOneLineBadInput(Cli.execute("inspect", wrong.toString(), "--dataset", "digits"), "set \"inputs\": 64");
  }
}
