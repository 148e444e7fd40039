package dev.strata.trainer.spec;

/**
 * An invalid network or training description. The message names the offending field as a JSON
 * pointer (RFC 6901), says what is wrong and how to fix it, e.g.
 * {@code /blocks/2/width: must be >= 1, got 0; use a positive layer width such as 64}. When the
 * description came from a file, the message starts with {@code file:line:column}.
 *
 * <p>A record's compact constructor only knows pointers relative to itself ({@code /width});
 * the JSON reader and enclosing records prefix them with {@link #under(String)}. Immutable.
 */
public final class SpecException extends IllegalArgumentException {

  private final String location;
  private final String pointer;
  private final String problem;

  private SpecException(String location, String pointer, String problem, Throwable cause) {
    super(format(location, pointer, problem), cause);
    this.location = location;
    this.pointer = pointer;
    this.problem = problem;
  }

  /** A problem at {@code pointer} (e.g. {@code "/width"}, or {@code ""} for the whole document). */
  public static SpecException at(String pointer, String problem) {
    return new SpecException(null, pointer, problem, null);
  }

  /** The same problem with {@code prefix} put before the pointer ({@code "/blocks/2"}). */
  public SpecException under(String prefix) {
    return new SpecException(location, prefix + pointer, problem, this);
  }

  /** The same problem located in a source ({@code "spec.json:3:5"}). */
  public SpecException located(String location) {
    return new SpecException(location, pointer, problem, this);
  }

  /** {@code file:line:column}, or null when the description was built in code. */
  public String location() {
    return location;
  }

  /** The JSON pointer of the offending field; {@code ""} means the whole document. */
  public String pointer() {
    return pointer;
  }

  /** What is wrong and how to fix it, without the location and pointer. */
  public String problem() {
    return problem;
  }

  private static String format(String location, String pointer, String problem) {
    String where = pointer.isEmpty() ? "/" : pointer;
    return (location == null ? "" : location + " ") + where + ": " + problem;
  }

  // ---- small checks used by the compact constructors ----

  static void checkAtLeast(String pointer, long value, long min, String hint) {
    if (value < min) {
      throw at(pointer, "must be >= " + min + ", got " + value + "; " + hint);
    }
  }

  static void checkRange(String pointer, double value, double min, boolean minInclusive, double max,
      boolean maxInclusive, String hint) {
    boolean ok = !Double.isNaN(value)
        && (minInclusive ? value >= min : value > min)
        && (maxInclusive ? value <= max : value < max);
    if (!ok) {
      String range = (minInclusive ? "[" : "(") + fmt(min) + ", " + fmt(max) + (maxInclusive ? "]" : ")");
      throw at(pointer, "must be in " + range + ", got " + value + "; " + hint);
    }
  }

  private static String fmt(double v) {
    if (v == Double.POSITIVE_INFINITY) {
      return "inf";
    }
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }
}
