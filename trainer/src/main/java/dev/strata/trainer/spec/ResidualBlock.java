package dev.strata.trainer.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;
import java.util.Objects;

/**
 * A residual block of {@code layers} dense layers F and a shortcut S (identity, or a learned linear
 * projection when the input width differs from {@code width}). Immutable.
 *
 * <ul>
 *   <li>post-activation (He et al. 2015): {@code F = [Dense -> (BN) -> act] x (k-1) -> Dense -> (BN)},
 *       {@code y = act(S(x) + Dropout(F(x)))};
 *   <li>pre-activation (He et al. 2016): {@code F = [(BN) -> act -> Dense] x k},
 *       {@code y = S(x) + Dropout(F(x))} — the identity path stays free of non-linearities.
 * </ul>
 *
 * @param width output width, >= 1
 * @param layers number of dense layers k in F, >= 1 (default 2)
 * @param activation default relu
 * @param dropout rate applied to F(x) before the sum, in [0, 1), or null for the training default
 * @param batchNorm whether F normalises before its activations (default false)
 * @param preActivation pre-activation (true) or post-activation (false, the default) variant
 */
@JsonDeserialize(builder = ResidualBlock.Builder.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ResidualBlock(int width, int layers, Activation activation, Double dropout, boolean batchNorm,
    boolean preActivation) implements BlockSpec {

  public ResidualBlock {
    SpecException.checkAtLeast("/width", width, 1, "use a positive layer width such as 64");
    SpecException.checkAtLeast("/layers", layers, 1, "a residual branch needs at least one layer");
    Objects.requireNonNull(activation, "activation");
    if (dropout != null) {
      SpecException.checkRange("/dropout", dropout, 0, true, 1, false, "use 0 for no dropout, e.g. 0.2");
    }
  }

  /** A post-activation block without batch norm and with the default dropout. */
  public static ResidualBlock of(int width, int layers, Activation activation) {
    return new ResidualBlock(width, layers, activation, null, false, false);
  }

  @Override
  public int outputWidth() {
    return width;
  }

  public ResidualBlock withPreActivation(boolean on) {
    return new ResidualBlock(width, layers, activation, dropout, batchNorm, on);
  }

  public ResidualBlock withBatchNorm(boolean on) {
    return new ResidualBlock(width, layers, activation, dropout, on, preActivation);
  }

  public ResidualBlock withDropout(Double rate) {
    return new ResidualBlock(width, layers, activation, rate, batchNorm, preActivation);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builder with the documented defaults (width must be set). Not thread-safe. */
  @JsonPOJOBuilder(withPrefix = "")
  public static final class Builder {
    private int width;
    private int layers = 2;
    private Activation activation = Activation.RELU;
    private Double dropout;
    private boolean batchNorm;
    private boolean preActivation;

    public Builder width(int v) {
      width = v;
      return this;
    }

    public Builder layers(int v) {
      layers = v;
      return this;
    }

    public Builder activation(Activation v) {
      activation = v;
      return this;
    }

    public Builder dropout(Double v) {
      dropout = v;
      return this;
    }

    public Builder batchNorm(boolean v) {
      batchNorm = v;
      return this;
    }

    public Builder preActivation(boolean v) {
      preActivation = v;
      return this;
    }

    public ResidualBlock build() {
      return new ResidualBlock(width, layers, activation == null ? Activation.RELU : activation, dropout, batchNorm,
          preActivation);
    }
  }
}
