package dev.strata.trainer.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * Downsampling: max or average pooling over {@code size x size} windows at {@code stride} with
 * {@code padding} zeros (which never win a max and are not counted in an average), or global
 * average pooling of each channel to one value. Immutable.
 *
 * @param mode max (default), avg or global
 * @param size window side, >= 1 (default 2; ignored by global)
 * @param stride default: the window size
 * @param padding pixels on each side, at most size / 2 (default 0)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PoolBlock(PoolMode mode, int size, int stride, int padding) implements ImageBlock {

  public PoolBlock {
    Objects.requireNonNull(mode, "mode");
    SpecException.checkAtLeast("/size", size, 1, "use 2 or 3");
    SpecException.checkAtLeast("/stride", stride, 1, "use 1, or 2 to halve the resolution");
    SpecException.checkAtLeast("/padding", padding, 0, "use 0 for no padding");
    if (padding > size / 2) {
      throw SpecException.at("/padding", "must be at most half the window (" + size / 2 + "), got " + padding);
    }
  }

  @JsonCreator
  static PoolBlock json(@JsonProperty("mode") PoolMode mode, @JsonProperty("size") Integer size,
      @JsonProperty("stride") Integer stride, @JsonProperty("padding") Integer padding) {
    int sz = size == null ? 2 : size;
    return new PoolBlock(mode == null ? PoolMode.MAX : mode, sz, stride == null ? sz : stride,
        padding == null ? 0 : padding);
  }

  /** Pooling has no dropout of its own. */
  @Override
  public Double dropout() {
    return null;
  }

  public static PoolBlock max(int size, int stride) {
    return new PoolBlock(PoolMode.MAX, size, stride, 0);
  }

  public static PoolBlock global() {
    return new PoolBlock(PoolMode.GLOBAL, 1, 1, 0);
  }

  @Override
  public ImageShape outputShape(ImageShape in) {
    if (mode == PoolMode.GLOBAL) {
      return new ImageShape(in.channels(), 1, 1);
    }
    return ImageBlock.window(in, in.channels(), size, stride, padding, 1, "/size");
  }
}
