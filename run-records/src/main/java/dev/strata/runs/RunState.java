package dev.strata.runs;

import java.util.Locale;

/**
 * The state of a run (one experiment, one run directory) as the store keeps it. A run is {@link
 * #CREATED} when its store is made, {@link #RUNNING} while a runner works on it, {@link #STOPPING}
 * once a stop was asked for (running trials finish), and then {@link #STOPPED} (resume continues),
 * {@link #FINISHED} (every study spent its budget) or {@link #CRASHED} (the runner failed; resume
 * also marks a run it finds still RUNNING or STOPPING as crashed: no process is working on it).
 *
 * <p>The store writes {@link #label()}; {@link #of(String)} reads it back.
 */
public enum RunState {
  CREATED,
  RUNNING,
  STOPPING,
  STOPPED,
  FINISHED,
  CRASHED;

  /** The lower-case name the store, the event log and the JSON views use, e.g. {@code running}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether a runner is (or was, before a crash it did not record) working on the run. */
  public boolean isActive() {
    return this == RUNNING || this == STOPPING;
  }

  /**
   * The state with this label (case-insensitive).
   *
   * @throws IllegalArgumentException for a label that names no state
   */
  public static RunState of(String label) {
    try {
      return valueOf(label.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown run state '" + label + "'", e);
    }
  }

  @Override
  public String toString() {
    return label();
  }
}
