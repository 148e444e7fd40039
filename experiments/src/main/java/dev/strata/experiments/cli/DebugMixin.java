package dev.strata.experiments.cli;

import picocli.CommandLine.Option;

/** {@code --debug}: print the stack trace of an error (read by {@link ErrorHandler}). */
final class DebugMixin {

  @Option(names = "--debug", description = "Print stack traces of errors.")
  boolean debug;
}
