package dev.strata.experiments.cli;

/**
 * Bad input from the user: a wrong argument, a missing file, a run directory that is not a run.
 * The message is one line that says what is wrong, where, and how to fix it; {@link ErrorHandler}
 * prints it without a stack trace and exits with {@link StrataCommand#EXIT_BAD_INPUT}. Immutable.
 */
public final class BadInputException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public BadInputException(String message) {
    super(message == null ? "" : message.replace("\r", "").replace('\n', ' '));
  }

  public BadInputException(String message, Throwable cause) {
    super(message == null ? "" : message.replace("\r", "").replace('\n', ' '), cause);
  }
}
