package dev.strata.trainer.kernel;

import static dev.strata.trainer.kernel.VMath.S;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

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
 * not depend on the machine. A general window walk is a gather, which plain loops do as well as
 * vectors at these sizes; max pooling compares integer keys without a branch per pixel, and the
 * common 2x2 stride-2 window runs in vectors ({@link #max2x2}). The scalar
 * twins in {@link ImageScalarKernels} are written from the formulas.
 * Stateless and thread-safe.
 */
public final class PoolKernel {

  private static final int V = S.length();

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

  /** Int lanes as many as {@link VMath#S}'s float lanes. */
  private static final VectorSpecies<Integer> I = S.withLanes(int.class);

  /** Each lane's pair neighbour: lanes 2j and 2j + 1 swapped. */
  private static final VectorShuffle<Integer> NEIGHBOUR = VectorShuffle.fromOp(I, i -> i ^ 1);

  /** The even lanes first: lane i gets lane 2i (the upper half gets the rest, unused). */
  private static final VectorShuffle<Integer> EVENS = VectorShuffle.fromOp(I, i -> 2 * i % I.length());

  /**
   * {@link #maxForward} for 2x2 windows at stride 2 without padding, {@code V / 2} windows per
   * vector of {@code V} columns: window j's pixels are lanes 2j and 2j + 1 of the top and bottom
   * row. Each pixel gets the integer {@link #key}; the window's largest key {@code K}
   * is the max of the rows, then of the lane and its neighbour; its pixel is the one of the
   * smallest row-major position {@code (0, 1, 2, 3)} whose key is K, taken as the min over the pair
   * of each lane's first position with key K (its top row before its bottom). That is the first
   * maximum in row-major order, and the first NaN if there is one, as in the general walk; the output
   * is the chosen pixel's own bits. The even lanes are then packed and stored. Masks cost more than
   * the rest of a window here, so whole vectors are read and written wherever that stays inside
   * the arrays and this call's outputs; only the very last windows use masks. The scalar walk took
   * 20 cycles a window: 20% of LeNet's training step.
   */
  private static void max2x2(ConvShape s, int rows, float[] x, int xOff, float[] y, int yOff, int[] argmax) {
    int h = s.height();
    int w = s.width();
    int oh = s.outHeight();
    int ow = s.outWidth();
    int half = V / 2;
    IntVector column = IntVector.zero(I).addIndex(1).and(1);
    IntVector lane = IntVector.zero(I).addIndex(1);
    IntVector none = IntVector.broadcast(I, 4);
    int end = rows * s.outSize();
    int o = 0;
    for (int n = 0; n < rows; n++) {
      for (int c = 0; c < s.inChannels(); c++) {
        int plane = c * h * w;
        int xc = xOff + n * s.inSize() + plane;
        for (int oy = 0; oy < oh; oy++, o += ow) {
          int r = 2 * oy * w;
          for (int ox = 0; ox < ow; ox += half) {
            int i = xc + r + 2 * ox;
            IntVector top;
            IntVector bottom;
            if (i + w + V <= x.length) {
              // whole vectors: lanes past the row's windows read pixels that no kept window uses
              top = FloatVector.fromArray(S, x, i).reinterpretAsInts();
              bottom = FloatVector.fromArray(S, x, i + w).reinterpretAsInts();
            } else {
              VectorMask<Float> in = S.indexInRange(2 * ox, 2 * ow);
              top = FloatVector.fromArray(S, x, i, in).reinterpretAsInts();
              bottom = FloatVector.fromArray(S, x, i + w, in).reinterpretAsInts();
            }
            // #key of every lane (no vector crosses a call): -0 as +0, every NaN as one NaN
            IntVector kt = top.reinterpretAsFloats().add(0f).reinterpretAsInts();
            kt = kt.blend(0x7fc00000, kt.and(0x7fffffff).compare(VectorOperators.GT, 0x7f800000));
            kt = kt.lanewise(VectorOperators.XOR, kt.lanewise(VectorOperators.ASHR, 31).and(0x7fffffff));
            IntVector kb = bottom.reinterpretAsFloats().add(0f).reinterpretAsInts();
            kb = kb.blend(0x7fc00000, kb.and(0x7fffffff).compare(VectorOperators.GT, 0x7f800000));
            kb = kb.lanewise(VectorOperators.XOR, kb.lanewise(VectorOperators.ASHR, 31).and(0x7fffffff));
            IntVector k = kt.max(kb);
            k = k.max(k.rearrange(NEIGHBOUR));
            // each lane's first position with key K: 0/1 on top, 2/3 below, 4 for none
            IntVector first = none.blend(column.add(2), kb.compare(VectorOperators.EQ, k))
                .blend(column, kt.compare(VectorOperators.EQ, k));
            first = first.min(first.rearrange(NEIGHBOUR));
            IntVector own = top.blend(bottom, first.compare(VectorOperators.GE, 2));
            IntVector bits = own.blend(own.rearrange(NEIGHBOUR), first.and(1).compare(VectorOperators.NE, 0));
            // pixel index: the window's top left (lane - column), then the row and column of the winner
            IntVector at = lane.sub(column).add(plane + r + 2 * ox).add(first.and(1))
                .add(first.lanewise(VectorOperators.ASHR, 1).mul(w));
            bits = bits.rearrange(EVENS);
            at = at.rearrange(EVENS);
            int d = o + ox;
            if (d + V <= end) {
              // whole vectors: the lanes past this row's windows are overwritten by the windows after
              bits.reinterpretAsFloats().intoArray(y, yOff + d);
              at.intoArray(argmax, d);
            } else {
              int m = Math.min(half, ow - ox);
              bits.reinterpretAsFloats().intoArray(y, yOff + d, S.indexInRange(0, m));
              at.intoArray(argmax, d, I.indexInRange(0, m));
            }
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
