package dev.strata.trainer.spec;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * One block of a network: a {@link PlainBlock}, a {@link ResidualBlock} or an {@link InceptionBlock}.
 * In JSON the kind is the {@code "type"} property: {@code "plain"}, {@code "residual"} or
 * {@code "inception"}. Implementations are immutable records that validate themselves.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = PlainBlock.class, name = "plain"),
  @JsonSubTypes.Type(value = ResidualBlock.class, name = "residual"),
  @JsonSubTypes.Type(value = InceptionBlock.class, name = "inception")
})
public sealed interface BlockSpec permits PlainBlock, ResidualBlock, InceptionBlock {

  /** The JSON type names, in declaration order. */
  java.util.List<String> TYPES = java.util.List.of("plain", "residual", "inception");

  /** Width of the block's output. */
  int outputWidth();

  /** The block's own dropout rate, or null to use {@link TrainingSpec#dropout()}. */
  Double dropout();
}
