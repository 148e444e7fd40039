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
 *   dx_n   = stride 1:  each input pixel one chain over (co, i, j) of W[co][ci][i][j] dy[co][iy + pad - i d][ix + pad - j d]
 *            otherwise: fold(W_g^T dy_n,g) (contributions added in (K row, output pixel) order)
 * </pre>
 *
 * Weights are laid out as PyTorch's {@code C_out x C_in/G x k x k}. A 1x1, stride 1, unpadded
 * convolution multiplies the input in place (its unfold is itself); other stride-1 convolutions
 * unfold from zero-padded planes in one copy per tap (see {@link #planar}). The products run on
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
    if (s.pointwise()) {
      return 0;
    }
    if (planar(s)) {
      return Math.max(colFloats(s), dcolFloats(s));
    }
    return (long) s.inChannels() * s.kernel() * s.kernel() * s.outPlane();
  }

  // ---- padded planes (stride 1) ----

  /**
   * Whether the convolution runs on zero-padded planes: stride 1 and not pointwise. The input is
   * copied once into planes padded on every side, where tap {@code (c, i, j)} of output pixel
   * {@code (oy, ox)} sits at a fixed offset from the pixel: {@code xp[c hp wp + (oy + i d) wp + ox + j d]}.
   * With the outputs computed on the padded width ({@code ox} in {@code [0, wp)}, the last
   * {@code wp - W_out} columns discarded), every unfolded row is one contiguous slice of the padded
   * planes: one copy per tap instead of one per tap and output row, and no zero fill. The input
   * gradient is the "full" convolution of the zero-padded output gradient with the transposed
   * weights: again a product over shifted slices, with no fold. The discarded columns multiply only
   * zeros of dy into the weight gradient and add only +0 to sums, so every result has the bits of
   * the unfolded product.
   *
   * <p>Forward and weight gradient: {@code xp} is {@code C_in} planes of {@code hp x wp} (the input
   * with {@code pad} zeros on every side) plus {@code (k - 1) d} floats of slack; the product has
   * {@code q = H_out wp} columns. {@code col} scratch holds {@code [xp | unfolded rows (C_in k k x q) |
   * output or dy on the padded width (C_out x q)]}.
   *
   * <p>Input gradient: {@code dyp} is {@code C_out} planes of {@code hq x wq} holding dy at row and
   * column offset {@code t = max(0, d (k - 1) - pad)}, zeros elsewhere; row {@code (co, i, j)} of the
   * product's right operand starts at {@code dyp[co hq wq + base - i d wq - j d]}, one column per
   * input pixel on the width {@code wq} ({@code qx = H wq} columns). {@code dcol} scratch holds
   * {@code [dyp | those rows (C_out k k x qx) | dx on the width wq (C_in x qx) | transposed weights]}.
   */
  static boolean planar(ConvShape s) {
    return s.stride() == 1 && !s.pointwise();
  }

  private static int hp(ConvShape s) {
    return s.height() + 2 * s.padding();
  }

  private static int wp(ConvShape s) {
    return s.width() + 2 * s.padding();
  }

  /** Floats of the padded input planes, slack included. */
  private static int xpSize(ConvShape s) {
    return s.inChannels() * hp(s) * wp(s) + (s.kernel() - 1) * s.dilation();
  }

  /** Forward product columns: output rows on the padded width. */
  private static int q(ConvShape s) {
    return s.outHeight() * wp(s);
  }

  private static int taps(ConvShape s) {
    return s.kernel() * s.kernel();
  }

  private static int t(ConvShape s) {
    return Math.max(0, s.dilation() * (s.kernel() - 1) - s.padding());
  }

  private static int hq(ConvShape s) {
    return t(s) + Math.max(s.outHeight(), s.height() + s.padding()) + 1;
  }

  private static int wq(ConvShape s) {
    return t(s) + Math.max(s.outWidth(), s.width() + s.padding());
  }

  private static int dypSize(ConvShape s) {
    return s.outChannels() * hq(s) * wq(s);
  }

  /** Input-gradient product columns: input rows on the width wq. */
  private static int qx(ConvShape s) {
    return s.height() * wq(s);
  }

  private static long colFloats(ConvShape s) {
    return (long) xpSize(s) + (long) s.inChannels() * taps(s) * q(s) + (long) s.outChannels() * q(s);
  }

  private static long dcolFloats(ConvShape s) {
    return (long) dypSize(s) + (long) s.outChannels() * taps(s) * qx(s) + (long) s.inChannels() * qx(s)
        + s.weightCount();
  }

  /** {@code xp} = the sample's planes with {@code pad} zeros on every side, then the zero slack. */
  private static void pad(ConvShape s, float[] x, int xOff, float[] xp) {
    int h = s.height();
    int w = s.width();
    int pad = s.padding();
    int wp = wp(s);
    int plane = hp(s) * wp;
    if (pad == 0) {
      System.arraycopy(x, xOff, xp, 0, s.inSize());
      java.util.Arrays.fill(xp, s.inSize(), xpSize(s), 0f);
      return;
    }
    java.util.Arrays.fill(xp, 0, xpSize(s), 0f);
    for (int c = 0; c < s.inChannels(); c++) {
      int src = xOff + c * h * w;
      int dst = c * plane + pad * wp + pad;
      for (int iy = 0; iy < h; iy++, src += w, dst += wp) {
        System.arraycopy(x, src, xp, dst, w);
      }
    }
  }

  /** Unfolded rows on the padded width: {@code col[off + r q, + q) = xp[c hp wp + i d wp + j d, + q)}, r = (c, i, j). */
  private static void unfoldPlanar(ConvShape s, float[] xp, float[] col, int off) {
    int k = s.kernel();
    int d = s.dilation();
    int wp = wp(s);
    int plane = hp(s) * wp;
    int q = q(s);
    int r = off;
    for (int c = 0; c < s.inChannels(); c++) {
      for (int i = 0; i < k; i++) {
        for (int j = 0; j < k; j++, r += q) {
          System.arraycopy(xp, c * plane + i * d * wp + j * d, col, r, q);
        }
      }
    }
  }

  private static void forwardPlanar(GemmContext ctx, ConvShape s, int rows, float[] x, int xOff, float[] w, int wOff,
      float[] bias, int bOff, float[] y, int yOff, float[] col) {
    int g = s.groups();
    int coutG = s.outChannels() / g;
    int kg = s.groupK();
    int q = q(s);
    int wp = wp(s);
    int oh = s.outHeight();
    int ow = s.outWidth();
    int p = s.outPlane();
    int unf = xpSize(s);
    int out = unf + s.inChannels() * taps(s) * q;
    for (int n = 0; n < rows; n++) {
      int yn = yOff + n * s.outSize();
      pad(s, x, xOff + n * s.inSize(), col);
      unfoldPlanar(s, col, col, unf);
      for (int gi = 0; gi < g; gi++) {
        GemmKernel.gemm(ctx, coutG, q, kg, w, wOff + gi * coutG * kg, col, unf + gi * kg * q, col, out + gi * coutG * q,
            false);
      }
      for (int co = 0; co < s.outChannels(); co++) {
        int src = out + co * q;
        int dst = yn + co * p;
        for (int oy = 0; oy < oh; oy++, src += wp, dst += ow) {
          System.arraycopy(col, src, y, dst, ow);
        }
      }
      if (bias != null) {
        addBias(s.outChannels(), p, bias, bOff, y, yn);
      }
    }
  }

  /** dy of one sample on the padded width: {@code dyg[co q + oy wp + ox]}, zeros for ox >= W_out. */
  private static void dyOnPaddedWidth(ConvShape s, float[] dy, int dyn, float[] dyg, int off) {
    int wp = wp(s);
    int ow = s.outWidth();
    int p = s.outPlane();
    int q = q(s);
    for (int co = 0; co < s.outChannels(); co++) {
      int src = dyn + co * p;
      int dst = off + co * q;
      for (int oy = 0; oy < s.outHeight(); oy++, src += ow, dst += wp) {
        System.arraycopy(dy, src, dyg, dst, ow);
        java.util.Arrays.fill(dyg, dst + ow, dst + wp, 0f);
      }
    }
  }

  /**
   * The input gradient of one sample, as the product {@code dx_g = Wt_g R_g} with
   * {@code Wt_g[ci][(co, i, j)] = W[g coutG + co][ci][i][j]} (in {@code wt}, made once per call)
   * and {@code R} the rows of shifted, zero-padded dy (see {@link #planar}): each input pixel is
   * one fma chain over {@code (co, i, j)} in that order, started from 0.
   */
  private static void inputGradientPlanar(GemmContext ctx, ConvShape s, float[] dy, int dyn, float[] wt, int wtOff,
      float[] dx, int dxn, float[] dcol) {
    int g = s.groups();
    int coutG = s.outChannels() / g;
    int cinG = s.inChannels() / g;
    int k = s.kernel();
    int d = s.dilation();
    int kk = taps(s);
    int hq = hq(s);
    int wq = wq(s);
    int t = t(s);
    int qx = qx(s);
    int base = (s.padding() + t) * wq + s.padding() + t;
    int plane = hq * wq;
    int ow = s.outWidth();
    int rowsOff = dypSize(s);
    int dxgOff = rowsOff + s.outChannels() * kk * qx;
    // dyp: dy at offset (t, t) in zeroed hq x wq planes
    java.util.Arrays.fill(dcol, 0, rowsOff, 0f);
    for (int co = 0; co < s.outChannels(); co++) {
      int src = dyn + co * s.outPlane();
      int dst = co * plane + t * wq + t;
      for (int oy = 0; oy < s.outHeight(); oy++, src += ow, dst += wq) {
        System.arraycopy(dy, src, dcol, dst, ow);
      }
    }
    int r = rowsOff;
    for (int co = 0; co < s.outChannels(); co++) {
      for (int i = 0; i < k; i++) {
        for (int j = 0; j < k; j++, r += qx) {
          System.arraycopy(dcol, co * plane + base - i * d * wq - j * d, dcol, r, qx);
        }
      }
    }
    for (int gi = 0; gi < g; gi++) {
      GemmKernel.gemm(ctx, cinG, qx, coutG * kk, wt, wtOff + gi * cinG * coutG * kk, dcol,
          rowsOff + gi * coutG * kk * qx, dcol, dxgOff + gi * cinG * qx, false);
    }
    int h = s.height();
    int w = s.width();
    for (int c = 0; c < s.inChannels(); c++) {
      int src = dxgOff + c * qx;
      int dst = dxn + c * h * w;
      for (int iy = 0; iy < h; iy++, src += wq, dst += w) {
        System.arraycopy(dcol, src, dx, dst, w);
      }
    }
  }

  /** {@code wt[g][ci][(co, i, j)] = W[g coutG + co][ci][i][j]}: each group's weights with C_in and C_out swapped. */
  private static void transposeWeights(ConvShape s, float[] w, int wOff, float[] wt, int wtOff) {
    int g = s.groups();
    int coutG = s.outChannels() / g;
    int cinG = s.inChannels() / g;
    int kk = taps(s);
    int kg = s.groupK();
    for (int gi = 0; gi < g; gi++) {
      int gw = wOff + gi * coutG * kg;
      int gt = wtOff + gi * cinG * coutG * kk;
      for (int ci = 0; ci < cinG; ci++) {
        for (int co = 0; co < coutG; co++) {
          System.arraycopy(w, gw + co * kg + ci * kk, wt, gt + (ci * coutG + co) * kk, kk);
        }
      }
    }
  }

  /** {@code y = conv(x, W) + b} for {@code rows} samples; {@code bias} may be null. */
  public static void forward(GemmContext ctx, ConvShape s, int rows, float[] x, int xOff, float[] w, int wOff,
      float[] bias, int bOff, float[] y, int yOff, float[] col) {
    if (planar(s)) {
      forwardPlanar(ctx, s, rows, x, xOff, w, wOff, bias, bOff, y, yOff, col);
      return;
    }
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
    if (planar(s)) {
      backwardPlanar(ctx, s, rows, x, xOff, dy, dyOff, w, wOff, dW, dwOff, dBias, dx, dxOff, col, dcol, work);
    }
    for (int n = 0; n < rows && !planar(s); n++) {
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

  /** The per-sample part of {@link #backward} on padded planes: bias sums, dW (or its transpose), dx. */
  private static void backwardPlanar(GemmContext ctx, ConvShape s, int rows, float[] x, int xOff, float[] dy,
      int dyOff, float[] w, int wOff, float[] dW, int dwOff, float[] dBias, float[] dx, int dxOff, float[] col,
      float[] dcol, float[] work) {
    int g = s.groups();
    int coutG = s.outChannels() / g;
    int kg = s.groupK();
    int q = q(s);
    int out = s.outSize();
    boolean transposed = transposedWeightGradient(s);
    int unf = xpSize(s);
    int dyg = unf + s.inChannels() * taps(s) * q;
    int wtOff = dypSize(s) + s.outChannels() * taps(s) * qx(s) + s.inChannels() * qx(s);
    if (dx != null) {
      transposeWeights(s, w, wOff, dcol, wtOff);
    }
    for (int n = 0; n < rows; n++) {
      int dyn = dyOff + n * out;
      if (dBias != null) {
        ElementwiseKernel.add(out, work, 0, dy, dyn, work, 0);
      }
      pad(s, x, xOff + n * s.inSize(), col);
      unfoldPlanar(s, col, col, unf);
      dyOnPaddedWidth(s, dy, dyn, col, dyg);
      for (int gi = 0; gi < g; gi++) {
        if (transposed) {
          GemmKernel.gemmNT(ctx, kg, coutG, q, col, unf + gi * kg * q, col, dyg + gi * coutG * q, work,
              out + gi * kg * coutG, n > 0);
        } else {
          GemmKernel.gemmNT(ctx, coutG, kg, q, col, dyg + gi * coutG * q, col, unf + gi * kg * q, dW,
              dwOff + gi * coutG * kg, n > 0);
        }
      }
      if (dx != null) {
        inputGradientPlanar(ctx, s, dy, dyn, dcol, wtOff, dx, dxOff + n * s.inSize(), dcol);
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
