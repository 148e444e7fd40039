package dev.strata.search.space;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * When a parameter (or a repeat group) is active: every named parameter must be active and hold
 * one of its listed values. The empty condition {@link #ALWAYS} always holds.
 *
 * <p>Names are resolved like variables in nested blocks: first among the siblings in the same
 * group (the same repeat element), then in the enclosing repeat element, and so on out to the
 * top level. A condition on a parameter that is itself inactive does not hold.
 *
 * <p>Immutable and thread-safe.
 *
 * @param anyOf parameter name to the values it may take (each list non-empty), in written order
 */
public record Condition(Map<String, List<Object>> anyOf) {

  /** The condition that always holds. */
  public static final Condition ALWAYS = new Condition(Map.of());

  public Condition {
    Map<String, List<Object>> copy = new LinkedHashMap<>();
    anyOf.forEach((name, values) -> {
      Objects.requireNonNull(name, "name");
      if (values.isEmpty()) {
        throw new IllegalArgumentException("when: '" + name + "' needs at least one value");
      }
      List<Object> normalized = values.stream().map(Values::normalize).toList();
      for (Object v : normalized) {
        if (!Values.isScalar(v)) {
          throw new IllegalArgumentException("when: '" + name + "' can only be compared with strings, numbers"
              + " and booleans, got " + Values.show(v));
        }
      }
      copy.put(name, normalized);
    });
    anyOf = Collections.unmodifiableMap(copy);
  }

  /** {@code name} must take one of {@code values}. */
  public static Condition of(String name, Object... values) {
    return ALWAYS.and(name, values);
  }

  /** This condition and also {@code name} in {@code values}. */
  public Condition and(String name, Object... values) {
    Map<String, List<Object>> more = new LinkedHashMap<>(anyOf);
    more.put(name, Arrays.asList(values));
    return new Condition(more);
  }

  public boolean isAlways() {
    return anyOf.isEmpty();
  }

  @Override
  public String toString() {
    return anyOf.entrySet().stream()
        .map(e -> e.getKey() + (e.getValue().size() == 1
            ? " = " + Values.show(e.getValue().getFirst())
            : " in " + Values.show(e.getValue())))
        .collect(Collectors.joining(" and "));
  }
}
