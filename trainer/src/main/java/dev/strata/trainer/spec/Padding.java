package dev.strata.trainer.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Convolution padding: {@code same} pads {@code dilation (kernel - 1) / 2} zeros on every side (odd
 * kernels: stride 1 keeps the size, stride 2 halves it rounding up); {@code valid} pads nothing.
 */
public enum Padding {
  SAME("same"),
  VALID("valid");

  private final String jsonName;

  Padding(String jsonName) {
    this.jsonName = jsonName;
  }

  @JsonValue
  public String jsonName() {
    return jsonName;
  }

  @JsonCreator
  public static Padding of(String name) {
    return SpecNames.parse(Padding.class, name, Padding::jsonName, "padding");
  }

  /** Zeros on each side for a {@code kernel}-wide window with {@code dilation}. */
  public int pixels(int kernel, int dilation) {
    return this == SAME ? dilation * (kernel - 1) / 2 : 0;
  }

  @Override
  public String toString() {
    return jsonName;
  }
}
