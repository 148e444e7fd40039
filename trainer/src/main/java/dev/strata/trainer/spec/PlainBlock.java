package dev.strata.trainer.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;
import java.util.Objects;

/**
 * {@code layers} fully connected layers of {@code width} units: each is
 * {@code Dense -> [BatchNorm] -> activation -> [Dropout]} (with batch norm the dense layer's
 * activation moves after the normalisation). Immutable.
 *
 * @param width units per layer, >= 1
 * @param layers number of layers k, >= 1 (default 1)
 * @param activation default relu
 * @param dropout rate in [0, 1), or null for the training default
 * @param batchNorm whether to normalise before each activation (default false)
 */
@JsonDeserialize(builder = PlainBlock.Builder.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PlainBlock(int width, int layers, Activation activation, Double dropout, boolean batchNorm)
    implements BlockSpec {

  public PlainBlock {
    SpecException.checkAtLeast("/width", width, 1, "use a positive layer width such as 64");
    SpecException.checkAtLeast("/layers", layers, 1, "a block needs at least one layer");
    Objects.requireNonNull(activation, "activation");
    if (dropout != null) {
      SpecException.checkRange("/dropout", dropout, 0, true, 1, false, "use 0 for no dropout, e.g. 0.2");
    }
  }

  /** {@code layers} layers of {@code width} with {@code activation}, no batch norm, default dropout. */
  public static PlainBlock of(int width, int layers, Activation activation) {
    return new PlainBlock(width, layers, activation, null, false);
  }

  @Override
  public int outputWidth() {
    return width;
  }

  public PlainBlock withDropout(Double rate) {
    return new PlainBlock(width, layers, activation, rate, batchNorm);
  }

  public PlainBlock withBatchNorm(boolean on) {
    return new PlainBlock(width, layers, activation, dropout, on);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builder with the documented defaults (width has none and must be set). Not thread-safe. */
  @JsonPOJOBuilder(withPrefix = "")
  public static final class Builder {
    private int width;
    private int layers = 1;
    private Activation activation = Activation.RELU;
    private Double dropout;
    private boolean batchNorm;

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

    public PlainBlock build() {
      return new PlainBlock(width, layers, activation == null ? Activation.RELU : activation, dropout, batchNorm);
    }
  }
}
