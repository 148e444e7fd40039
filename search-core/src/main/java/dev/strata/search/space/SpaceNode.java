package dev.strata.search.space;

/**
 * One named entry of a search space: a {@link Parameter} or a {@link RepeatGroup}.
 *
 * <p>Names are non-empty, contain no {@code /} and do not start with {@code #} (reserved for
 * {@code #count}). Implementations are immutable records and thread-safe.
 */
public sealed interface SpaceNode permits Parameter, RepeatGroup {

  /** The name, unique among its siblings. */
  String name();

  /** When the entry is active ({@link Condition#ALWAYS} when unconditional). */
  Condition when();

  /** Checks a name; throws {@link IllegalArgumentException} with a fix when it is unusable. */
  static String checkName(String name) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("a parameter name must not be empty");
    }
    if (name.contains("/")) {
      throw new IllegalArgumentException("parameter name '" + name + "' contains '/'; use '_' or '.' instead");
    }
    if (name.startsWith("#")) {
      throw new IllegalArgumentException("parameter name '" + name + "' starts with '#', which is reserved"
          + " for #count; rename it");
    }
    return name;
  }
}
