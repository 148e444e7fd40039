package dev.strata.trainer.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.strata.trainer.nn.Network;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps {@code docs/network-spec.md} honest: every {@code ```json} block in it must be a complete
 * network spec that {@link NetworkSpecs#read(Path)} (what {@code strata train --spec FILE} calls)
 * accepts and that {@link Network#of(NetworkSpec)} can build.
 */
class NetworkSpecDocTest {

  private static final Pattern JSON_BLOCK = Pattern.compile("(?m)^```json[ \\t]*\\R(.*?)^```[ \\t]*$", Pattern.DOTALL);

  /** Walks up from the working directory to the directory that holds {@code docs/network-spec.md}. */
  static Path doc() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("docs").resolve("network-spec.md");
      if (Files.isDirectory(dir.resolve("docs")) && Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    return fail("no docs/network-spec.md above " + Path.of("").toAbsolutePath());
  }

  static List<String> jsonBlocks(String markdown) {
    List<String> blocks = new ArrayList<>();
    Matcher m = JSON_BLOCK.matcher(markdown);
    while (m.find()) {
      blocks.add(m.group(1));
    }
    return blocks;
  }

  @Test
  void everyJsonBlockIsAValidSpecThatBuildsANetwork(@TempDir Path tmp) throws IOException {
    Path doc = doc();
    List<String> blocks = jsonBlocks(Files.readString(doc, StandardCharsets.UTF_8));
    assertFalse(blocks.isEmpty(), doc + " has no ```json blocks");

    Set<String> blockTypes = new HashSet<>();
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < blocks.size(); i++) {
      Path file = tmp.resolve("network-spec.md-block-" + (i + 1) + ".json");
      Files.writeString(file, blocks.get(i), StandardCharsets.UTF_8);
      try {
        NetworkSpec spec = NetworkSpecs.read(file);
        Network network = Network.of(spec);
        assertTrue(network.parameterCount() > 0, "json block " + (i + 1) + " builds a network without parameters");
        assertEquals(spec, NetworkSpecs.fromJson(NetworkSpecs.toJson(spec)), "json block " + (i + 1) + " round trip");
        for (BlockSpec b : spec.blocks()) {
          blockTypes.add(BlockSpec.TYPES.get(switch (b) {
            case PlainBlock p -> 0;
            case ResidualBlock r -> 1;
            case InceptionBlock c -> 2;
            case ConvBlock c -> 3;
            case PoolBlock p -> 4;
            case ConvResidualBlock r -> 5;
            case ConvInceptionBlock c -> 6;
            case CellBlock c -> 7;
          }));
        }
      } catch (RuntimeException e) {
        failures.add("json block " + (i + 1) + ": " + e.getMessage());
      }
    }
    assertTrue(failures.isEmpty(), doc + ":\n" + String.join("\n", failures));
    assertEquals(Set.copyOf(BlockSpec.TYPES), blockTypes, "the examples should use every block type");
  }

  @Test
  void extractsFencedJsonBlocks() {
    String md = "text\n```json\n{\"a\": 1}\n```\n```text\nnot json\n```\n```json\n{}\n```\n";
    List<String> blocks = jsonBlocks(md);
    assertEquals(List.of("{\"a\": 1}\n", "{}\n"), blocks);
    assertNotNull(doc());
  }
}
