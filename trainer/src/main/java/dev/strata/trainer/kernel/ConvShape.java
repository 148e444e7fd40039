package dev.strata.trainer.kernel;

/**
 * The geometry of one 2-D convolution (or pooling window) on NCHW images: a {@code inChannels x
 * height x width} input, square {@code kernel x kernel} windows at {@code stride}, {@code padding}
 * zeros on every side, {@code dilation} between window taps, {@code groups} channel groups (groups =
 * in = out channels is depthwise). Output side: {@code (side + 2 padding - dilation (kernel - 1) - 1)
 * / stride + 1}, rounded down. Immutable; checks itself.
 */
public record ConvShape(int inChannels, int height, int width, int outChannels, int kernel, int stride, int padding,
    int dilation, int groups) {

  public ConvShape {
    if (inChannels < 1 || height < 1 || width < 1 || outChannels < 1 || kernel < 1 || stride < 1 || padding < 0
        || dilation < 1 || groups < 1) {
      throw new IllegalArgumentException("bad convolution shape " + this);
    }
    if (inChannels % groups != 0 || outChannels % groups != 0) {
      throw new IllegalArgumentException("groups " + groups + " must divide in " + inChannels + " and out "
          + outChannels + " channels");
    }
    int span = dilation * (kernel - 1) + 1;
    if (height + 2 * padding < span || width + 2 * padding < span) {
      throw new IllegalArgumentException("window " + span + " larger than the padded " + height + "x" + width
          + " input");
    }
  }

  /** A convolution with "same" (pad dilation (kernel - 1) / 2, kernel odd) or "valid" (pad 0) padding. */
  public static ConvShape of(int in, int h, int w, int out, int kernel, int stride, boolean same, int dilation,
      int groups) {
    return new ConvShape(in, h, w, out, kernel, stride, same ? dilation * (kernel - 1) / 2 : 0, dilation, groups);
  }

  /** Extent of one window in input pixels: {@code dilation (kernel - 1) + 1}. */
  public int span() {
    return dilation * (kernel - 1) + 1;
  }

  public int outHeight() {
    return (height + 2 * padding - span()) / stride + 1;
  }

  public int outWidth() {
    return (width + 2 * padding - span()) / stride + 1;
  }

  /** Input floats per sample. */
  public int inSize() {
    return inChannels * height * width;
  }

  /** Output floats per sample. */
  public int outSize() {
    return outChannels * outHeight() * outWidth();
  }

  /** Output pixels per channel. */
  public int outPlane() {
    return outHeight() * outWidth();
  }

  /** Rows of one group's unfolded input: {@code inChannels / groups x kernel x kernel}. */
  public int groupK() {
    return inChannels / groups * kernel * kernel;
  }

  /** Whether the unfolded input is the input itself (1x1, stride 1, no padding). */
  public boolean pointwise() {
    return kernel == 1 && stride == 1 && padding == 0;
  }

  /** Weights: {@code outChannels x inChannels / groups x kernel x kernel}. */
  public int weightCount() {
    return outChannels * groupK();
  }

  /** Forward multiply-adds per sample. */
  public long macs() {
    return (long) outChannels * groupK() * outPlane();
  }
}
