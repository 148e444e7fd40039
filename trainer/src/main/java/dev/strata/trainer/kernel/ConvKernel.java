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
 *            otherwise: fold(W_g^T dy_n,g) (0, then the contributions added in (K row, output pixel) order)
 * </pre>
 *
 * Weights are laid out as PyTorch's {@code C_out x C_in/G x k x k}. A 1x1, stride 1, unpadded
 * convolution multiplies the input in place (its unfold is itself); every other one unfolds from
 * zero-padded planes (split into phases at stride 2) in one copy per tap (see {@link #planar}). The products run on
 * {@link GemmKernel}, so every output is one chain of fused multiply-adds in K order started from
 * 0 (then the bias added), independent of lane count, tiling and threads; {@link ImageScalarKernels}
 * computes the same chains directly and agrees bit for bit. Unfold and fold only move data (fold adds).
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
    return s.pointwise() ? 0 : Math.max(colFloats(s), dcolFloats(s));
  }

  // ---- padded planes ----

  /**
   * Whether the convolution runs on zero-padded planes: every one but the pointwise. The input is
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
   * <p>At stride st > 1 the padded planes are split into st x st phases (see {@link #pad}): tap
   * {@code (c, i, j)} of a strided window is then a fixed offset into one phase plane, so everything
   * above holds with the phase width {@code wph = ceil(wp / st)} for {@code wp}, except the input
   * gradient, which is {@code W^T dy} on the phase width added back tap by tap ({@link #foldPhases}).
   *
   * <p>Forward and weight gradient: {@code xp} is {@code C_in} planes of {@code hp x wp} (the input
   * with {@code pad} zeros on every side) plus {@code (k - 1) d} floats of slack; the product has
   * {@code q = H_out wp} columns. {@code col} scratch holds {@code [xp | unfolded rows (C_in k k x q) |
   * output or dy on the padded width (C_out x q)]}.
   *
   * <p>Input gradient at stride 1: {@code dyp} is {@code C_out} planes of {@code hq x wq} holding dy at row and
   * column offset {@code t = max(0, d (k - 1) - pad)}, zeros elsewhere; row {@code (co, i, j)} of the
   * product's right operand starts at {@code dyp[co hq wq + base - i d wq - j d]}, one column per
   * input pixel on the width {@code wq} ({@code qx = H wq} columns). {@code dcol} scratch holds
   * {@code [dyp | those rows (C_out k k x qx) | dx on the width wq (C_in x qx) | transposed weights]}.
   */
  static boolean planar(ConvShape s) {
    return !s.pointwise();
  }

  private static int hp(ConvShape s) {
    return s.height() + 2 * s.padding();
  }

  private static int wp(ConvShape s) {
    return s.width() + 2 * s.padding();
  }

  /** Rows of one phase plane: {@code ceil(hp / stride)}. */
  private static int hph(ConvShape s) {
    return ceilDiv(hp(s), s.stride());
  }

  /** Columns of one phase plane: {@code ceil(wp / stride)}. */
  private static int wph(ConvShape s) {
    return ceilDiv(wp(s), s.stride());
  }

  /** Floats of the padded input planes (all phases), slack included. */
  private static int xpSize(ConvShape s) {
    return s.inChannels() * s.stride() * s.stride() * hph(s) * wph(s) + (s.kernel() - 1) * s.dilation();
  }

  /** Forward product columns: output rows on the phase width. */
  private static int q(ConvShape s) {
    return s.outHeight() * wph(s);
  }

  /** Where the unfolded row of tap (c, i, j) starts in the phase planes. */
  private static int tapOffset(ConvShape s, int c, int i, int j) {
    int st = s.stride();
    int di = i * s.dilation();
    int dj = j * s.dilation();
    return (c * st * st + (di % st) * st + dj % st) * hph(s) * wph(s) + (di / st) * wph(s) + dj / st;
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
    if (s.stride() > 1) {
      return (long) xpSize(s) + (long) s.inChannels() * taps(s) * q(s);
    }
    return (long) dypSize(s) + (long) s.outChannels() * taps(s) * qx(s) + (long) s.inChannels() * qx(s)
        + s.weightCount();
  }

  /**
   * {@code xp} = the sample's planes with {@code pad} zeros on every side, then the zero slack; at
   * stride st > 1 split into st x st phase planes: padded pixel (u, v) of channel c goes to phase
   * {@code (u mod st, v mod st)} of c at {@code (u / st, v / st)}, so that a strided window's taps
   * are again one contiguous slice per tap.
   */
  private static void pad(ConvShape s, float[] x, int xOff, float[] xp) {
    int h = s.height();
    int w = s.width();
    int pad = s.padding();
    int wp = wp(s);
    int plane = hp(s) * wp;
    int st = s.stride();
    if (st > 1) {
      int wph = wph(s);
      int pp = hph(s) * wph;
      java.util.Arrays.fill(xp, 0, xpSize(s), 0f);
      for (int c = 0; c < s.inChannels(); c++) {
        int src = xOff + c * h * w;
        for (int iy = 0; iy < h; iy++, src += w) {
          int u = iy + pad;
          int row = (c * st * st + (u % st) * st) * pp + (u / st) * wph;
          for (int b = 0; b < st; b++) {
            // columns ix with (ix + pad) mod st == b, in order: phase b, at (ix + pad) / st
            int ix0 = Math.floorMod(b - pad, st);
            int dst = row + b * pp + (ix0 + pad) / st;
            for (int ix = ix0; ix < w; ix += st, dst++) {
              xp[dst] = x[src + ix];
            }
          }
        }
      }
      return;
    }
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

  /** Unfolded rows on the phase width: {@code col[off + r q, + q) = xp[tapOffset(c, i, j), + q)}, r = (c, i, j). */
  private static void unfoldPlanar(ConvShape s, float[] xp, float[] col, int off) {
    int k = s.kernel();
    int q = q(s);
    int r = off;
    for (int c = 0; c < s.inChannels(); c++) {
      for (int i = 0; i < k; i++) {
        for (int j = 0; j < k; j++, r += q) {
          System.arraycopy(xp, tapOffset(s, c, i, j), col, r, q);
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
    int wp = wph(s);
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
    int wp = wph(s);
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

  /**
   * Strided input gradient of one sample: the rows {@code dcol[xpSize + r q, + q)} (= W^T dy on the
   * phase width) added into zeroed phase planes {@code dcol[0, xpSize)} at their taps' offsets, r in
   * order (each a run of vector adds), then the image's pixels read back out of the phases. Every
   * pixel is 0 plus its taps' contributions in (K row, output pixel) order, as {@link #fold}; the
   * discarded columns hold W^T 0 = +0.
   */
  private static void foldPhases(ConvShape s, float[] dcol, float[] dx, int dxOff) {
    int k = s.kernel();
    int q = q(s);
    int xp = xpSize(s);
    java.util.Arrays.fill(dcol, 0, xp, 0f);
    int r = xp;
    for (int c = 0; c < s.inChannels(); c++) {
      for (int i = 0; i < k; i++) {
        for (int j = 0; j < k; j++, r += q) {
          int o = tapOffset(s, c, i, j);
          ElementwiseKernel.add(q, dcol, o, dcol, r, dcol, o);
        }
      }
    }
    int h = s.height();
    int w = s.width();
    int pad = s.padding();
    int st = s.stride();
    int wph = wph(s);
    int pp = hph(s) * wph;
    for (int c = 0; c < s.inChannels(); c++) {
      int dst = dxOff + c * h * w;
      for (int iy = 0; iy < h; iy++, dst += w) {
        int u = iy + pad;
        int row = (c * st * st + (u % st) * st) * pp + (u / st) * wph;
        for (int b = 0; b < st; b++) {
          int ix0 = Math.floorMod(b - pad, st);
          int src = row + b * pp + (ix0 + pad) / st;
          for (int ix = ix0; ix < w; ix += st, src++) {
            dx[dst + ix] = dcol[src];
          }
        }
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
    // pointwise: the input is its own unfold
    for (int n = 0; n < rows; n++) {
      int xn = xOff + n * s.inSize();
      int yn = yOff + n * s.outSize();
      for (int gi = 0; gi < g; gi++) {
        GemmKernel.gemm(ctx, coutG, p, kg, w, wOff + gi * coutG * kg, x, xn + gi * kg * p, y, yn + gi * coutG * p,
            false);
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
      // pointwise: the input is its own unfold, and W^T dy is dx
      int xn = xOff + n * s.inSize();
      int dyn = dyOff + n * out;
      if (dBias != null) {
        ElementwiseKernel.add(out, work, 0, dy, dyn, work, 0);
      }
      float[] src = x;
      int srcOff = xn;
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
      for (int gi = 0; gi < g; gi++) {
        GemmKernel.gemmTN(ctx, kg, p, coutG, w, wOff + gi * coutG * kg, dy, dyn + gi * coutG * p, dx,
            dxn + gi * kg * p, false);
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
    if (dx != null && s.stride() == 1) {
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
      if (dx != null && s.stride() == 1) {
        inputGradientPlanar(ctx, s, dy, dyn, dcol, wtOff, dx, dxOff + n * s.inSize(), dcol);
      } else if (dx != null) {
        for (int gi = 0; gi < g; gi++) {
          GemmKernel.gemmTN(ctx, kg, q, coutG, w, wOff + gi * coutG * kg, col, dyg + gi * coutG * q, dcol,
              xpSize(s) + gi * kg * q, false);
        }
        foldPhases(s, dcol, dx, dxOff + n * s.inSize());
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

  private static int ceilDiv(int a, int b) {
    return -Math.floorDiv(-a, b);
  }
}
