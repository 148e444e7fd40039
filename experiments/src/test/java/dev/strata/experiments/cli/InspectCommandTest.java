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

  private static final String CELLS = """
      {"image": {"channels": 1, "height": 8, "width": 8}, "outputs": 10,
       "blocks": [{"type": "conv", "filters": 8, "batchNorm": true},
                  {"type": "cell", "edges": ["conv_3x3", "skip_connect", "conv_1x1", "avg_pool_3x3", "none", "conv_3x3"]},
                  {"type": "conv_residual", "filters": 16, "stride": 2},
                  {"type": "cell", "edges": ["conv_3x3", "skip_connect", "conv_1x1", "avg_pool_3x3", "none", "conv_3x3"]},
                  {"type": "pool", "mode": "global"}],
       "training": {"init": {"type": "he_normal"}}, "seed": 3}
      """;

  /** The repository's examples/ directory, found upwards from the working directory. */
  private static Path example(String name) {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      if (Files.isRegularFile(d.resolve("examples").resolve(name))) {
        return d.resolve("examples").resolve(name);
      }
    }
    throw new AssertionError("no examples/" + name + " above " + Path.of("").toAbsolutePath());
  }

  /** LeNet-like: conv, max pool (the ReLU moved into it), conv, max pool, dense output; He init: critical. */
  @Test
  void inspectsTheConvolutionalExample() throws Exception {
    Cli.Result r = Cli.execute("inspect", example("fashion-mnist-cnn.json").toString(), "--rows", "8");
    assertEquals(0, r.code(), r.err());
    String out = r.out();
    assertTrue(out.contains("verdict: critical (χ₁ = 1.00): signal and gradients reach through all 3 layers"), out);
    assertTrue(out.lines().anyMatch(l -> l.matches("blocks\\.0\\.conv0 +9 +16 +784 .*")), out);
    assertTrue(out.lines().anyMatch(l -> l.matches("blocks\\.2\\.conv0 +144 +32 +196 .*")), out);
    assertTrue(out.lines().anyMatch(l -> l.matches("blocks\\.0\\.conv0\\.act +relu +16 +784 .*")), out);
    assertTrue(out.lines().anyMatch(l -> l.matches("proxies \\(8 rows.*synflow \\d.*naswot \\d.*")), out);
  }

  /** A NAS-Bench-201 cell network on the digits read as 1x8x8 images: additive verdict naming the cells. */
  @Test
  void inspectsACellNetworkOnDigits() throws Exception {
    Path spec = Files.writeString(dir.resolve("cells.json"), CELLS);
    Cli.Result r = Cli.execute("inspect", spec.toString(), "--dataset", "digits", "--json");
    assertEquals(0, r.code(), r.err());
    JsonNode json = new ObjectMapper().readTree(r.out());
    assertEquals("residual", json.get("verdict").get("phase").asText());
    assertTrue(json.get("verdict").get("reason").asText().contains("blocks.1.cell0 to blocks.3.cell0, 3 additive units"),
        json.get("verdict").toString());
    List<String> layers = new java.util.ArrayList<>();
    json.get("layers").forEach(l -> layers.add(l.get("name").asText()));
    assertEquals(List.of("blocks.0.conv0", "blocks.1.cell0.edge01", "blocks.1.cell0.edge12", "blocks.1.cell0.edge23",
        "blocks.2.unit0.conv0", "blocks.2.unit0.conv1", "blocks.2.unit0.shortcut", "blocks.3.cell0.edge01",
        "blocks.3.cell0.edge12", "blocks.3.cell0.edge23", "output"), layers);
    for (JsonNode l : json.get("layers")) {
      assertTrue(l.get("qTheory").isNumber() && l.get("qMeasured").isNumber() && l.get("gradientNorm").isNumber(), l.toString());
    }
    assertEquals(9, json.get("activations").size(), json.get("activations").toString());
    for (String proxy : List.of("gradNorm", "snip", "synflow", "naswot")) {
      assertTrue(json.get("proxies").get(proxy).isNumber(), proxy + ": " + json.get("proxies"));
    }
  }

  /**
   * A residual relu network under Glorot init (sigma_w^2 = 1, no bias): q* = 0 exactly and
   * the theory line gives chi_1 = sigma_w^2 / 2, not the residual verdict's NaN.
   */
  @Test
  void theTheoryLineGivesChiOneForAResidualNetwork() throws Exception {
    Path spec = Files.writeString(dir.resolve("res.json"), """
        {"image": {"channels": 1, "height": 8, "width": 8}, "outputs": 10,
         "blocks": [{"type": "conv", "filters": 8, "batchNorm": true},
                    {"type": "conv_residual", "filters": 8}, {"type": "pool", "mode": "global"}],
         "training": {"init": {"type": "glorot_uniform"}}}""");
    Cli.Result r = Cli.execute("inspect", spec.toString(), "--rows", "4");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().lines().anyMatch(l -> l.matches("theory: relu, σ_w² = 1\\.000, σ_b² = 0\\.000, q\\* = 0\\.000, χ₁ = 0\\.500, ξ = 1\\.4")),
        r.out());
    assertFalse(r.out().contains("NaN"), r.out());
    assertTrue(r.out().contains("verdict: residual"), r.out());
    JsonNode json = new ObjectMapper().readTree(Cli.execute("inspect", spec.toString(), "--rows", "4", "--json").out());
    assertEquals(0.5, json.get("theory").get("chi1").asDouble(), 1e-12, json.toString());
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
