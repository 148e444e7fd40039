package dev.strata.experiments.cli;

import dev.strata.experiments.spec.BadInputException;
import dev.strata.experiments.spec.ExperimentException;
import dev.strata.search.space.SpaceException;
import dev.strata.trainer.data.DataFormatException;
import dev.strata.trainer.spec.SpecException;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * Turns every failure of a {@code strata} command into an exit code and a short message on stderr,
 * never a stack trace unless {@code --debug} is given (or {@code STRATA_DEBUG=1} is set).
 *
 * <ul>
 *   <li>Bad input ({@link BadInputException}, {@link ExperimentException}, {@link SpaceException},
 *       {@link SpecException}, {@link DataFormatException}, a bad option or argument): each problem
 *       on one line, exit {@value StrataCommand#EXIT_BAD_INPUT}.
 *   <li>Anything else: one line naming the error, exit {@link #EXIT_FAILED}.
 * </ul>
 *
 * Register one instance as both the execution and the parameter exception handler of the root
 * {@link CommandLine} ({@link #install(CommandLine)}). Stateless and thread-safe.
 */
public final class ErrorHandler implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {

  /** The job ran and failed. */
  public static final int EXIT_FAILED = 1;

  /** Interrupted (Ctrl-C): 128 + SIGINT. */
  public static final int EXIT_INTERRUPTED = 130;

  /** Installs the handler on a root command line; returns it. */
  public static CommandLine install(CommandLine commandLine) {
    ErrorHandler handler = new ErrorHandler();
    return commandLine.setExecutionExceptionHandler(handler).setParameterExceptionHandler(handler);
  }

  /** Whether an exception is the user's mistake rather than the program's. */
  public static boolean isBadInput(Throwable e) {
    return e instanceof BadInputException || e instanceof ExperimentException || e instanceof SpaceException
        || e instanceof SpecException || e instanceof DataFormatException;
  }

  /** The lines to print for a bad-input exception: one per problem. */
  public static List<String> lines(Throwable e) {
    String message = e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
    return message.lines().filter(l -> !l.isBlank()).toList();
  }

  @Override
  public int handleExecutionException(Exception ex, CommandLine commandLine, ParseResult parseResult) {
    PrintWriter err = commandLine.getErr();
    boolean debug = debug(parseResult);
    Throwable e = ex;
    while ((e instanceof java.util.concurrent.ExecutionException || e instanceof java.util.concurrent.CompletionException)
        && e.getCause() != null) {
      e = e.getCause();
    }
    if (isBadInput(e)) {
      for (String line : lines(e)) {
        err.println(line);
      }
      if (debug) {
        e.printStackTrace(err);
      }
      err.flush();
      return StrataCommand.EXIT_BAD_INPUT;
    }
    if (e instanceof InterruptedException) {
      err.println("strata: interrupted");
      err.flush();
      return EXIT_INTERRUPTED;
    }
    if (e instanceof dev.strata.experiments.store.StoreException || e instanceof java.io.UncheckedIOException) {
      // A store or file problem: its message already says what and what to do; no class name.
      String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
      if (e instanceof java.io.UncheckedIOException u && u.getCause() != null && u.getCause().getMessage() != null) {
        m = m + ": " + u.getCause().getClass().getSimpleName().replace("Exception", "").replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(java.util.Locale.ROOT)
            + " (" + u.getCause().getMessage() + ")";
      }
      err.println("strata " + commandName(commandLine) + ": " + m);
      if (debug) {
        e.printStackTrace(err);
      }
      err.flush();
      return EXIT_FAILED;
    }
    String what = e.getMessage() == null ? "" : ": " + e.getMessage().lines().findFirst().orElse("");
    err.println("strata " + commandName(commandLine) + ": error: " + e.getClass().getSimpleName() + what
        + (debug ? "" : " (run again with --debug for the stack trace)"));
    if (debug) {
      e.printStackTrace(err);
    }
    err.flush();
    return EXIT_FAILED;
  }

  @Override
  public int handleParseException(CommandLine.ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    PrintWriter err = cmd.getErr();
    String name = cmd.getCommandSpec().qualifiedName();
    err.println(name + ": " + ex.getMessage().replace('\n', ' ') + "; see '" + name + " --help'");
    if (java.util.Arrays.asList(args).contains("--debug")) {
      ex.printStackTrace(err);
    }
    err.flush();
    return StrataCommand.EXIT_BAD_INPUT;
  }

  private static String commandName(CommandLine commandLine) {
    return commandLine.getCommandName();
  }

  static boolean debug(ParseResult parseResult) {
    if ("1".equals(System.getenv("STRATA_DEBUG")) || Boolean.getBoolean("strata.debug")) {
      return true;
    }
    for (ParseResult p = parseResult; p != null; p = p.subcommand()) {
      if (p.hasMatchedOption("--debug")) {
        return true;
      }
    }
    return parseResult != null && parseResult.originalArgs().contains("--debug");
  }
}
