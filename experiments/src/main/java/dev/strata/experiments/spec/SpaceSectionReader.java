package dev.strata.experiments.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.search.space.SearchSpace;
import dev.strata.search.space.SpaceException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads the {@code space} section of an experiment: inline, or a file name resolved against the
 * experiment's directory, read by search-core's space reader (its problems are merged in
 * unchanged). A test-function objective without a space gets the function's own space. Records
 * every mistake in the given {@link JsonCheck}. Part of {@link ExperimentReader}; stateless.
 */
final class SpaceSectionReader {

  /**
   * What the space section gave.
   *
   * @param space the space, or null when it is missing or unusable
   * @param json the space's JSON to inline into the stored experiment, or null (none was written)
   */
  record Read(SearchSpace space, JsonNode json) {}

  private SpaceSectionReader() {}

  /**
   * Reads the space of an experiment's root object.
   *
   * @param source what computes the objective, or null when that is unusable
   */
  static Read read(JsonCheck c, ObjectNode root, Path dir, ObjectiveSource source) {
    SearchSpace space = null;
    JsonNode spaceJson = null;
    if (root.has("space")) {
      JsonNode node = root.get("space");
      if (node.isTextual()) {
        Path spaceFile = dir.resolve(node.asText());
        if (node.asText().isBlank()) {
          c.problem("/space", "the space file name is empty; write \"space\": \"space.json\" or an inline object");
        } else if (!Files.isRegularFile(spaceFile)) {
          c.problem("/space", "space file '" + spaceFile + "' not found (resolved against " + dir
              + "); check the path or write the space inline");
        } else {
          try {
            SpaceSupport.Loaded loaded = SpaceSupport.readFile(spaceFile);
            space = loaded.space();
            spaceJson = loaded.json();
          } catch (SpaceException e) {
            e.problems().forEach(c::add);
          }
        }
      } else if (node.isObject()) {
        try {
          space = SpaceSupport.read(c.json(), "/space");
          spaceJson = node;
        } catch (SpaceException e) {
          e.problems().forEach(c::add);
        }
      } else {
        c.problem("/space", "expected an object or a file name, got " + JsonCheck.kind(node)
            + "; write the space inline as {...} or as \"space\": \"space.json\"");
      }
    } else if (source instanceof ObjectiveSource.Function f) {
      space = SpaceSupport.functionSpace(f.name());
    } else if (source instanceof ObjectiveSource.Table) {
      c.problem("", "missing required key 'space'; list the table's parameter columns, e.g. \"space\":"
          + " {\"layer0\": {\"choice\": [\"identity\", \"mb3_k3\"]}}");
    } else if (source != null) {
      c.problem("", "missing required key 'space'; add the search space inline (\"space\": {...}) or as"
          + " \"space\": \"space.json\"");
    }
    return new Read(space, spaceJson);
  }
}
