package dev.strata.dashboard;

import dev.strata.runs.ParameterImportance;
import dev.strata.runs.RunEventSource;
import dev.strata.runs.RunReader;
import java.util.Objects;
import java.util.Optional;

/**
 * One run as the dashboard sees it: how to read it, where its live events come from, and how to
 * stop it. Immutable.
 *
 * @param reader read access to the run's store; the dashboard calls it from worker threads only
 * @param live the run's live events when it runs in this process; empty for runs written by
 *     another process, whose new events the dashboard then finds by polling {@link
 *     RunReader#eventsAfter(long, int)}
 * @param stop asks the experiment to stop (the dashboard's one write action); empty when the run
 *     cannot be stopped from here. Called on a worker thread; may block briefly.
 * @param directory the run's directory as the user named it (e.g. {@code runs/digits}), for the
 *     commands the pages show; empty when unknown ({@code runs/NAME} is shown then)
 * @param importance the parameter importance of the run's trials ({@code strata importance}'s
 *     code, which can read the run's search space); empty when the dashboard cannot compute it
 */
public record RunHandle(RunReader reader, Optional<RunEventSource> live, Optional<Runnable> stop, Optional<String> directory,
    Optional<ParameterImportance> importance) {

  public RunHandle {
    Objects.requireNonNull(reader, "reader");
    live = live == null ? Optional.empty() : live;
    stop = stop == null ? Optional.empty() : stop;
    directory = directory == null ? Optional.empty() : directory;
    importance = importance == null ? Optional.empty() : importance;
  }

  public RunHandle(RunReader reader, Optional<RunEventSource> live, Optional<Runnable> stop) {
    this(reader, live, stop, Optional.empty(), Optional.empty());
  }

  /** This handle with the run's directory, as the commands on the pages should name it. */
  public RunHandle withDirectory(String dir) {
    return new RunHandle(reader, live, stop, Optional.ofNullable(dir), importance);
  }

  /** This handle with the parameter importance of its run. */
  public RunHandle withImportance(ParameterImportance value) {
    return new RunHandle(reader, live, stop, directory, Optional.ofNullable(value));
  }

  /** A run written by another process (or finished): polled, not stoppable. */
  public static RunHandle of(RunReader reader) {
    return new RunHandle(reader, Optional.empty(), Optional.empty());
  }

  /** A run in this process: live events pushed by {@code live}, stopped by {@code stop}. */
  public static RunHandle live(RunReader reader, RunEventSource live, Runnable stop) {
    return new RunHandle(reader, Optional.of(live), Optional.ofNullable(stop));
  }
}
