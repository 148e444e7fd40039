package dev.strata.dashboard;

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
  private final Map<String, RunHandle> open = new ConcurrentHashMap<>();

  DirectoryRunCatalog(Path runsDir, Predicate<Path> isRun, Function<Path, RunReader> opener) {
    this.runsDir = Objects.requireNonNull(runsDir, "runsDir");
    this.isRun = Objects.requireNonNull(isRun, "isRun");
    this.opener = Objects.requireNonNull(opener, "opener");
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
    return Optional.of(open.computeIfAbsent(name, n -> RunHandle.of(opener.apply(dir)).withDirectory(dir.toString())));
  }

  @Override
  public void close() {
    open.values().forEach(h -> h.reader().close());
    open.clear();
  }
}
