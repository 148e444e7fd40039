package dev.strata.dashboard;

import dev.strata.runs.ParameterImportance;
import dev.strata.runs.RunReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The runs under one folder, one per accepted sub-directory, each opened once and polled. Thread-safe.
 */
final class DirectoryRunCatalog implements RunCatalog {

  private final Path runsDir;
  private final Predicate<Path> isRun;
  private final Function<Path, RunReader> opener;
  private final java.util.function.BiFunction<Path, RunReader, ParameterImportance> importance;
  private final Map<String, RunHandle> open = new ConcurrentHashMap<>();

  DirectoryRunCatalog(Path runsDir, Predicate<Path> isRun, Function<Path, RunReader> opener,
      java.util.function.BiFunction<Path, RunReader, ParameterImportance> importance) {
    this.runsDir = Objects.requireNonNull(runsDir, "runsDir");
    this.isRun = Objects.requireNonNull(isRun, "isRun");
    this.opener = Objects.requireNonNull(opener, "opener");
    this.importance = importance;
  }

  @Override
  public List<String> names() {
    if (!Files.isDirectory(runsDir)) {
      return List.of();
    }
    try (Stream<Path> dirs = Files.list(runsDir)) {
      return dirs.filter(Files::isDirectory)
          .filter(isRun)
          .map(p -> p.getFileName().toString())
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list runs folder " + runsDir, e);
    }
  }

  @Override
  public Optional<RunHandle> open(String name) {
    if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.startsWith(".")) {
      return Optional.empty();
    }
    Path dir = runsDir.resolve(name);
    if (!Files.isDirectory(dir) || !isRun.test(dir)) {
      return Optional.empty();
    }
    return Optional.of(open.computeIfAbsent(name, n -> {
      RunReader reader = opener.apply(dir);
      RunHandle h = RunHandle.of(reader).withDirectory(dir.toString());
      return importance == null ? h : h.withImportance(importance.apply(dir, reader));
    }));
  }

  @Override
  public void close() {
    open.values().forEach(h -> h.reader().close());
    open.clear();
  }
}
