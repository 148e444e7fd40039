package dev.strata.trainer.spec;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * One block of a network: a dense {@link PlainBlock}, {@link ResidualBlock} or {@link InceptionBlock},
 * or an {@link ImageBlock} on images. In JSON the kind is the {@code "type"} property: {@code "plain"},
 * {@code "residual"}, {@code "inception"}, {@code "conv"}, {@code "pool"}, {@code "conv_residual"},
 * {@code "conv_inception"} or {@code "cell"}. Implementations are immutable records that validate themselves.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = PlainBlock.class, name = "plain"),
  @JsonSubTypes.Type(value = ResidualBlock.class, name = "residual"),
  @JsonSubTypes.Type(value = InceptionBlock.class, name = "inception"),
  @JsonSubTypes.Type(value = ConvBlock.class, name = "conv"),
  @JsonSubTypes.Type(value = PoolBlock.class, name = "pool"),
  @JsonSubTypes.Type(value = ConvResidualBlock.class, name = "conv_residual"),
  @JsonSubTypes.Type(value = ConvInceptionBlock.class, name = "conv_inception"),
  @JsonSubTypes.Type(value = CellBlock.class, name = "cell")
})
public sealed interface BlockSpec permits PlainBlock, ResidualBlock, InceptionBlock, ImageBlock {

  /** The JSON type names, in declaration order. */
  java.util.List<String> TYPES = java.util.List.of("plain", "residual", "inception", "conv", "pool", "conv_residual",
      "conv_inception", "cell");

  /** Width of the block's output (dense blocks; an {@link ImageBlock}'s depends on its input). */
  int outputWidth();

  /** The block's own dropout rate, or null to use {@link TrainingSpec#dropout()}. */
  Double dropout();
}
