package dev.strata.experiments.spec;

/**
 * Bad input from the user: a wrong argument, a missing file, a run directory that is not a run.
 * The message is one line that says what is wrong, where, and how to fix it; the CLI's error handler
 * prints it without a stack trace and exits with exit code 2. Immutable.
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
