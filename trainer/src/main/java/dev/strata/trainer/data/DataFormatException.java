package dev.strata.trainer.data;

/**
 * Bad data or a bad data source: the message is one line that says what is wrong, where
 * ({@code file:line:column} when known, 1-based) and how to fix it, for example
 * {@code data.csv:17:4: expected a number, got 'abc' (column 'petal_width'); fix the value or drop
 * the column}. Unchecked, so a caller can let it travel up to the CLI, which prints the message
 * and exits non-zero. Immutable.
 */
public final class DataFormatException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Creates an exception with a ready one-line message. */
  public DataFormatException(String message) {
    super(oneLine(message));
  }

  /** Creates an exception with a ready one-line message and the underlying cause. */
  public DataFormatException(String message, Throwable cause) {
    super(oneLine(message), cause);
  }

  /** {@code source:line: what}; {@code line} is 1-based. */
  public static DataFormatException at(String source, long line, String what) {
    return new DataFormatException(source + ":" + line + ": " + what);
  }

  /** {@code source:line:column: what}; both are 1-based. */
  public static DataFormatException at(String source, long line, int column, String what) {
    return new DataFormatException(source + ":" + line + ":" + column + ": " + what);
  }

  private static String oneLine(String message) {
    return message == null ? "" : message.replace("\r", "").replace('\n', ' ');
  }
}
