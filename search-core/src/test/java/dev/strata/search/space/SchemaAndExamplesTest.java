package dev.strata.search.space;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every example space validates against the JSON Schema and parses; the schema rejects mistakes. */
class SchemaAndExamplesTest {

  static final String SCHEMA = "/dev/strata/search/space/search-space.schema.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  static JsonSchema schema() throws IOException {
    try (InputStream in = SchemaAndExamplesTest.class.getResourceAsStream(SCHEMA)) {
      assertNotNull(in, "schema resource " + SCHEMA);
      return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(JSON.readTree(in));
    }
  }

  /** The project's examples folder, found from the module directory upwards. */
  static Path examples() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isDirectory(dir.resolve("examples/spaces"))) {
        return dir.resolve("examples");
      }
    }
    throw new AssertionError("no examples/spaces folder above " + Path.of("").toAbsolutePath());
  }

  static List<Path> files(String suffix) throws IOException {
    Path root = examples();
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile)
          .filter(p -> p.getFileName().toString().endsWith(suffix)
              || suffix.equals(".space.json") && p.getParent().endsWith("spaces")
                  && p.getFileName().toString().endsWith(".json") && !isNni(p))
          .sorted()
          .toList();
    }
  }

  static boolean isNni(Path p) {
    return p.getFileName().toString().startsWith("nni-");
  }

  @Test
  void everyExampleSpaceValidatesAgainstTheSchemaAndParses() throws IOException {
    JsonSchema schema = schema();
    List<Path> spaces = files(".space.json");
    assertTrue(spaces.size() >= 4, "example spaces: " + spaces);
    for (Path file : spaces) {
      Set<ValidationMessage> errors = schema.validate(JSON.readTree(file.toFile()));
      assertEquals(Set.of(), errors, file.toString());
      ParameterSpace space = SpaceReader.read(file);
      assertFalse(space.nodes().isEmpty(), file.toString());
      SplittableRandom random = new SplittableRandom(1);
      for (int i = 0; i < 50; i++) {
        var c = space.sample(random);
        assertEquals(c, space.decode(space.encode(c)), file.toString());
      }
      space.validate(space.defaults());
    }
  }

  @Test
  void everyNniExampleParses() throws IOException {
    List<Path> nni;
    try (Stream<Path> walk = Files.walk(examples())) {
      nni = walk.filter(p -> isNni(p) && p.toString().endsWith(".json")).toList();
    }
    assertFalse(nni.isEmpty());
    for (Path file : nni) {
      ParameterSpace space = NniSpaceReader.read(file);
      assertTrue(space.dimensions().size() >= 10, file + ": " + space);
      space.validate(space.sample(new SplittableRandom(2)));
    }
  }

  @Test
  void theSchemaRejectsTypicalMistakes() throws IOException {
    JsonSchema schema = schema();
    for (String bad : List.of(
        "{\"act\": {\"chioce\": [\"relu\"]}}",
        "{\"n\": {\"int\": [\"a\", 3]}}",
        "{\"n\": {\"int\": [1, 2, 3]}}",
        "{\"x\": {\"float\": [0.1, 1], \"log\": \"yes\"}}",
        "{\"x\": {\"float\": [0.1, 1], \"normal\": [0.5, -1]}}",
        "{\"x\": {\"float\": [0.1, 1], \"normal\": [0.5]}}",
        "{\"c\": {\"choice\": [1, 2], \"normal\": [1, 1]}}",
        "{\"a\": {\"choice\": []}}",
        "{\"b\": {\"repeat\": {\"min\": -1, \"max\": 2}, \"of\": {\"x\": 1}}}",
        "{\"b\": {\"int\": [1, 2], \"when\": {}}}",
        "{\"a/b\": 1}",
        "{\"pre\": [\"standardize\"]}")) {
      JsonNode node = JSON.readTree(bad);
      assertFalse(schema.validate(node).isEmpty(), "schema accepted " + bad);
    }
  }

  @Test
  void theSchemaAcceptsPriorsAndLogGrids() throws IOException {
    String good = """
        {"x": {"float": [0, 1], "normal": [0.3, 0.1]},
         "lr": {"float": [1e-6, 1], "log": true, "normal": [-6.9, 1.5]},
         "b": {"int": [16, 1024], "log": true, "step": 16},
         "q": {"float": [0.5, 8], "log": true, "step": 0.5, "normal": [0.5, 0.8]}}""";
    var problems = schema().validate(JSON.readTree(good));
    assertTrue(problems.isEmpty(), problems::toString);
    SpaceReader.parse(good, "good.json");
  }

  @Test
  void theDesignExampleMatchesTheSchema() throws IOException {
    assertEquals(Set.of(), schema().validate(JSON.readTree(SpaceFixtures.DESIGN)));
    assertEquals(Set.of(), schema().validate(JSON.readTree(SpaceFixtures.NESTED)));
  }
}
