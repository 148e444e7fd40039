package dev.strata.trainer.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * {@code repeat} basic residual units of ResNet (He et al. 2015), each
 * {@code y = act(S(x) + Dropout(BN(conv(act(BN(conv(x)))))))} with two 'same' {@code kernel x kernel}
 * convolutions to {@code filters} channels; the first convolution of the first unit has the stride.
 * The shortcut S is the identity, or, where the channels or the resolution change, a 1x1 convolution
 * with that stride (and batch norm when the block has it). Without batch norm the convolutions
 * carry biases. Immutable.
 *
 * @param filters output channels, >= 1
 * @param kernel odd window side (default 3)
 * @param stride of the first unit (default 1; 2 halves the resolution)
 * @param batchNorm default true
 * @param activation default relu
 * @param repeat units, >= 1 (default 1)
 * @param dropout on each unit's branch, in [0, 1), or null for the training default
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ConvResidualBlock(int filters, int kernel, int stride, boolean batchNorm, Activation activation,
    int repeat, Double dropout) implements ImageBlock {

  public ConvResidualBlock {
    SpecException.checkAtLeast("/filters", filters, 1, "use a positive channel count such as 16");
    SpecException.checkAtLeast("/kernel", kernel, 1, "use 3");
    SpecException.checkAtLeast("/stride", stride, 1, "use 1, or 2 to halve the resolution");
    SpecException.checkAtLeast("/repeat", repeat, 1, "a stage needs at least one unit");
    Objects.requireNonNull(activation, "activation");
    if (kernel % 2 == 0) {
      throw SpecException.at("/kernel", "must be odd (the convolutions keep the size), got " + kernel + "; use 3");
    }
    if (dropout != null) {
      SpecException.checkRange("/dropout", dropout, 0, true, 1, false, "use 0 for no dropout, e.g. 0.2");
    }
  }

  @JsonCreator
  static ConvResidualBlock json(@JsonProperty("filters") Integer filters, @JsonProperty("kernel") Integer kernel,
      @JsonProperty("stride") Integer stride, @JsonProperty("batchNorm") Boolean batchNorm,
      @JsonProperty("activation") Activation activation, @JsonProperty("repeat") Integer repeat,
      @JsonProperty("dropout") Double dropout) {
    if (filters == null) {
      throw SpecException.at("/filters", "is missing (or misspelled); give the number of output channels, e.g. 16");
    }
    return new ConvResidualBlock(filters, kernel == null ? 3 : kernel, stride == null ? 1 : stride,
        batchNorm == null || batchNorm, activation == null ? Activation.RELU : activation, repeat == null ? 1 : repeat,
        dropout);
  }

  public static ConvResidualBlock of(int filters, int stride, int repeat) {
    return new ConvResidualBlock(filters, 3, stride, true, Activation.RELU, repeat, null);
  }

  @Override
  public ImageShape outputShape(ImageShape in) {
    return ImageBlock.window(in, filters, kernel, stride, kernel / 2, 1, "/kernel");
  }
}
