package dev.strata.experiments.run;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C for a run: the first SIGINT (or SIGTERM) calls {@link Runner#requestStop()}, so running
 * trials end INTERRUPTED and the store stays consistent; a second SIGINT halts the JVM at once
 * (exit code 130; committed trials are safe, the running ones are found RUNNING and re-run by
 * resume). For the CLI: install around {@link Runner#run()}, close afterwards.
 *
 * <pre>{@code
 * try (AutoCloseable signals = StopSignals.install(runner, err::println)) {
 *   summary = runner.run();
 * }
 * }</pre>
 *
 * <p>Uses {@code sun.misc.Signal} (module jdk.unsupported); where a signal cannot be handled it
 * falls back to a shutdown hook that requests the stop and waits up to 30 s for the run to end.
 */
public final class StopSignals {

  /** The exit code of a second Ctrl-C: 128 + SIGINT. */
  public static final int HALT_EXIT_CODE = 130;

  private StopSignals() {}

  /**
   * Installs the handlers.
   *
   * @param notice receives one line for the user on each signal (e.g. {@code System.err::println})
   * @return a handle that restores the previous handlers
   */
  public static AutoCloseable install(Runner runner, Consumer<String> notice) {
    AtomicInteger count = new AtomicInteger();
    SignalHandler handler = signal -> {
      if (count.incrementAndGet() == 1) {
        notice.accept("stopping: running trials are interrupted and will run again on 'strata resume'"
            + " (Ctrl-C again to quit at once)");
        runner.requestStop();
      } else {
        notice.accept("quitting now");
        Runtime.getRuntime().halt(HALT_EXIT_CODE);
      }
    };
    SignalHandler oldInt = handle("INT", handler);
    SignalHandler oldTerm = handle("TERM", signal -> {
      count.incrementAndGet();
      runner.requestStop();
    });
    Thread hook = null;
    if (oldInt == null) {
      hook = new Thread(() -> {
        runner.requestStop();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline && runner.progress().running() > 0) {
          try {
            Thread.sleep(50);
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "strata-stop-hook");
      Runtime.getRuntime().addShutdownHook(hook);
    }
    Thread installedHook = hook;
    return () -> {
      if (oldInt != null) {
        handle("INT", oldInt);
      }
      if (oldTerm != null) {
        handle("TERM", oldTerm);
      }
      if (installedHook != null) {
        try {
          Runtime.getRuntime().removeShutdownHook(installedHook);
        } catch (IllegalStateException ignored) {
          // already shutting down
        }
      }
    };
  }

  private static SignalHandler handle(String name, SignalHandler handler) {
    try {
      return Signal.handle(new Signal(name), handler);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
