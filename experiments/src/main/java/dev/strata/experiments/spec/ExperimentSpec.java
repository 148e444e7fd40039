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

  public ExperimentSpec withName(String name) {
    return new ExperimentSpec(name, file, seed, objective, space, search, json);
  }

  public ExperimentSpec withSearch(SearchSpec search) {
    return new ExperimentSpec(name, file, seed, objective, space, search, json);
  }

  /** Whether trials train networks (and so need the mapping and a dataset). */
  public boolean trainsNetworks() {
    return objective.source() instanceof ObjectiveSource.Training;
  }
}
