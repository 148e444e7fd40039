package dev.strata.search.space;

import java.util.Objects;

/**
 * A fixed value that every (matching) configuration carries but no strategy searches. JSON: a bare
 * scalar ({@code "epochs": 30}) or {@code {"const": value}} for any JSON value, e.g. a list.
 *
 * <p>Immutable and thread-safe.
 *
 * @param value any JSON-like value, normalised (integers Long, other numbers Double)
 */
public record ConstantParameter(String name, Object value, Condition when) implements Parameter {

  public ConstantParameter {
    SpaceNode.checkName(name);
    Objects.requireNonNull(when, "when");
    value = Values.normalize(value);
  }

  public static ConstantParameter of(String name, Object value) {
    return new ConstantParameter(name, value, Condition.ALWAYS);
  }

  public ConstantParameter withWhen(Condition condition) {
    return new ConstantParameter(name, value, condition);
  }

  /** The constant itself. */
  @Override
  public Object defaultValue() {
    return value;
  }

  @Override
  public Dimension dimension(String path) {
    return null;
  }

  @Override
  public String problem(Object given) {
    return Objects.equals(Values.normalize(given), value) ? null
        : Values.show(given) + " differs from the constant " + Values.show(value);
  }
}
