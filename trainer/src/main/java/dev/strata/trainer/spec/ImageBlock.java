package dev.strata.trainer.spec;

/**
 * A block that works on images ({@link ConvBlock}, {@link PoolBlock}, {@link ConvResidualBlock},
 * {@link ConvInceptionBlock}, {@link CellBlock}): its output depends on the input's {@link ImageShape}, so its width is
 * known only in a network ({@link NetworkSpec#shapes()}). A dense block after image blocks reads the
 * image flattened (channel by channel, row by row).
 */
public sealed interface ImageBlock extends BlockSpec
    permits ConvBlock, PoolBlock, ConvResidualBlock, ConvInceptionBlock, CellBlock {

  /**
   * The output shape for input {@code in}; a {@link SpecException} with a pointer relative to the
   * block when the block does not fit it (a window larger than the padded image, groups that do not
   * divide the channels).
   */
  ImageShape outputShape(ImageShape in);

  /** Not defined on its own: ask {@link NetworkSpec#shapes()}. */
  @Override
  default int outputWidth() {
    throw new UnsupportedOperationException("an image block's width depends on its input; use NetworkSpec.shapes()");
  }

  /** Output side of a window of {@code span} pixels at {@code stride} with {@code pad} on each side. */
  static int side(int in, int span, int stride, int pad) {
    return (in + 2 * pad - span) / stride + 1;
  }

  /** The shape after a {@code kernel}-wide window, or an error at {@code pointer} when it does not fit. */
  static ImageShape window(ImageShape in, int channels, int kernel, int stride, int pad, int dilation, String pointer) {
    int span = dilation * (kernel - 1) + 1;
    if (in.height() + 2 * pad < span || in.width() + 2 * pad < span) {
      throw SpecException.at(pointer, "a window of " + span + " pixels does not fit the " + in.height() + "x"
          + in.width() + " input (padded by " + pad + "); use a smaller kernel, 'same' padding, or less downsampling"
          + " before this block");
    }
    int h = side(in.height(), span, stride, pad);
    int w = side(in.width(), span, stride, pad);
    if ((long) channels * h * w > Integer.MAX_VALUE - 16) {
      throw SpecException.at(pointer, channels + " x " + h + " x " + w + " floats per sample exceed a Java array");
    }
    return new ImageShape(channels, h, w);
  }
}
