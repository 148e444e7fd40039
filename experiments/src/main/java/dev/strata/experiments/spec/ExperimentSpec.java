package dev.strata.experiments.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.search.space.SearchSpace;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A validated experiment file: what to optimise, over which space, with which strategies and
 * budget. Made by {@link ExperimentReader}. Immutable and thread-safe.
 *
 * <p>{@link #json()} is the one stored form of an experiment: the run directory keeps it, resume
 * reads it back with {@link ExperimentReader#parse} and cluster workers with {@link
 * ExperimentReader#parseShipped}. It is written from this record: the name, the seed, the
 * resolved (absolute) paths of the objective's source and the search's parallelism come from the
 * record's fields; the other keys are those of the {@code document} as read (with the space
 * inlined), which the reader checked into the same fields. So a copy made with {@link #withName}
 * or {@link #withParallel} writes its own JSON; no string is patched beside it.
 *
 * @param name the run name (a valid directory name)
 * @param file the experiment file, or null when read from a string or resource
 * @param seed the experiment seed, from which every trial seed is derived
 * @param objective the metric and what produces it
 * @param space the search space
 * @param search strategies, budget, seeds, parallelism
 * @param document the experiment's JSON object as read, with the space inlined (copied in and out)
 */
public record ExperimentSpec(
    String name, Path file, long seed, ObjectiveSpec objective, SearchSpace space, SearchSpec search,
    ObjectNode document) {

  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public ExperimentSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(objective, "objective");
    Objects.requireNonNull(space, "space");
    Objects.requireNonNull(search, "search");
    document = Objects.requireNonNull(document, "document").deepCopy();
    if (!ExperimentReader.NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("name '" + name + "' must match " + ExperimentReader.NAME.pattern());
    }
  }

  @Override
  public ObjectNode document() {
    return document.deepCopy();
  }

  /** A copy under another run name. */
  public ExperimentSpec withName(String name) {
    return new ExperimentSpec(name, file, seed, objective, space, search, document);
  }

  /** A copy with another number of parallel trials. */
  public ExperimentSpec withParallel(int parallel) {
    return new ExperimentSpec(name, file, seed, objective, space, search.withParallel(parallel), document);
  }

  /**
   * The experiment as canonical JSON, written from this record (see the class comment): what a
   * run stores for provenance and resume, and what a coordinator ships to its workers. Paths are
   * absolute, so the stored copy reads the same files from anywhere.
   */
  public String json() {
    ObjectNode o = document.deepCopy();
    o.put("name", name);
    o.put("seed", seed);
    switch (objective.source()) {
      case ObjectiveSource.Training t -> {
        if (o.get("dataset").isTextual()) {
          o.putObject("dataset").put("source", t.data().source());
        }
        ObjectNode d = (ObjectNode) o.get("dataset");
        d.remove("builtin");
        d.put("source", t.data().source());
        if (t.data().testSource() != null && d.path("split").path("test").isTextual()) {
          ((ObjectNode) d.get("split")).put("test", t.data().testSource()); // an official test file, resolved
        }
        // written out, so that a stored run reads the same however the default changes
        t.data().preprocess().forEach(d.putArray("preprocess")::add);
      }
      case ObjectiveSource.Table t -> ((ObjectNode) o.get("objective")).put("table", t.file().toString());
      case ObjectiveSource.Command cmd -> ((ObjectNode) o.get("objective")).put("workdir", cmd.workdir().toString());
      case ObjectiveSource.Function f -> { }
    }
    ((ObjectNode) o.get("search")).put("parallel", search.parallel());
    try {
      return MAPPER.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the experiment as JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** Whether trials train networks (and so need the mapping and a dataset). */
  public boolean trainsNetworks() {
    return objective.source() instanceof ObjectiveSource.Training;
  }
}
