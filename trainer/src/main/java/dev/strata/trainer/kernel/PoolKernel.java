package dev.strata.trainer.kernel;

/**
 * Pooling on NCHW batches, per channel plane, with the window geometry of a {@link ConvShape}
 * (out channels = in channels, dilation 1):
 *
 * <pre>
 *   max:      y = max over the window's pixels inside the image (padding never wins);
 *             dx[argmax] += dy  (the first maximum in row-major window order)
 *   average:  y = sum over the window's pixels inside the image / their count (padding excluded);
 *             dx[pixel] += dy / count for every such pixel
 *   global:   y[n, c] = sum_p x[n, c, p] / P;  dx[n, c, p] = dy[n, c] / P
 * </pre>
 *
 * Sums run in row-major window order, gradients are added in output-pixel order, so the results do
 * not depend on the machine. Scalar code: a window walk is a gather, which plain loops do as well as
 * vectors at these sizes; max pooling compares integer keys without a branch per pixel. The scalar
 * twins in {@link ImageScalarKernels} are written from the formulas.
 * Stateless and thread-safe.
 */
public final class PoolKernel {

  private PoolKernel() {}

  /** Max pooling of {@code rows} samples; {@code argmax} receives each output's input index within its sample. */
  public static void maxForward(ConvShape s, int rows, float[] x, int xOff, float[] y, int yOff, int[] argmax) {
    int h = s.height();
    int w = s.width();
    int oh = s.outHeight();
    int ow = s.outWidth();
    int k = s.kernel();
    int st = s.stride();
    int pad = s.padding();
    if (k == 2 && st == 2 && pad == 0) {
      max2x2(s, rows, x, xOff, y, yOff, argmax);
      return;
    }
    for (int n = 0; n < rows; n++) {
      for (int c = 0; c < s.inChannels(); c++) {
        int plane = c * h * w;
        int xc = xOff + n * s.inSize() + plane;
        int o = n * s.outSize() + c * oh * ow;
        for (int oy = 0; oy < oh; oy++) {
          int y0 = Math.max(0, oy * st - pad);
          int y1 = Math.min(h, oy * st - pad + k);
          for (int ox = 0; ox < ow; ox++) {
            int x0 = Math.max(0, ox * st - pad);
            int x1 = Math.min(w, ox * st - pad + k);
            // the largest (key, -pixel index): the first maximum in row-major order, the first NaN
            // if any (see max2x2), without a branch per pixel
            long best = Long.MIN_VALUE;
            for (int iy = y0; iy < y1; iy++) {
              for (int ix = x0; ix < x1; ix++) {
                int i = iy * w + ix;
                best = Math.max(best, ((long) key(x[xc + i]) << 32) | (Integer.MAX_VALUE - i));
              }
            }
            int at = Integer.MAX_VALUE - (int) (best & 0xffffffffL);
            y[yOff + o] = x[xc + at];
            argmax[o++] = plane + at;
          }
        }
      }
    }
  }

  /**
   * {@link #maxForward} for 2x2 windows at stride 2 without padding, without a branch per pixel:
   * each pixel gets an integer key that orders floats as {@code >} does ({@code -0} as {@code +0},
   * every NaN above +Inf and equal to every other NaN), extended by its position so that of equal
   * keys the first in row-major order is the larger, and the window takes the largest. That is the first maximum in
   * row-major order, and the first NaN if there is one, as in the general walk; the output is the
   * chosen pixel itself. Random data made the walk's comparisons a coin toss for the branch
   * predictor: 16% of LeNet's training step went to this loop.
   */
  private static void max2x2(ConvShape s, int rows, float[] x, int xOff, float[] y, int yOff, int[] argmax) {
    int h = s.height();
    int w = s.width();
    int oh = s.outHeight();
    int ow = s.outWidth();
    int o = 0;
    for (int n = 0; n < rows; n++) {
      for (int c = 0; c < s.inChannels(); c++) {
        int plane = c * h * w;
        int xc = xOff + n * s.inSize() + plane;
        for (int oy = 0; oy < oh; oy++) {
          int r = 2 * oy * w;
          for (int ox = 0; ox < ow; ox++) {
            int i = r + 2 * ox;
            // key in the high bits, 3 - (row-major position) in the low two: the largest wins, and
            // of equal keys the first position
            long best = Math.max(Math.max(((long) key(x[xc + i]) << 2) | 3, ((long) key(x[xc + i + 1]) << 2) | 2),
                Math.max(((long) key(x[xc + i + w]) << 2) | 1, (long) key(x[xc + i + w + 1]) << 2));
            int pos = 3 - (int) (best & 3);
            int at = i + (pos >> 1) * w + (pos & 1);
            y[yOff + o] = x[xc + at];
            argmax[o++] = plane + at;
          }
        }
      }
    }
  }

  /**
   * An int that orders floats as {@code >} does: {@code -0} and {@code +0} equal (adding +0 turns
   * -0 into +0), and every NaN one value above +Inf ({@code floatToIntBits} makes them one NaN).
   */
  private static int key(float v) {
    int b = Float.floatToIntBits(v + 0.0f);
    return b ^ ((b >> 31) & 0x7fffffff);
  }

  /** Max-pooling backward: {@code dx = 0}, then each {@code dy} added at its forward argmax. */
  public static void maxBackward(ConvShape s, int rows, float[] dy, int dyOff, int[] argmax, float[] dx, int dxOff) {
    java.util.Arrays.fill(dx, dxOff, dxOff + rows * s.inSize(), 0f);
    int out = s.outSize();
    for (int n = 0; n < rows; n++) {
      int xn = dxOff + n * s.inSize();
      int o = n * out;
      for (int i = 0; i < out; i++) {
        dx[xn + argmax[o + i]] += dy[dyOff + o + i];
      }
    }
  }

  /** Average pooling over the in-image part of each window. */
  public static void avgForward(ConvShape s, int rows, float[] x, int xOff, float[] y, int yOff) {
    int h = s.height();
    int w = s.width();
    int oh = s.outHeight();
    int ow = s.outWidth();
    int k = s.kernel();
    int st = s.stride();
    int pad = s.padding();
    for (int n = 0; n < rows; n++) {
      for (int c = 0; c < s.inChannels(); c++) {
        int xc = xOff + n * s.inSize() + c * h * w;
        int o = yOff + n * s.outSize() + c * oh * ow;
        for (int oy = 0; oy < oh; oy++) {
          int y0 = Math.max(0, oy * st - pad);
          int y1 = Math.min(h, oy * st - pad + k);
          for (int ox = 0; ox < ow; ox++) {
            int x0 = Math.max(0, ox * st - pad);
            int x1 = Math.min(w, ox * st - pad + k);
            float sum = 0f;
            for (int iy = y0; iy < y1; iy++) {
              for (int ix = x0; ix < x1; ix++) {
                sum += x[xc + iy * w + ix];
              }
            }
            y[o++] = sum / ((y1 - y0) * (x1 - x0));
          }
        }
      }
    }
  }

  /** Average-pooling backward: {@code dx = 0}, then each {@code dy / count} spread over its window. */
  public static void avgBackward(ConvShape s, int rows, float[] dy, int dyOff, float[] dx, int dxOff) {
    int h = s.height();
    int w = s.width();
    int oh = s.outHeight();
    int ow = s.outWidth();
    int k = s.kernel();
    int st = s.stride();
    int pad = s.padding();
    java.util.Arrays.fill(dx, dxOff, dxOff + rows * s.inSize(), 0f);
    for (int n = 0; n < rows; n++) {
      for (int c = 0; c < s.inChannels(); c++) {
        int xc = dxOff + n * s.inSize() + c * h * w;
        int o = dyOff + n * s.outSize() + c * oh * ow;
        for (int oy = 0; oy < oh; oy++) {
          int y0 = Math.max(0, oy * st - pad);
          int y1 = Math.min(h, oy * st - pad + k);
          for (int ox = 0; ox < ow; ox++) {
            int x0 = Math.max(0, ox * st - pad);
            int x1 = Math.min(w, ox * st - pad + k);
            float g = dy[o++] / ((y1 - y0) * (x1 - x0));
            for (int iy = y0; iy < y1; iy++) {
              for (int ix = x0; ix < x1; ix++) {
                dx[xc + iy * w + ix] += g;
              }
            }
          }
        }
      }
    }
  }

  /** Global average pooling: {@code rows x channels x plane} in, {@code rows x channels} out. */
  public static void globalAvgForward(int rows, int channels, int plane, float[] x, int xOff, float[] y, int yOff) {
    float inv = 1.0f / plane;
    for (int r = 0; r < rows * channels; r++) {
      int o = xOff + r * plane;
      float sum = 0f;
      for (int i = 0; i < plane; i++) {
        sum += x[o + i];
      }
      y[yOff + r] = sum * inv;
    }
  }

  /** Global average pooling backward: every pixel of a plane gets {@code dy / plane}. */
  public static void globalAvgBackward(int rows, int channels, int plane, float[] dy, int dyOff, float[] dx,
      int dxOff) {
    float inv = 1.0f / plane;
    for (int r = 0; r < rows * channels; r++) {
      java.util.Arrays.fill(dx, dxOff + r * plane, dxOff + (r + 1) * plane, dy[dyOff + r] * inv);
    }
  }
}
