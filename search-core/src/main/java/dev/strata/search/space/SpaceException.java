package dev.strata.search.space;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A search-space file (or a space embedded in an experiment file) is wrong.
 *
 * <p>Carries every {@link Problem} found, in document order; the accessors {@link #source()},
 * {@link #line()}, {@link #column()}, {@link #pointer()} and {@link #detail()} describe the first
 * one. {@link #getMessage()} is one line per problem:
 *
 * <pre>{@code FILE:LINE:COL /json/pointer: what is wrong; how to fix}</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class SpaceException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * One mistake at one place.
   *
   * @param source the file name (or another label for the text, e.g. {@code <string>})
   * @param line 1-based line, 0 when unknown
   * @param column 1-based column, 0 when unknown
   * @param pointer the JSON pointer of the offending value or key ({@code ""} for the root)
   * @param message what is wrong and how to fix it
   */
  public record Problem(String source, int line, int column, String pointer, String message) {

    public Problem {
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(pointer, "pointer");
      Objects.requireNonNull(message, "message");
    }

    /**
     * {@code FILE:LINE:COL /pointer: message}, {@code FILE /pointer: message} without a line, or
     * {@code FILE: message} for the file as a whole (no line, root pointer: missing, unreadable).
     */
    public String format() {
      if (line <= 0 && pointer.isEmpty()) {
        return source + ": " + message;
      }
      String where = line > 0 ? source + ":" + line + ":" + column : source;
      return where + " " + (pointer.isEmpty() ? "/" : pointer) + ": " + message;
    }

    @Override
    public String toString() {
      return format();
    }
  }

  private final transient List<Problem> problems;

  /** An exception for one or more problems (at least one). */
  public SpaceException(List<Problem> problems) {
    super(problems.stream().map(Problem::format).collect(Collectors.joining("\n")));
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("a SpaceException needs at least one problem");
    }
    this.problems = List.copyOf(problems);
  }

  /** An exception for a single problem. */
  public SpaceException(Problem problem) {
    this(List.of(problem));
  }

  /** Every problem found, in document order. */
  public List<Problem> problems() {
    return problems;
  }

  public String source() {
    return problems.getFirst().source();
  }

  public int line() {
    return problems.getFirst().line();
  }

  public int column() {
    return problems.getFirst().column();
  }

  public String pointer() {
    return problems.getFirst().pointer();
  }

  /** What is wrong with the first problem and how to fix it, without the location. */
  public String detail() {
    return problems.getFirst().message();
  }
}
