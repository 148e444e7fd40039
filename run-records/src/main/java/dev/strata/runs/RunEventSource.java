package dev.strata.runs;

import java.util.function.Consumer;

/**
 * Live events of a run, pushed as they are committed to the store.
 *
 * <p>Listeners are called on the publisher's thread, in id order, after the event is durable; they
 * must return quickly and never block (a dashboard hands the event to its own event loop).
 */
public interface RunEventSource {

  /** Registers a listener; closing the returned handle unregisters it. */
  AutoCloseable subscribe(Consumer<RunEvent> listener);
}
