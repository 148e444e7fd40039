package dev.strata.trainer.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Element-wise activation functions, with their JSON names. Formulas (the kernels implement them):
 *
 * <ul>
 *   <li>{@code relu}: max(z, 0)
 *   <li>{@code leaky_relu}: z for z &gt; 0, else 0.01 z
 *   <li>{@code elu}: z for z &gt; 0, else e^z - 1 (alpha = 1)
 *   <li>{@code gelu}: the tanh approximation 0.5 z (1 + tanh(sqrt(2/pi) (z + 0.044715 z^3)))
 *       (Hendrycks &amp; Gimpel), not the exact erf form
 *   <li>{@code sigmoid}: 1 / (1 + e^-z)
 *   <li>{@code tanh}
 *   <li>{@code softplus}: log(1 + e^z), computed as max(z, 0) + log1p(e^-|z|)
 *   <li>{@code linear}: z
 * </ul>
 */
public enum Activation {
  RELU("relu"),
  LEAKY_RELU("leaky_relu"),
  ELU("elu"),
  GELU("gelu"),
  SIGMOID("sigmoid"),
  TANH("tanh"),
  SOFTPLUS("softplus"),
  LINEAR("linear");

  /** Slope of {@link #LEAKY_RELU} for negative inputs. */
  public static final float LEAKY_SLOPE = 0.01f;

  private final String jsonName;

  Activation(String jsonName) {
    this.jsonName = jsonName;
  }

  @JsonValue
  public String jsonName() {
    return jsonName;
  }

  /** Parses a JSON name such as {@code "leaky_relu"}; throws a {@link SpecException} otherwise. */
  @JsonCreator
  public static Activation of(String name) {
    return SpecNames.parse(Activation.class, name, Activation::jsonName, "activation");
  }

  @Override
  public String toString() {
    return jsonName;
  }
}
