package dev.strata.trainer.kernel;

import static dev.strata.trainer.kernel.VMath.S;

import jdk.incubator.vector.FloatVector;

/**
 * 2-D convolution on NCHW batches ({@code rows} samples of {@code C x H x W} floats, row-major) as
 * unfold ("im2col") plus matrix product, one sample at a time, per channel group g:
 *
 * <pre>
 *   col_g  = unfold(x_n)[rows of group g]            (K_g x P),  K_g = C_in/G k k,  P = H_out W_out
 *   y_n,g  = W_g col_g (+ b)                         (C_out/G x P), W_g is C_out/G x K_g
 *   dW_g  += dy_n,g col_g^T     (chained over samples n = 0, 1, ...)
 *   db     = sum_p (sum_n dy_n)  (per pixel over the samples, then over the pixels in order)
 *   dx_n   = fold(W_g^T dy_n,g) (contributions added in (K row, output pixel) order)
 * </pre>
 *
 * Weights are laid out as PyTorch's {@code C_out x C_in/G x k x k}. A 1x1, stride 1, unpadded
 * convolution multiplies the input in place (its unfold is itself). The products run on
 * {@link GemmKernel}, so every output is one chain of fused multiply-adds in K order started from
 * 0 (then the bias added), independent of lane count, tiling and threads; {@link ImageScalarKernels}
 * computes the same chains directly and agrees bit for bit. Unfold and fold only move data.
 *
 * <p>The caller owns the scratch: {@code col} and {@code dcol} of {@link #scratchSize} floats each,
 * and {@code work} of {@link #workSize} floats for the backward pass.
 * Stateless and thread-safe apart from the {@link GemmContext} (one per training thread).
 */
public final class ConvKernel {

  private static final int V = S.length();

  private ConvKernel() {}

  /** Floats of one unfolded sample: {@code C_in k k x P} (0 when the convolution is pointwise). */
  public static int scratchSize(ConvShape s) {
    return Math.toIntExact(scratchFloats(s));
  }

  /** {@link #scratchSize} as a long, for the memory estimate of shapes too large to allocate. */
  public static long scratchFloats(ConvShape s) {
    return s.pointwise() ? 0 : (long) s.inChannels() * s.kernel() * s.kernel() * s.outPlane();
  }

  /** {@code y = conv(x, W) + b} for {@code rows} samples; {@code bias} may be null. */
  public static void forward(GemmContext ctx, ConvShape s, int rows, float[] x, int xOff, float[] w, int wOff,
      float[] bias, int bOff, float[] y, int yOff, float[] col) {
    int g = s.groups();
    int coutG = s.outChannels() / g;
    int kg = s.groupK();
    int p = s.outPlane();
    for (int n = 0; n < rows; n++) {
      int xn = xOff + n * s.inSize();
      int yn = yOff + n * s.outSize();
      float[] src = x;
      int srcOff = xn;
      if (!s.pointwise()) {
        unfold(s, x, xn, col);
        src = col;
        srcOff = 0;
      }
      for (int gi = 0; gi < g; gi++) {
        GemmKernel.gemm(ctx, coutG, p, kg, w, wOff + gi * coutG * kg, src, srcOff + gi * kg * p, y,
            yn + gi * coutG * p, false);
      }
      if (bias != null) {
        addBias(s.outChannels(), p, bias, bOff, y, yn);
      }
    }
  }

  /**
   * Whether the weight gradient is formed transposed, {@code dW_g^T (K_g x C_out/G) += col_g dy_g^T}:
   * when a group has fewer taps than output channels (a stem on 1 or 3 channels), so that the
   * product's columns are the wider side. The same chains of multiply-adds either way.
   */
  static boolean transposedWeightGradient(ConvShape s) {
    return s.groupK() < s.outChannels() / s.groups();
  }

  /** Floats of the backward pass's {@code work} scratch: per-pixel bias sums, and a transposed dW. */
  public static int workSize(ConvShape s) {
    return s.outSize() + (transposedWeightGradient(s) ? s.weightCount() : 0);
  }

  /**
   * Gradients for {@code rows} samples: overwrites {@code dW} (and {@code dBias} unless null) and,
   * unless {@code dx} is null, writes {@code dx}. {@code col}, {@code dcol} ({@link #scratchSize})
   * and {@code work} ({@link #workSize}) are scratch. The bias gradient sums each output pixel over
   * the samples (vectorised across pixels), then the pixels of each channel in order.
   */
  public static void backward(GemmContext ctx, ConvShape s, int rows, float[] x, int xOff, float[] dy, int dyOff,
      float[] w, int wOff, float[] dW, int dwOff, float[] dBias, int dbOff, float[] dx, int dxOff, float[] col,
      float[] dcol, float[] work) {
    int g = s.groups();
    int coutG = s.outChannels() / g;
    int kg = s.groupK();
    int p = s.outPlane();
    int out = s.outSize();
    boolean transposed = transposedWeightGradient(s);
    if (rows == 0) {
      java.util.Arrays.fill(dW, dwOff, dwOff + s.weightCount(), 0f);
    }
    if (dBias != null) {
      java.util.Arrays.fill(work, 0, out, 0f);
    }
    for (int n = 0; n < rows; n++) {
      int xn = xOff + n * s.inSize();
      int dyn = dyOff + n * out;
      if (dBias != null) {
        ElementwiseKernel.add(out, work, 0, dy, dyn, work, 0);
      }
      float[] src = x;
      int srcOff = xn;
      if (!s.pointwise()) {
        unfold(s, x, xn, col);
        src = col;
        srcOff = 0;
      }
      for (int gi = 0; gi < g; gi++) {
        if (transposed) {
          GemmKernel.gemmNT(ctx, kg, coutG, p, src, srcOff + gi * kg * p, dy, dyn + gi * coutG * p, work,
              out + gi * kg * coutG, n > 0);
        } else {
          GemmKernel.gemmNT(ctx, coutG, kg, p, dy, dyn + gi * coutG * p, src, srcOff + gi * kg * p, dW,
              dwOff + gi * coutG * kg, n > 0);
        }
      }
      if (dx == null) {
        continue;
      }
      int dxn = dxOff + n * s.inSize();
      float[] dst = s.pointwise() ? dx : dcol;
      int dstOff = s.pointwise() ? dxn : 0;
      for (int gi = 0; gi < g; gi++) {
        GemmKernel.gemmTN(ctx, kg, p, coutG, w, wOff + gi * coutG * kg, dy, dyn + gi * coutG * p, dst,
            dstOff + gi * kg * p, false);
      }
      if (!s.pointwise()) {
        fold(s, dcol, dx, dxn);
      }
    }
    if (transposed && rows > 0) {
      for (int gi = 0; gi < g; gi++) {
        int t = out + gi * kg * coutG;
        int d = dwOff + gi * coutG * kg;
        for (int co = 0; co < coutG; co++) {
          for (int q = 0; q < kg; q++) {
            dW[d + co * kg + q] = work[t + q * coutG + co];
          }
        }
      }
    }
    if (dBias != null) {
      for (int c = 0; c < s.outChannels(); c++) {
        float acc = 0f;
        for (int i = c * p; i < (c + 1) * p; i++) {
          acc += work[i];
        }
        dBias[dbOff + c] = acc;
      }
    }
  }

  /** {@code y[c, :] += bias[c]} over {@code channels} planes of {@code plane} floats. */
  static void addBias(int channels, int plane, float[] bias, int bOff, float[] y, int yOff) {
    int pv = S.loopBound(plane);
    for (int c = 0; c < channels; c++) {
      float b = bias[bOff + c];
      FloatVector bv = FloatVector.broadcast(S, b);
      int o = yOff + c * plane;
      int i = 0;
      for (; i < pv; i += V) {
        FloatVector.fromArray(S, y, o + i).add(bv).intoArray(y, o + i);
      }
      for (; i < plane; i++) {
        y[o + i] += b;
      }
    }
  }

  /**
   * Unfolds one sample: {@code col[(c k + i) k + j][oy W_out + ox] = x[c][oy s - pad + i d][ox s - pad + j d]},
   * 0 outside the image.
   */
  public static void unfold(ConvShape s, float[] x, int xOff, float[] col) {
    int h = s.height();
    int wd = s.width();
    int k = s.kernel();
    int oh = s.outHeight();
    int ow = s.outWidth();
    int st = s.stride();
    int pad = s.padding();
    int d = s.dilation();
    int r = 0;
    for (int c = 0; c < s.inChannels(); c++) {
      int xc = xOff + c * h * wd;
      for (int i = 0; i < k; i++) {
        for (int j = 0; j < k; j++, r++) {
          int base = r * oh * ow;
          int dxj = j * d - pad;
          // output columns whose input column ox st + dxj lies in [0, wd)
          int lo = Math.min(ow, Math.max(0, ceilDiv(-dxj, st)));
          int hi = Math.max(lo, Math.min(ow, ceilDiv(wd - dxj, st)));
          for (int oy = 0; oy < oh; oy++) {
            int iy = oy * st - pad + i * d;
            int o = base + oy * ow;
            if (iy < 0 || iy >= h) {
              java.util.Arrays.fill(col, o, o + ow, 0f);
              continue;
            }
            int xr = xc + iy * wd + dxj;
            for (int ox = 0; ox < lo; ox++) {
              col[o + ox] = 0f;
            }
            if (st == 1) {
              System.arraycopy(x, xr + lo, col, o + lo, hi - lo);
            } else {
              for (int ox = lo; ox < hi; ox++) {
                col[o + ox] = x[xr + ox * st];
              }
            }
            for (int ox = hi; ox < ow; ox++) {
              col[o + ox] = 0f;
            }
          }
        }
      }
    }
  }

  /** The adjoint of {@link #unfold}: {@code dx = 0}, then every {@code dcol} entry added to its pixel. */
  public static void fold(ConvShape s, float[] dcol, float[] dx, int dxOff) {
    int h = s.height();
    int wd = s.width();
    int k = s.kernel();
    int oh = s.outHeight();
    int ow = s.outWidth();
    int st = s.stride();
    int pad = s.padding();
    int d = s.dilation();
    java.util.Arrays.fill(dx, dxOff, dxOff + s.inSize(), 0f);
    int r = 0;
    for (int c = 0; c < s.inChannels(); c++) {
      int xc = dxOff + c * h * wd;
      for (int i = 0; i < k; i++) {
        for (int j = 0; j < k; j++, r++) {
          int base = r * oh * ow;
          int dxj = j * d - pad;
          int lo = Math.min(ow, Math.max(0, ceilDiv(-dxj, st)));
          int hi = Math.max(lo, Math.min(ow, ceilDiv(wd - dxj, st)));
          for (int oy = 0; oy < oh; oy++) {
            int iy = oy * st - pad + i * d;
            if (iy < 0 || iy >= h) {
              continue;
            }
            int o = base + oy * ow;
            int xr = xc + iy * wd + dxj;
            if (st == 1) {
              // contiguous on both sides: element-wise vector adds, the same single add per element
              int ox = lo;
              for (int ov = lo + S.loopBound(hi - lo); ox < ov; ox += V) {
                FloatVector.fromArray(S, dx, xr + ox).add(FloatVector.fromArray(S, dcol, o + ox)).intoArray(dx, xr + ox);
              }
              for (; ox < hi; ox++) {
                dx[xr + ox] += dcol[o + ox];
              }
            } else {
              for (int ox = lo; ox < hi; ox++) {
                dx[xr + ox * st] += dcol[o + ox];
              }
            }
          }
        }
      }
    }
  }

  private static int ceilDiv(int a, int b) {
    return -Math.floorDiv(-a, b);
  }
}
