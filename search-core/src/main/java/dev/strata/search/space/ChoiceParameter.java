package dev.strata.search.space;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A categorical parameter: one of a list of JSON scalars (strings, integers, floats, booleans; no
 * null). JSON: {@code {"choice": ["relu", "tanh"], "default": "relu"}}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param defaultValue one of the choices, or null (then the first choice is the default)
 */
public record ChoiceParameter(String name, List<Object> choices, Object defaultValue, Condition when)
    implements Parameter {

  public ChoiceParameter {
    SpaceNode.checkName(name);
    Objects.requireNonNull(choices, "choices");
    Objects.requireNonNull(when, "when");
    if (choices.isEmpty()) {
      throw new IllegalArgumentException(name + ": the choice list is empty; list at least one value");
    }
    List<Object> copy = new ArrayList<>(choices.size());
    for (Object c : choices) {
      Object v = Values.normalize(c);
      if (v == null) {
        throw new IllegalArgumentException(name + ": null is not allowed as a choice; use a string such as \"none\"");
      }
      if (!Values.isScalar(v)) {
        throw new IllegalArgumentException(name + ": choices must be strings, numbers or booleans, got " + Values.show(v));
      }
      if (Values.indexOf(copy, v) >= 0) {
        throw new IllegalArgumentException(name + ": choice " + Values.show(v) + " is listed twice; remove one");
      }
      copy.add(v);
    }
    choices = List.copyOf(copy);
    defaultValue = Values.normalize(defaultValue);
    if (defaultValue != null && Values.indexOf(choices, defaultValue) < 0) {
      throw new IllegalArgumentException(name + ": default " + Values.show(defaultValue)
          + " is not one of the choices " + Values.show(choices));
    }
    if (defaultValue != null) {
      defaultValue = choices.get(Values.indexOf(choices, defaultValue));
    }
  }

  /** An unconditional choice without a default. */
  public static ChoiceParameter of(String name, Object... choices) {
    return new ChoiceParameter(name, Arrays.asList(choices), null, Condition.ALWAYS);
  }

  public ChoiceParameter withDefault(Object value) {
    return new ChoiceParameter(name, choices, value, when);
  }

  public ChoiceParameter withWhen(Condition condition) {
    return new ChoiceParameter(name, choices, defaultValue, condition);
  }

  @Override
  public Dimension dimension(String path) {
    return Dimension.categorical(path, choices);
  }

  @Override
  public String problem(Object value) {
    for (Object c : choices) {
      if (c.equals(value)) {
        return null;
      }
    }
    return Values.show(value) + " is not one of " + Values.show(choices);
  }
}
