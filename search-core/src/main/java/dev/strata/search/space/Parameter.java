package dev.strata.search.space;

/**
 * A parameter with a single value: choice, int, float or constant.
 *
 * <p>Immutable and thread-safe.
 */
public sealed interface Parameter extends SpaceNode
    permits ChoiceParameter, IntParameter, FloatParameter, ConstantParameter {

  /** The default value, or {@code null} when none is set. */
  Object defaultValue();

  /** The flat dimension at {@code path}, or {@code null} for a constant (not searched). */
  Dimension dimension(String path);

  /**
   * What is wrong with a value for this parameter (as a Configuration holds it: integers Long,
   * floats Double), or {@code null} when it is acceptable.
   */
  String problem(Object value);
}
