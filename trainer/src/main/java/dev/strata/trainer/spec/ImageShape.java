package dev.strata.trainer.spec;

/**
 * The shape of one image sample, {@code channels x height x width}, stored channel-major (NCHW
 * rows: all of channel 0, row by row, then channel 1, ...). Immutable; checks itself.
 */
public record ImageShape(int channels, int height, int width) {

  public ImageShape {
    SpecException.checkAtLeast("/channels", channels, 1, "use 1 for grey images, 3 for colour");
    SpecException.checkAtLeast("/height", height, 1, "give the image height in pixels, e.g. 28");
    SpecException.checkAtLeast("/width", width, 1, "give the image width in pixels, e.g. 28");
    if ((long) channels * height * width > Integer.MAX_VALUE - 16) {
      throw SpecException.at("", channels + " x " + height + " x " + width
          + " floats per sample exceed a Java array; use fewer channels or a smaller image");
    }
  }

  public static ImageShape of(int channels, int height, int width) {
    return new ImageShape(channels, height, width);
  }

  /** Floats per sample. */
  public int size() {
    return channels * height * width;
  }

  /** Pixels per channel. */
  public int plane() {
    return height * width;
  }

  @Override
  public String toString() {
    return channels + "x" + height + "x" + width;
  }
}
