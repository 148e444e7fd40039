package dev.strata.trainer.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Objects;

/**
 * An inception-like block: parallel branches, each a stack of {@code layers} dense layers with its
 * own activation, all reading the block input; their outputs are concatenated (width = sum of the
 * branch widths), optionally mixed by a learned linear projection to {@code projection} units, then
 * dropped out. Immutable.
 *
 * @param branches at least one branch
 * @param projection output width of the linear projection after the concatenation, or null for none
 * @param dropout rate on the block output, in [0, 1), or null for the training default
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record InceptionBlock(List<Branch> branches, Integer projection, Double dropout) implements BlockSpec {

  public InceptionBlock {
    if (branches == null || branches.isEmpty()) {
      throw SpecException.at("/branches", "must list at least one branch, e.g. [{\"width\": 32}, {\"width\": 32, \"layers\": 2}]");
    }
    for (int i = 0; i < branches.size(); i++) {
      if (branches.get(i) == null) {
        throw SpecException.at("/branches/" + i, "is null; give a branch such as {\"width\": 32}");
      }
    }
    branches = List.copyOf(branches);
    if (projection != null) {
      SpecException.checkAtLeast("/projection", projection, 1, "omit it for no projection");
    }
    if (dropout != null) {
      SpecException.checkRange("/dropout", dropout, 0, true, 1, false, "use 0 for no dropout, e.g. 0.2");
    }
  }

  /** Branches without projection, default dropout. */
  public static InceptionBlock of(List<Branch> branches) {
    return new InceptionBlock(branches, null, null);
  }

  /** Sum of the branch widths: the width before the projection. */
  public int concatWidth() {
    return branches.stream().mapToInt(Branch::width).sum();
  }

  @Override
  public int outputWidth() {
    return projection != null ? projection : concatWidth();
  }

  public InceptionBlock withProjection(Integer width) {
    return new InceptionBlock(branches, width, dropout);
  }

  public InceptionBlock withDropout(Double rate) {
    return new InceptionBlock(branches, projection, rate);
  }

  /**
   * One branch: {@code layers} dense layers of {@code width} units with {@code activation}.
   *
   * @param width >= 1
   * @param layers >= 1 (default 1)
   * @param activation default relu
   */
  public record Branch(int width, int layers, Activation activation) {

    public Branch {
      SpecException.checkAtLeast("/width", width, 1, "use a positive branch width such as 32");
      SpecException.checkAtLeast("/layers", layers, 1, "a branch needs at least one layer");
      Objects.requireNonNull(activation, "activation");
    }

    @JsonCreator
    static Branch json(@JsonProperty("width") int width, @JsonProperty("layers") Integer layers,
        @JsonProperty("activation") Activation activation) {
      return new Branch(width, layers == null ? 1 : layers, activation == null ? Activation.RELU : activation);
    }

    public static Branch of(int width, int layers, Activation activation) {
      return new Branch(width, layers, activation);
    }
  }
}
