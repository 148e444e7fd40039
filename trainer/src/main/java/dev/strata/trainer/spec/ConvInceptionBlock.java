package dev.strata.trainer.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Objects;

/**
 * An inception block on images (Szegedy et al. 2014): parallel branches on the same input, each an
 * optional stride-1 'same' pooling, an optional 1x1 reduction to {@code reduce} channels with the
 * activation, and a 'same' {@code kernel x kernel} convolution to {@code filters} channels; the
 * outputs are concatenated along the channels (same resolution as the input), then the activation
 * is applied. With batch norm every convolution is followed by one (and has no bias). Immutable.
 *
 * @param branches at least one
 * @param activation default relu
 * @param batchNorm default false
 * @param dropout on the block output, in [0, 1), or null for the training default
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ConvInceptionBlock(List<Branch> branches, Activation activation, boolean batchNorm, Double dropout)
    implements ImageBlock {

  public ConvInceptionBlock {
    if (branches == null || branches.isEmpty()) {
      throw SpecException.at("/branches", "must list at least one branch, e.g. [{\"filters\": 16}, "
          + "{\"reduce\": 8, \"kernel\": 3, \"filters\": 16}]");
    }
    for (int i = 0; i < branches.size(); i++) {
      if (branches.get(i) == null) {
        throw SpecException.at("/branches/" + i, "is null; give a branch such as {\"filters\": 16}");
      }
    }
    branches = List.copyOf(branches);
    Objects.requireNonNull(activation, "activation");
    if (dropout != null) {
      SpecException.checkRange("/dropout", dropout, 0, true, 1, false, "use 0 for no dropout, e.g. 0.2");
    }
  }

  @JsonCreator
  static ConvInceptionBlock json(@JsonProperty("branches") List<Branch> branches,
      @JsonProperty("activation") Activation activation, @JsonProperty("batchNorm") Boolean batchNorm,
      @JsonProperty("dropout") Double dropout) {
    return new ConvInceptionBlock(branches, activation == null ? Activation.RELU : activation,
        Boolean.TRUE.equals(batchNorm), dropout);
  }

  /** Channels of the concatenation. */
  public int filters() {
    return branches.stream().mapToInt(Branch::filters).sum();
  }

  @Override
  public ImageShape outputShape(ImageShape in) {
    for (int i = 0; i < branches.size(); i++) {
      Branch b = branches.get(i);
      if (b.pool() != null) {
        ImageBlock.window(in, in.channels(), b.poolSize(), 1, b.poolSize() / 2, 1, "/branches/" + i + "/poolSize");
      }
      ImageBlock.window(in, b.filters(), b.kernel(), 1, b.kernel() / 2, 1, "/branches/" + i + "/kernel");
    }
    if ((long) filters() * in.plane() > Integer.MAX_VALUE - 16) {
      throw SpecException.at("/branches", filters() + " channels of " + in.plane() + " pixels exceed a Java array");
    }
    return new ImageShape(filters(), in.height(), in.width());
  }

  /**
   * One branch: {@code [pool] -> [1x1 to reduce, activation] -> kernel x kernel to filters}.
   *
   * @param filters output channels, >= 1
   * @param kernel odd window side (default 1)
   * @param reduce channels of the 1x1 reduction before the convolution, or null for none
   * @param pool max or avg pooling (stride 1, 'same') before everything, or null for none
   * @param poolSize odd pooling window (default 3)
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Branch(int filters, int kernel, Integer reduce, PoolMode pool, int poolSize) {

    public Branch {
      SpecException.checkAtLeast("/filters", filters, 1, "use a positive channel count such as 16");
      SpecException.checkAtLeast("/kernel", kernel, 1, "use 1, 3 or 5");
      if (kernel % 2 == 0) {
        throw SpecException.at("/kernel", "must be odd (branches keep the size), got " + kernel + "; use 1, 3 or 5");
      }
      if (reduce != null) {
        SpecException.checkAtLeast("/reduce", reduce, 1, "omit it for no 1x1 reduction");
      }
      if (pool == PoolMode.GLOBAL) {
        throw SpecException.at("/pool", "a branch pools with 'max' or 'avg', not 'global'");
      }
      SpecException.checkAtLeast("/poolSize", poolSize, 1, "use 3");
      if (poolSize % 2 == 0) {
        throw SpecException.at("/poolSize", "must be odd (branches keep the size), got " + poolSize + "; use 3");
      }
    }

    @JsonCreator
    static Branch json(@JsonProperty("filters") Integer filters, @JsonProperty("kernel") Integer kernel,
        @JsonProperty("reduce") Integer reduce, @JsonProperty("pool") PoolMode pool,
        @JsonProperty("poolSize") Integer poolSize) {
      if (filters == null) {
        throw SpecException.at("/filters", "is missing (or misspelled); give the branch's output channels, e.g. 16");
      }
      return new Branch(filters, kernel == null ? 1 : kernel, reduce, pool, poolSize == null ? 3 : poolSize);
    }

    public static Branch of(int filters, int kernel, Integer reduce, PoolMode pool) {
      return new Branch(filters, kernel, reduce, pool, 3);
    }
  }
}
