package dev.strata.experiments.spec;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.search.space.LocatedJson;
import dev.strata.search.space.SearchSpace;
import dev.strata.search.space.SpaceException;
import dev.strata.search.space.SpaceReader;
import dev.strata.search.space.NniSpaceReader;
import dev.strata.search.strategy.Strategies;
import dev.strata.search.objective.TestFunctions;
import dev.strata.search.trial.Direction;
import dev.strata.search.trial.Objectives;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The experiments module's one door to search-core's readers and registries: spaces (Strata and
 * NNI format), strategies, test functions, tables. Stateless and thread-safe.
 */
public final class SpaceSupport {

  /** A space read from a file, and the JSON it was read from (inlined into the stored spec). */
  public record Loaded(SearchSpace space, JsonNode json) {}

  private SpaceSupport() {}

  /** Whether a JSON object is an NNI {@code search_space.json}: entries with {@code _type}. */
  public static boolean isNni(JsonNode root) {
    if (root == null || !root.isObject() || root.isEmpty()) {
      return false;
    }
    for (JsonNode v : root) {
      if (v.isObject() && v.has("_type")) {
        return true;
      }
    }
    return false;
  }

  /** Reads a space file, Strata or NNI format (detected by {@code _type}). */
  public static Loaded readFile(Path file) {
    LocatedJson json = LocatedJson.read(file);
    JsonNode root = json.root();
    if (isNni(root)) {
      return new Loaded(readNni(json), root);
    }
    JsonNode wrapped = root.get("space");
    if (root.isObject() && wrapped != null && wrapped.isObject() && !wrapped.has("choice") && !wrapped.has("int")
        && !wrapped.has("float") && !wrapped.has("repeat")) {
      return new Loaded(SpaceReader.read(json, JsonPointer.compile("/space")), wrapped);
    }
    return new Loaded(SpaceReader.read(json, JsonPointer.empty()), root);
  }

  /** Reads the space at {@code pointer} of a located document (pointers in errors are absolute). */
  public static SearchSpace read(LocatedJson json, String pointer) {
    JsonNode node = json.at(JsonPointer.compile(pointer));
    if (isNni(node)) {
      return NniSpaceReader.read(json, JsonPointer.compile(pointer));
    }
    return SpaceReader.read(json, JsonPointer.compile(pointer));
  }

  static SearchSpace readNni(LocatedJson json) {
    return NniSpaceReader.read(json, JsonPointer.empty());
  }

  // ---- strategies ----

  /** The registered strategy names. */
  public static List<String> strategyNames() {
    return Strategies.names();
  }

  /**
   * Checks a strategy's options by building it once; returns the problem as one line, or null when
   * it is fine.
   */
  public static String checkStrategy(String name, Map<String, Object> options, SearchSpace space,
      Objectives objectives) {
    try {
      Strategies.create(name, space, objectives, 1, options);
      return null;
    } catch (IllegalArgumentException e) {
      return e.getMessage() == null ? "invalid options for strategy '" + name + "'" : e.getMessage();
    }
  }

  // ---- test functions ----

  /** The test function's name problem as one line, or null when {@code name} is a known function. */
  public static String checkFunction(String name) {
    try {
      TestFunctions.byName(name);
      return null;
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }

  public static Direction functionDirection(String name) {
    return TestFunctions.byName(name).direction();
  }

  public static SearchSpace functionSpace(String name) {
    return TestFunctions.byName(name).space();
  }

  // ---- tables ----

  /** The header row of a CSV table. */
  public static List<String> tableHeader(Path file) {
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line = in.readLine();
      if (line == null) {
        throw new IllegalArgumentException("the table is empty");
      }
      return Arrays.stream(line.split(",")).map(String::strip).map(s -> s.replace("\"", "")).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
