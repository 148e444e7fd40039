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
import dev.strata.trainer.spec.NetworkSpecs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * docs/schema/network-spec.schema.json accepts every example network spec (those the trainer's
 * reader accepts), and rejects what the reader rejects in the common cases: an unknown field, an
 * unknown block type, an image block field misspelled.
 */
class NetworkSpecSchemaTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static Path root() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("docs/schema/network-spec.schema.json"))) {
        return dir;
      }
    }
    throw new AssertionError("no docs/schema/network-spec.schema.json above " + Path.of("").toAbsolutePath());
  }

  private static JsonSchema schema() throws Exception {
    return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
        .getSchema(Files.readString(root().resolve("docs/schema/network-spec.schema.json")));
  }

  @Test
  void acceptsEveryExampleNetworkSpec() throws Exception {
    JsonSchema schema = schema();
    List<String> specs = List.of("digits-mlp.json", "digits-residual.json", "digits-inception.json",
        "speech-regression.json", "fashion-mnist-cnn.json", "fashion-mnist-resnet.json", "fashion-mnist-inception.json",
        "digits-deep-tanh-critical.json", "fashion-mnist-searched.json");
    for (String name : specs) {
      Path file = root().resolve("examples").resolve(name);
      NetworkSpecs.read(file); // the reader accepts it
      Set<ValidationMessage> errors = schema.validate(JSON.readTree(file.toFile()));
      assertEquals(Set.of(), errors, name);
    }
  }

  @Test
  void rejectsWhatTheReaderRejects() throws Exception {
    JsonSchema schema = schema();
    for (String bad : List.of(
        "{\"inputs\": 4, \"outputs\": 2, \"blocks\": [{\"type\": \"plain\", \"widht\": 8}]}",
        "{\"inputs\": 4, \"outputs\": 2, \"blocks\": [{\"type\": \"plane\", \"width\": 8}]}",
        "{\"image\": {\"channels\": 1, \"height\": 8, \"width\": 8}, \"outputs\": 2,"
            + " \"blocks\": [{\"type\": \"conv\", \"filter\": 8}]}",
        "{\"image\": {\"channels\": 1, \"height\": 8, \"width\": 8}, \"outputs\": 2,"
            + " \"blocks\": [{\"type\": \"pool\", \"mode\": \"maximum\"}]}",
        "{\"outputs\": 2}")) {
      JsonNode doc = JSON.readTree(bad);
      assertFalse(schema.validate(doc).isEmpty(), bad);
      boolean readerRejects;
      try {
        NetworkSpecs.fromJson(bad);
        readerRejects = false;
      } catch (RuntimeException e) {
        readerRejects = true;
      }
      assertTrue(readerRejects, bad);
    }
  }
}
