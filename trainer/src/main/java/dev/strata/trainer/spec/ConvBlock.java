package dev.strata.trainer.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * {@code repeat} convolution layers of {@code filters} output channels, each
 * {@code Conv2d -> [BatchNorm] -> activation -> [Dropout]}; only the first has the stride. With
 * {@code separable} each convolution is a depthwise {@code kernel x kernel} convolution followed by a
 * pointwise 1x1 one; with {@code depthwise} the groups are the input channels. Immutable.
 *
 * @param filters output channels, >= 1
 * @param kernel window side, >= 1 (default 3); odd with 'same' padding
 * @param stride default 1
 * @param padding default same
 * @param dilation default 1
 * @param groups channel groups, dividing the input channels and {@code filters} (default 1)
 * @param depthwise groups = input channels (default false)
 * @param separable depthwise then pointwise (default false)
 * @param bias whether the convolution has a bias; null: only without batch norm
 * @param batchNorm normalise each channel before the activation (default false)
 * @param activation default relu
 * @param repeat layers in the block, >= 1 (default 1)
 * @param dropout rate after each activation, in [0, 1), or null for the training default
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ConvBlock(int filters, int kernel, int stride, Padding padding, int dilation, int groups,
    boolean depthwise, boolean separable, Boolean bias, boolean batchNorm, Activation activation, int repeat,
    Double dropout) implements ImageBlock {

  public ConvBlock {
    SpecException.checkAtLeast("/filters", filters, 1, "use a positive channel count such as 16");
    SpecException.checkAtLeast("/kernel", kernel, 1, "use 1, 3, 5 or 7");
    SpecException.checkAtLeast("/stride", stride, 1, "use 1, or 2 to halve the resolution");
    SpecException.checkAtLeast("/dilation", dilation, 1, "use 1, or 2 for a dilated convolution");
    SpecException.checkAtLeast("/groups", groups, 1, "use 1 for a full convolution");
    SpecException.checkAtLeast("/repeat", repeat, 1, "a block needs at least one layer");
    Objects.requireNonNull(padding, "padding");
    Objects.requireNonNull(activation, "activation");
    if (padding == Padding.SAME && kernel % 2 == 0) {
      throw SpecException.at("/kernel", "'same' padding needs an odd kernel, got " + kernel
          + "; use 3 or 5, or padding 'valid'");
    }
    if (separable && (depthwise || groups != 1)) {
      throw SpecException.at("/separable", "a separable convolution already is depthwise then pointwise; remove '"
          + (depthwise ? "depthwise" : "groups") + "'");
    }
    if (depthwise && groups != 1) {
      throw SpecException.at("/groups", "depthwise sets the groups to the input channels; remove 'groups'");
    }
    if (dropout != null) {
      SpecException.checkRange("/dropout", dropout, 0, true, 1, false, "use 0 for no dropout, e.g. 0.2");
    }
  }

  @JsonCreator
  static ConvBlock json(@JsonProperty("filters") Integer filters, @JsonProperty("kernel") Integer kernel,
      @JsonProperty("stride") Integer stride, @JsonProperty("padding") Padding padding,
      @JsonProperty("dilation") Integer dilation, @JsonProperty("groups") Integer groups,
      @JsonProperty("depthwise") Boolean depthwise, @JsonProperty("separable") Boolean separable,
      @JsonProperty("bias") Boolean bias, @JsonProperty("batchNorm") Boolean batchNorm,
      @JsonProperty("activation") Activation activation, @JsonProperty("repeat") Integer repeat,
      @JsonProperty("dropout") Double dropout) {
    if (filters == null) {
      throw SpecException.at("/filters", "is missing (or misspelled); give the number of output channels, e.g. 16");
    }
    return new ConvBlock(filters, kernel == null ? 3 : kernel, stride == null ? 1 : stride,
        padding == null ? Padding.SAME : padding, dilation == null ? 1 : dilation, groups == null ? 1 : groups,
        Boolean.TRUE.equals(depthwise), Boolean.TRUE.equals(separable), bias, Boolean.TRUE.equals(batchNorm),
        activation == null ? Activation.RELU : activation, repeat == null ? 1 : repeat, dropout);
  }

  /** A 'same' convolution with stride 1, ReLU and the other defaults. */
  public static ConvBlock of(int filters, int kernel) {
    return new ConvBlock(filters, kernel, 1, Padding.SAME, 1, 1, false, false, null, false, Activation.RELU, 1, null);
  }

  public ConvBlock withStride(int v) {
    return new ConvBlock(filters, kernel, v, padding, dilation, groups, depthwise, separable, bias, batchNorm,
        activation, repeat, dropout);
  }

  public ConvBlock withBatchNorm(boolean v) {
    return new ConvBlock(filters, kernel, stride, padding, dilation, groups, depthwise, separable, bias, v,
        activation, repeat, dropout);
  }

  /** Whether the convolutions carry a bias: as given, else only without batch norm (which has its own shift). */
  public boolean hasBias() {
    return bias != null ? bias : !batchNorm;
  }

  /** Groups of layer {@code j} (0-based) reading {@code inChannels}. */
  public int groupsFor(int inChannels) {
    return depthwise ? inChannels : groups;
  }

  @Override
  public ImageShape outputShape(ImageShape in) {
    ImageShape s = in;
    for (int j = 0; j < repeat; j++) {
      int g = groupsFor(s.channels());
      if (s.channels() % g != 0) {
        throw SpecException.at("/groups", "must divide the " + s.channels() + " input channels, got " + g);
      }
      if (filters % g != 0) {
        throw SpecException.at("/filters", "must be a multiple of the " + g + " groups" + (depthwise
            ? " (depthwise: the input channels)" : "") + ", got " + filters);
      }
      s = ImageBlock.window(s, filters, kernel, j == 0 ? stride : 1, padding.pixels(kernel, dilation), dilation,
          "/kernel");
    }
    return s;
  }
}
