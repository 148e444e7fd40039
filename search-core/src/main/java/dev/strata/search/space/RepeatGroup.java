package dev.strata.search.space;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A group of parameters repeated {@code min..max} times, e.g. the blocks of a network. JSON:
 * {@code {"repeat": {"min": 1, "max": 6, "default": 2}, "of": {...}}}. In a configuration its
 * value is a list with one map per element, each holding that element's active parameters.
 * Groups nest. The flat dimensions hold one INT dimension {@code NAME/#count} (when {@code min <
 * max}) and every slot up to {@code max}: {@code NAME/0/x}, {@code NAME/1/x}, …
 *
 * <p>Immutable and thread-safe.
 *
 * @param defaultCount the default number of elements, or null (then the middle of min..max)
 * @param of the entries of one element, names unique
 */
public record RepeatGroup(String name, int min, int max, Integer defaultCount, List<SpaceNode> of,
    Condition when) implements SpaceNode {

  /** The largest {@code max} accepted: every slot becomes dimensions. */
  public static final int MAX_REPEAT = 256;

  public RepeatGroup {
    SpaceNode.checkName(name);
    Objects.requireNonNull(when, "when");
    of = List.copyOf(of);
    if (min < 0) {
      throw new IllegalArgumentException(name + ": repeat min " + min + " is negative; use 0 or more");
    }
    if (min > max) {
      throw new IllegalArgumentException(name + ": repeat min " + min + " is greater than max " + max + "; swap them");
    }
    if (max < 1 || max > MAX_REPEAT) {
      throw new IllegalArgumentException(name + ": repeat max " + max + " must be between 1 and " + MAX_REPEAT);
    }
    if (defaultCount != null && (defaultCount < min || defaultCount > max)) {
      throw new IllegalArgumentException(name + ": default count " + defaultCount + " is outside [" + min + ", " + max + "]");
    }
    if (of.isEmpty()) {
      throw new IllegalArgumentException(name + ": \"of\" is empty; list the parameters of one element");
    }
    Set<String> seen = new HashSet<>();
    for (SpaceNode node : of) {
      if (!seen.add(node.name())) {
        throw new IllegalArgumentException(name + ": duplicate parameter '" + node.name() + "'");
      }
    }
  }

  public static RepeatGroup of(String name, int min, int max, SpaceNode... entries) {
    return new RepeatGroup(name, min, max, null, List.of(entries), Condition.ALWAYS);
  }

  public RepeatGroup withDefault(Integer count) {
    return new RepeatGroup(name, min, max, count, of, when);
  }

  public RepeatGroup withWhen(Condition condition) {
    return new RepeatGroup(name, min, max, defaultCount, of, condition);
  }
}
