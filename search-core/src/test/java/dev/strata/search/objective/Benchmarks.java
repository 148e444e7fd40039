package dev.strata.search.objective;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the shared benchmark files that live beside the project, never inside it: {@code
 * -Dstrata.benchmarks=DIR} first, else {@code shared/benchmarks} in the working directory or any
 * directory above it.
 */
public final class Benchmarks {

  private Benchmarks() {}

  /** The file at {@code relative} under the benchmarks directory, or null when absent. */
  public static Path find(String relative) {
    String property = System.getProperty("strata.benchmarks");
    if (property != null && !property.isBlank()) {
      Path p = Path.of(property).resolve(relative);
      return Files.isRegularFile(p) ? p : null;
    }
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      Path p = d.resolve("shared").resolve("benchmarks").resolve(relative);
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    return null;
  }
}
