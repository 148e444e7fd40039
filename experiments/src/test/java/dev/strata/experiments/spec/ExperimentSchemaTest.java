package dev.strata.experiments.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.strata.experiments.cli.DemoCommand;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/schema/experiment.schema.json accepts every example experiment (and the demo), rejects
 * malformed ones, and agrees with the reader on the examples.
 */
class ExperimentSchemaTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The repository root, found from the module directory upwards. */
  static Path root() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("docs/schema/experiment.schema.json"))) {
        return dir;
      }
    }
    throw new AssertionError("no docs/schema/experiment.schema.json above " + Path.of("").toAbsolutePath());
  }

  static JsonSchema schema() throws IOException {
    return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
        .getSchema(JSON.readTree(root().resolve("docs/schema/experiment.schema.json").toFile()));
  }

  /** Every experiment under examples/ (space files excluded). */
  static List<Path> exampleExperiments() throws IOException {
    try (Stream<Path> walk = Files.walk(root().resolve("examples"))) {
      List<Path> out = new ArrayList<>();
      for (Path p : walk.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
        if (!p.getParent().endsWith("spaces") && ExperimentReader.looksLikeExperiment(JSON.readTree(p.toFile()))) {
          out.add(p);
        }
      }
      return out;
    }
  }

  @Test
  void everyExampleExperimentAndTheDemoValidate() throws IOException {
    JsonSchema schema = schema();
    List<Path> examples = exampleExperiments();
    assertTrue(examples.size() >= 6, "example experiments: " + examples);
    for (Path file : examples) {
      assertEquals(Set.of(), schema.validate(JSON.readTree(file.toFile())), file.toString());
    }
    try (InputStream in = DemoCommand.class.getResourceAsStream(DemoCommand.RESOURCE)) {
      assertEquals(Set.of(), schema.validate(JSON.readTree(in)), "the demo");
    }
  }

  @Test
  void malformedExperimentsFail() throws IOException {
    JsonSchema schema = schema();
    String valid = """
        {"dataset": "digits", "space": {"width": {"choice": [16, 32]}},
         "search": {"strategies": ["random"], "budget": {"trials": 5}}}""";
    assertEquals(Set.of(), schema.validate(JSON.readTree(valid)), "the base case is valid");
    List<String> bad = List.of(
        "{\"datset\": \"digits\", \"search\": {\"strategies\": [\"random\"], \"budget\": {\"trials\": 5}}}",
        "{\"dataset\": \"digits\", \"space\": {\"w\": 1}}",
        "{\"dataset\": \"digits\", \"search\": {\"strategies\": [], \"budget\": {\"trials\": 5}}}",
        "{\"dataset\": \"digits\", \"search\": {\"strategies\": [\"randon\"], \"budget\": {\"trials\": 5}}}",
        "{\"dataset\": \"digits\", \"search\": {\"strategies\": [\"random\"], \"budget\": {}}}",
        "{\"dataset\": \"digits\", \"search\": {\"strategies\": [\"random\"], \"budget\": {\"trials\": \"5\"}}}",
        "{\"dataset\": \"digits\", \"search\": {\"strategies\": [\"random\"], \"budget\": {\"trials\": 5}, \"parallel\": 0}}",
        "{\"dataset\": \"digits\", \"search\": {\"strategies\": [\"random\"], \"budget\": {\"trials\": 5}, \"seeds\": [1, 1]}}",
        "{\"dataset\": \"digits\", \"search\": {\"strategies\": [\"random\"], \"budget\": {\"trials\": 5}, \"scheduler\": \"asha\"}}",
        "{\"dataset\": {\"source\": \"digits\", \"preprocess\": [\"normalise\"]}, \"search\": {\"strategies\": [\"random\"], \"budget\": {\"trials\": 5}}}",
        "{\"objective\": {\"metric\": \"value\"}, \"search\": {\"strategies\": [\"random\"], \"budget\": {\"trials\": 5}}}",
        "{\"objective\": {\"function\": \"branin\", \"table\": \"t.csv\"}, \"search\": {\"strategies\": [\"random\"], \"budget\": {\"trials\": 5}}}",
        "{\"name\": \"has space\", \"dataset\": \"digits\", \"search\": {\"strategies\": [\"random\"], \"budget\": {\"trials\": 5}}}",
        "{\"dataset\": \"digits\", \"objective\": {\"direction\": \"up\"}, \"search\": {\"strategies\": [\"random\"], \"budget\": {\"trials\": 5}}}",
        "{\"dataset\": \"digits\", \"space\": {\"w\": [16, 32]}, \"search\": {\"strategies\": [\"random\"], \"budget\": {\"trials\": 5}}}");
    for (String text : bad) {
      Set<ValidationMessage> errors = schema.validate(JSON.readTree(text));
      assertFalse(errors.isEmpty(), "the schema accepts " + text);
    }
  }

  @Test
  void shapeMistakesOfTheBadInputCorpusFailTheSchemaToo() throws IOException {
    JsonSchema schema = schema();
    Path corpus = root().resolve("experiments/src/test/resources/bad-experiments");
    for (String name : List.of("bad-direction", "bad-name", "bad-preprocess", "budget-missing", "budget-negative-trials",
        "budget-no-limit", "budget-trials-string", "budget-unknown-key", "missing-search", "name-not-string",
        "nothing-to-optimise", "parallel-zero", "reproducible-string", "scheduler-needs-maxepochs",
        "seed-not-integer", "seeds-duplicate", "seeds-not-list", "strategies-empty", "strategy-no-name",
        "two-sources")) {
      JsonNode node = JSON.readTree(corpus.resolve(name + ".json").toFile());
      assertFalse(schema.validate(node).isEmpty(), name + ".json passes the schema");
    }
  }

  @Test
  void theReaderAcceptsADollarSchemaKey() {
    ExperimentSpec spec = ExperimentReader.parse("""
        {"$schema": "../docs/schema/experiment.schema.json", "name": "with-schema", "dataset": "digits",
         "space": {"width": {"choice": [16, 32]}},
         "search": {"strategies": ["random"], "budget": {"trials": 5}}}""", "with-schema.json", root());
    assertEquals("with-schema", spec.name());
  }
}
