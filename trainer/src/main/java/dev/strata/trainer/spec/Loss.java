package dev.strata.trainer.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Training losses, averaged over the rows of a batch. With N rows and K outputs:
 *
 * <ul>
 *   <li>{@code mse}: (1 / (N K)) sum (y - t)^2
 *   <li>{@code binary_cross_entropy}: on logits z with targets t in [0, 1],
 *       (1 / (N K)) sum [max(z, 0) - z t + log(1 + e^-|z|)], the stable form of
 *       -t log(sigmoid z) - (1 - t) log(1 - sigmoid z). The network's output activation must be linear.
 *   <li>{@code softmax_cross_entropy}: on logits z with integer labels c,
 *       (1 / N) sum [logsumexp(z) - z_c], computed after subtracting the row maximum. Needs at
 *       least two outputs and a linear output activation.
 * </ul>
 */
public enum Loss {
  MSE("mse"),
  BINARY_CROSS_ENTROPY("binary_cross_entropy"),
  SOFTMAX_CROSS_ENTROPY("softmax_cross_entropy");

  private final String jsonName;

  Loss(String jsonName) {
    this.jsonName = jsonName;
  }

  @JsonValue
  public String jsonName() {
    return jsonName;
  }

  @JsonCreator
  public static Loss of(String name) {
    return SpecNames.parse(Loss.class, name, Loss::jsonName, "loss");
  }

  /** Whether the loss consumes logits and therefore needs a linear output activation. */
  public boolean onLogits() {
    return this != MSE;
  }

  @Override
  public String toString() {
    return jsonName;
  }
}
