package dev.strata.search.space;

import java.util.List;
import java.util.Objects;

/**
 * One flat, numeric view of a searchable parameter, as strategies see it.
 *
 * <p>Repeat groups are expanded up to their maximum count, so {@code blocks/3/width} is a
 * dimension even when a configuration has only two blocks (it is then inactive). Each dimension
 * maps a unit value {@code u ∈ [0, 1]} to a parameter value:
 *
 * <ul>
 *   <li>{@link Kind#CATEGORICAL}: index {@code min(floor(u·n), n−1)} into {@link #choices()};
 *   <li>{@link Kind#INT} and {@link Kind#FLOAT}: {@code low + u·(high − low)}, on a log scale when
 *       {@link #log()}, snapped to {@link #step()} when it is positive, integers rounded.
 * </ul>
 *
 * <p>Immutable and thread-safe.
 *
 * @param path JSON-pointer-like path without the leading slash, e.g. {@code blocks/2/width}
 * @param choices the values of a categorical dimension (empty otherwise)
 * @param step 0 for continuous
 */
public record Dimension(
    String path, Kind kind, List<Object> choices, double low, double high, boolean log, double step) {

  /** The kind of values a dimension holds. */
  public enum Kind {
    CATEGORICAL,
    INT,
    FLOAT
  }

  public Dimension {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(kind, "kind");
    choices = choices == null ? List.of() : List.copyOf(choices);
    if (kind == Kind.CATEGORICAL && choices.isEmpty()) {
      throw new IllegalArgumentException(path + ": a categorical dimension needs at least one choice");
    }
    if (kind != Kind.CATEGORICAL && !(low <= high)) {
      throw new IllegalArgumentException(path + ": low " + low + " must be <= high " + high);
    }
    if (log && low <= 0) {
      throw new IllegalArgumentException(path + ": a log scale needs low > 0, got " + low);
    }
  }

  /** Number of categories (1 for numeric dimensions). */
  public int cardinality() {
    return kind == Kind.CATEGORICAL ? choices.size() : 1;
  }
}
