package dev.strata.dashboard;

import dev.strata.runs.RunReader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The runs a dashboard shows. Implementations are thread-safe: the dashboard calls them from
 * worker threads, never from an event loop, so they may block (list a folder, open a database).
 *
 * <p>The dashboard opens a run at most once and keeps the handle until it closes, then calls
 * {@link #close()}; the catalog closes whatever readers it opened.
 */
public interface RunCatalog extends AutoCloseable {

  /** The names of the runs to list, in display order. May change between calls. */
  List<String> names();

  /** Opens a run by name; empty when there is no such run. */
  Optional<RunHandle> open(String name);

  /** Releases what the catalog opened. The default does nothing. */
  @Override
  default void close() {}

  /**
   * One run, typically the live one of {@code strata run --dashboard}. The caller keeps ownership
   * of the reader: closing the catalog does not close it.
   */
  static RunCatalog single(String name, RunHandle handle) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(handle, "handle");
    return new RunCatalog() {
      @Override
      public List<String> names() {
        return List.of(name);
      }

      @Override
      public Optional<RunHandle> open(String n) {
        return name.equals(n) ? Optional.of(handle) : Optional.empty();
      }
    };
  }

  /** Fixed runs by name, in the map's iteration order; the caller keeps ownership of the readers. */
  static RunCatalog of(Map<String, RunHandle> runs) {
    Map<String, RunHandle> copy = new java.util.LinkedHashMap<>(runs);
    return new RunCatalog() {
      @Override
      public List<String> names() {
        return List.copyOf(copy.keySet());
      }

      @Override
      public Optional<RunHandle> open(String n) {
        return Optional.ofNullable(copy.get(n));
      }
    };
  }

  /**
   * Every run under a runs folder ({@code strata dashboard DIR}): each sub-directory that {@code
   * isRun} accepts is a run named after the directory, opened with {@code opener} (a reader of
   * its store) and polled for new events. The catalog closes the readers it opened.
   */
  static RunCatalog directory(Path runsDir, Predicate<Path> isRun, Function<Path, RunReader> opener) {
    return new DirectoryRunCatalog(runsDir, isRun, opener, null);
  }

  /**
   * As {@link #directory(Path, Predicate, Function)}, each run with its parameter importance made
   * by {@code importance} from the run's directory and reader.
   */
  static RunCatalog directory(Path runsDir, Predicate<Path> isRun, Function<Path, RunReader> opener,
      java.util.function.BiFunction<Path, RunReader, dev.strata.runs.ParameterImportance> importance) {
    return new DirectoryRunCatalog(runsDir, isRun, opener, Objects.requireNonNull(importance, "importance"));
  }
}
