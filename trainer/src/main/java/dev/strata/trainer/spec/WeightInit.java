package dev.strata.trainer.spec;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * How dense-layer weights are drawn (fan-in n_in, fan-out n_out of the layer). Biases are drawn
 * separately from N(0, sigma_b^2) with {@link TrainingSpec#biasSigma()}, so a mean-field
 * initialisation (sigma_w^2, sigma_b^2) is {@code Gaussian(sigma_w, true)} plus {@code biasSigma = sigma_b}.
 * JSON: {@code {"type": "he_normal"}}, {@code {"type": "gaussian", "sigma": 1.5, "fanInScaled": true}}.
 * Immutable records.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = WeightInit.Gaussian.class, name = "gaussian"),
  @JsonSubTypes.Type(value = WeightInit.Uniform.class, name = "uniform"),
  @JsonSubTypes.Type(value = WeightInit.GlorotUniform.class, name = "glorot_uniform"),
  @JsonSubTypes.Type(value = WeightInit.GlorotNormal.class, name = "glorot_normal"),
  @JsonSubTypes.Type(value = WeightInit.HeUniform.class, name = "he_uniform"),
  @JsonSubTypes.Type(value = WeightInit.HeNormal.class, name = "he_normal"),
  @JsonSubTypes.Type(value = WeightInit.Sparse.class, name = "sparse"),
  @JsonSubTypes.Type(value = WeightInit.Critical.class, name = "critical")
})
public sealed interface WeightInit {

  /** The JSON type names. */
  java.util.List<String> TYPES =
      java.util.List.of("gaussian", "uniform", "glorot_uniform", "glorot_normal", "he_uniform", "he_normal", "sparse",
          "critical");

  /**
   * N(0, sigma^2), or N(0, sigma^2 / n_in) when {@code fanInScaled} (the mean-field convention).
   *
   * @param sigma > 0
   */
  record Gaussian(double sigma, boolean fanInScaled) implements WeightInit {
    public Gaussian {
      SpecException.checkRange("/sigma", sigma, 0, false, Double.POSITIVE_INFINITY, false, "e.g. \"sigma\": 0.05");
    }
  }

  /**
   * U(-limit, limit).
   *
   * @param limit > 0
   */
  record Uniform(double limit) implements WeightInit {
    public Uniform {
      SpecException.checkRange("/limit", limit, 0, false, Double.POSITIVE_INFINITY, false, "e.g. \"limit\": 0.05");
    }
  }

  /** U(-a, a) with a = sqrt(6 / (n_in + n_out)) (Glorot &amp; Bengio 2010). The default. */
  record GlorotUniform() implements WeightInit {}

  /** N(0, 2 / (n_in + n_out)), not truncated. */
  record GlorotNormal() implements WeightInit {}

  /** U(-a, a) with a = sqrt(6 / n_in) (He et al. 2015). */
  record HeUniform() implements WeightInit {}

  /** N(0, 2 / n_in), not truncated. */
  record HeNormal() implements WeightInit {}

  /**
   * Sparse initialisation (Martens 2010): each output unit gets {@code max(1, round(fraction n_in))}
   * non-zero incoming weights, at input positions drawn without replacement, valued N(0, sigma^2);
   * {@code sigma = 0} means 1 / sqrt(number of non-zeros), which keeps the unit's input variance.
   *
   * @param fraction of non-zero weights per unit, in (0, 1]
   * @param sigma >= 0
   */
  record Sparse(double fraction, double sigma) implements WeightInit {
    public Sparse {
      SpecException.checkRange("/fraction", fraction, 0, false, 1, true, "e.g. \"fraction\": 0.1");
      SpecException.checkRange("/sigma", sigma, 0, true, Double.POSITIVE_INFINITY, false, "use 0 for 1/sqrt(non-zeros)");
    }
  }

  /**
   * Mean-field critical initialisation: N(0, sigma_w^2 / n_in) with sigma_w^2 solved numerically so
   * that chi_1 = sigma_w^2 E[phi'(h)^2] = 1 at the fixed point h ~ N(0, q*) for the activation and
   * sigma_b = {@link TrainingSpec#biasSigma()} (the order-to-chaos boundary; see {@code
   * dev.strata.trainer.meanfield.MeanField}). The network resolves it once, for {@code activation},
   * or when that is null for the activation of its first hidden layer. Relu gives He (sigma_w^2 = 2),
   * tanh 1 at sigma_b = 0 and 1.76 at sigma_b^2 = 0.05.
   *
   * @param activation the activation to be critical for, or null for the network's
   */
  record Critical(Activation activation) implements WeightInit {}

  /** {@link Critical} for the network's own activation. */
  static WeightInit critical() {
    return new Critical(null);
  }

  static WeightInit gaussian(double sigma) {
    return new Gaussian(sigma, false);
  }

  static WeightInit uniform(double limit) {
    return new Uniform(limit);
  }

  static WeightInit glorotUniform() {
    return new GlorotUniform();
  }

  static WeightInit glorotNormal() {
    return new GlorotNormal();
  }

  static WeightInit heUniform() {
    return new HeUniform();
  }

  static WeightInit heNormal() {
    return new HeNormal();
  }

  static WeightInit sparse(double fraction) {
    return new Sparse(fraction, 0);
  }

  /** Mean-field initialisation N(0, sigmaW^2 / n_in); pair it with {@code biasSigma = sigma_b}. */
  static WeightInit meanField(double sigmaW) {
    return new Gaussian(sigmaW, true);
  }
}
