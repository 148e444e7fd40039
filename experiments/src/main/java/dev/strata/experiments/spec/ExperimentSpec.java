package dev.strata.experiments.spec;

import dev.strata.search.space.SearchSpace;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A validated experiment file: what to optimise, over which space, with which strategies and
 * budget. Made by {@link ExperimentReader}. Immutable and thread-safe.
 *
 * @param name the run name (a valid directory name)
 * @param file the experiment file, or null when read from a string or resource
 * @param seed the experiment seed, from which every trial seed is derived
 * @param objective the metric and what produces it
 * @param space the search space
 * @param search strategies, budget, seeds, parallelism
 * @param json the experiment as canonical JSON with the space inlined (stored for provenance)
 */
public record ExperimentSpec(
    String name, Path file, long seed, ObjectiveSpec objective, SearchSpace space, SearchSpec search, String json) {

  public ExperimentSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(objective, "objective");
    Objects.requireNonNull(space, "space");
    Objects.requireNonNull(search, "search");
    Objects.requireNonNull(json, "json");
    if (!ExperimentReader.NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("name '" + name + "' must match " + ExperimentReader.NAME.pattern());
    }
  }

  /** A copy under another run name (the stored JSON follows). */
  public ExperimentSpec withName(String name) {
    return new ExperimentSpec(name, file, seed, objective, space, search, edit(json, o -> o.put("name", name)));
  }

  /** A copy with another number of parallel trials (the stored JSON follows). */
  public ExperimentSpec withParallel(int parallel) {
    return new ExperimentSpec(name, file, seed, objective, space, search.withParallel(parallel),
        edit(json, o -> ((com.fasterxml.jackson.databind.node.ObjectNode) o.get("search")).put("parallel", parallel)));
  }

  private static String edit(String json, java.util.function.Consumer<com.fasterxml.jackson.databind.node.ObjectNode> f) {
    try {
      var mapper = new com.fasterxml.jackson.databind.ObjectMapper()
          .enable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT);
      var root = (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(json);
      f.accept(root);
      return mapper.writeValueAsString(root);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("the stored experiment JSON is not JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** Whether trials train networks (and so need the mapping and a dataset). */
  public boolean trainsNetworks() {
    return objective.source() instanceof ObjectiveSource.Training;
  }
}
