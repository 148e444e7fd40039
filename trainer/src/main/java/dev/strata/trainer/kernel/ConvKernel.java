package dev.strata.trainer.kernel;

import static dev.strata.trainer.kernel.VMath.S;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

/**
 * 2-D convolution on NCHW batches ({@code rows} samples of {@code C x H x W} floats, row-major) as
 * a product of the weights with the unfolded ("im2col") sample, one sample at a time, per channel
 * group g:
 *
 * <pre>
 *   col_g  = unfold(x_n)[rows of group g]            (K_g x P),  K_g = C_in/G k k,  P = H_out W_out
 *   y_n,g  = W_g col_g (+ b)                         (C_out/G x P), W_g is C_out/G x K_g
 *   dW_g   = sum_n dy_n,g col_g^T
 *   db     = sum_p (sum_n dy_n)  (per pixel over the samples, then over the pixels in order)
 *   dx_n   = W_g^T dy_n,g folded back onto the input pixels ("col2im")
 * </pre>
 *
 * Weights are laid out as PyTorch's {@code C_out x C_in/G x k x k}. A 1x1, stride 1, unpadded
 * convolution multiplies the input in place with {@link GemmKernel} (its unfold is itself). Every
 * other one works on zero-padded planes (split into phases when strided, see {@link #planar}), where
 * each unfolded row is a contiguous slice read in place by {@link #shifted}. Order of every sum,
 * independent of lane count, tiling and threads:
 *
 * <ul>
 *   <li>y: one fma chain per output in K order from 0, then the bias added;
 *   <li>dW: pointwise, one chain per weight over the samples, then the pixels; otherwise 16 virtual
 *       lanes per weight (the output pixel's index on the padded width mod 16) carried over the
 *       samples, then {@link #tree} ({@link #weightLanes});
 *   <li>dx: stride 1 (not pointwise), one chain per input pixel over {@code (co, i, j)} of
 *       {@code W[co][ci][i][j] dy[co][iy + pad - i d][ix + pad - j d]}; pointwise, one chain over co;
 *       strided, 0 plus the chains over co of each tap added in (K row, output pixel) order.
 * </ul>
 *
 * {@link ImageScalarKernels} computes the same chains directly and agrees bit for bit.
 *
 * <p>The caller owns the scratch: {@code col} of {@link #colSize} floats, and {@code dcol} of
 * {@link #dcolSize} and {@code work} of {@link #workSize} floats for the backward pass.
 * Stateless and thread-safe apart from the {@link GemmContext} (one per training thread).
 */
public final class ConvKernel {

  private static final int V = S.length();

  private ConvKernel() {}

  /**
   * Floats of {@code col}: one sample's padded planes and products in the forward pass, a chunk of
   * samples' planes and dy in the backward pass (0 when the convolution is pointwise).
   */
  public static int colSize(ConvShape s) {
    return Math.toIntExact(colFloats(s));
  }

  /** {@link #colSize} as a long, for the memory estimate of shapes too large to allocate. */
  public static long colFloats(ConvShape s) {
    return s.pointwise() ? 0 : Math.max(forwardColFloats(s), (long) chunk(s) * slot(s));
  }

  /** Floats of {@code dcol}, the input gradient's scratch (0 when the convolution is pointwise). */
  public static int dcolSize(ConvShape s) {
    return Math.toIntExact(dcolFloats(s));
  }

  /** {@link #dcolSize} as a long, for the memory estimate of shapes too large to allocate. */
  public static long dcolFloats(ConvShape s) {
    return s.pointwise() ? 0 : inputGradientFloats(s);
  }

  /** Floats of the samples that one weight-gradient pass holds together: 1 MB, within a core's L2. */
  private static final int CHUNK_FLOATS = 1 << 18;

  /**
   * Floats of one sample in the backward pass's {@code col}: its padded planes ({@link #pad}), then
   * its dy on the phase width ({@link #dyOnPaddedWidth}).
   */
  private static int slot(ConvShape s) {
    return xpSize(s) + s.outChannels() * qw(s);
  }

  /**
   * Samples whose weight-gradient lanes are formed in one pass ({@link #weightLanes}), at most 16:
   * the lanes of a tile stay in registers across them instead of going through memory once per
   * sample, which for wide layers ({@code 16 C_out C_in k k} lanes, 10 MB for 96 to 64 channels at
   * 5 x 5) cost more than the products. The sums' order is the same for any chunk.
   */
  static int chunk(ConvShape s) {
    return Math.max(1, Math.min(16, CHUNK_FLOATS / slot(s)));
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
    return s.inChannels() * s.stride() * s.stride() * hph(s) * wph(s) + (s.kernel() - 1) * s.dilation() + SLACK;
  }

  /** Floats readable past the last slice of a padded plane: a whole {@link #TILE} or 16 virtual lanes. */
  private static final int SLACK = Math.max(3 * V, VMath.REDUCTION_LANES);

  /** Columns of dy on the phase width, rounded up to whole runs of 16 virtual lanes (zeros past q). */
  private static int qw(ConvShape s) {
    int l = VMath.REDUCTION_LANES;
    return (q(s) + l - 1) / l * l;
  }

  /**
   * Columns of one tile of {@link #shifted}: 3 vectors. A product over shifted slices computes whole
   * tiles, so every buffer it reads has {@code TILE} floats of slack past its last slice.
   */
  static final int TILE = 3 * V;

  /** {@code n} rounded up to whole tiles. */
  private static int tiles(int n) {
    return (n + TILE - 1) / TILE * TILE;
  }

  /** {@code n} rounded up to whole vectors: the columns {@link #shifted} computes. */
  private static int vectors(int n) {
    return (n + V - 1) / V * V;
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
    return s.outChannels() * hq(s) * wq(s) + SLACK;
  }

  /** Input-gradient product columns: input rows on the width wq. */
  private static int qx(ConvShape s) {
    return s.height() * wq(s);
  }

  private static long forwardColFloats(ConvShape s) {
    return (long) xpSize(s) + (long) s.outChannels() * Math.max(tiles(q(s)), qw(s));
  }

  private static long inputGradientFloats(ConvShape s) {
    if (s.stride() > 1) {
      return (long) xpSize(s) + (long) s.inChannels() * taps(s) * qw(s);
    }
    return (long) dypSize(s) + (long) s.inChannels() * tiles(qx(s)) + s.weightCount();
  }

  /**
   * {@code xp} = the sample's planes with {@code pad} zeros on every side, then the zero slack; at
   * stride st > 1 split into st x st phase planes: padded pixel (u, v) of channel c goes to phase
   * {@code (u mod st, v mod st)} of c at {@code (u / st, v / st)}, so that a strided window's taps
   * are again one contiguous slice per tap. Written at {@code xp[at, at + xpSize)}.
   */
  private static void pad(ConvShape s, float[] x, int xOff, float[] xp, int at) {
    int h = s.height();
    int w = s.width();
    int pad = s.padding();
    int wp = wp(s);
    int plane = hp(s) * wp;
    int st = s.stride();
    if (st > 1) {
      int wph = wph(s);
      int pp = hph(s) * wph;
      java.util.Arrays.fill(xp, at, at + xpSize(s), 0f);
      // a 1x1 window reads only phase (0, 0): the pixels at (pad + st u, pad + st v)
      boolean one = s.kernel() == 1;
      for (int c = 0; c < s.inChannels(); c++) {
        int src = xOff + c * h * w;
        for (int iy = 0; iy < h; iy++, src += w) {
          int u = iy + pad;
          int row = at + (c * st * st + (u % st) * st) * pp + (u / st) * wph;
          if (one && u % st != 0) {
            continue;
          }
          if (st == 2 && !one) {
            // both phases of the row in one pass
            int ix0 = pad & 1; // first column of phase 0: (ix + pad) even
            int d0 = row + (ix0 + pad) / 2;
            int d1 = row + pp + (1 - ix0 + pad) / 2;
            int ix = 0;
            if (ix0 == 1) {
              xp[d1++] = x[src];
              ix = 1;
            }
            for (; ix + 1 < w; ix += 2) {
              xp[d0++] = x[src + ix];
              xp[d1++] = x[src + ix + 1];
            }
            if (ix < w) {
              xp[d0] = x[src + ix];
            }
            continue;
          }
          for (int b = 0; b < (one ? 1 : st); b++) {
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
      System.arraycopy(x, xOff, xp, at, s.inSize());
      java.util.Arrays.fill(xp, at + s.inSize(), at + xpSize(s), 0f);
      return;
    }
    java.util.Arrays.fill(xp, at, at + xpSize(s), 0f);
    for (int c = 0; c < s.inChannels(); c++) {
      int src = xOff + c * h * w;
      int dst = at + c * plane + pad * wp + pad;
      for (int iy = 0; iy < h; iy++, src += w, dst += wp) {
        copyRow(x, src, xp, dst, w);
      }
    }
  }

  /** {@code off[(c, i, j)] = tapOffset(c, i, j)} for every input channel and tap. */
  private static void tapOffsets(ConvShape s, int[] off) {
    int k = s.kernel();
    for (int c = 0, r = 0; c < s.inChannels(); c++) {
      for (int i = 0; i < k; i++) {
        for (int j = 0; j < k; j++) {
          off[r++] = tapOffset(s, c, i, j);
        }
      }
    }
  }

  /**
   * {@code dst[d, d + n) = src[s, s + n)} for two different arrays: image rows are 7 to 32 floats, where
   * {@code System.arraycopy}'s call costs more than the copy; whole vectors, the last one overlapping
   * the one before when n is not a multiple of the width; a row narrower than a vector in one masked
   * load and store.
   */
  private static void copyRow(float[] src, int s, float[] dst, int d, int n) {
    if (n < V) {
      // one masked vector: a 14-wide row at 16 lanes took 10% of (f) as a scalar loop
      VectorMask<Float> m = S.indexInRange(0, n);
      FloatVector.fromArray(S, src, s, m).intoArray(dst, d, m);
      return;
    }
    int i = 0;
    for (; i + V <= n; i += V) {
      FloatVector.fromArray(S, src, s + i).intoArray(dst, d + i);
    }
    if (i < n) {
      FloatVector.fromArray(S, src, s + n - V).intoArray(dst, d + n - V);
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
    int qr = vectors(q);
    int out = xpSize(s);
    int[] off = ctx.scratch[0].offsets(s.inChannels() * taps(s));
    tapOffsets(s, off);
    for (int n = 0; n < rows; n++) {
      int yn = yOff + n * s.outSize();
      pad(s, x, xOff + n * s.inSize(), col, 0);
      for (int gi = 0; gi < g; gi++) {
        shifted(coutG, qr, kg, w, wOff + gi * coutG * kg, col, off, gi * kg, col, out + gi * coutG * qr);
      }
      for (int co = 0; co < s.outChannels(); co++) {
        int src = out + co * qr;
        int dst = yn + co * p;
        for (int oy = 0; oy < oh; oy++, src += wp, dst += ow) {
          copyRow(col, src, y, dst, ow);
        }
      }
      if (bias != null) {
        addBias(s.outChannels(), p, bias, bOff, y, yn);
      }
    }
  }

  /**
   * dy of one sample on the phase width: {@code dyg[co qw + oy wph + ox]}, zeros for ox >= W_out and
   * from q to qw.
   */
  private static void dyOnPaddedWidth(ConvShape s, float[] dy, int dyn, float[] dyg, int off) {
    int wp = wph(s);
    int ow = s.outWidth();
    int p = s.outPlane();
    int qw = qw(s);
    int q = q(s);
    for (int co = 0; co < s.outChannels(); co++) {
      int src = dyn + co * p;
      int dst = off + co * qw;
      for (int oy = 0; oy < s.outHeight(); oy++, src += ow, dst += wp) {
        copyRow(dy, src, dyg, dst, ow);
        java.util.Arrays.fill(dyg, dst + ow, dst + wp, 0f);
      }
      java.util.Arrays.fill(dyg, off + co * qw + q, off + (co + 1) * qw, 0f);
    }
  }

  /**
   * The input gradient of one sample, as the product {@code dx_g = Wt_g R_g} with
   * {@code Wt_g[ci][(co, i, j)] = W[g coutG + co][ci][i][j]} (in {@code wt}, made once per call)
   * and {@code R} the rows of shifted, zero-padded dy (see {@link #planar}): each input pixel is
   * one fma chain over {@code (co, i, j)} in that order, started from 0.
   */
  private static void inputGradientPlanar(ConvShape s, int[] off, int o0, float[] dy, int dyn, float[] wt, int wtOff,
      float[] dx, int dxn, float[] dcol) {
    int g = s.groups();
    int coutG = s.outChannels() / g;
    int cinG = s.inChannels() / g;
    int kk = taps(s);
    int hq = hq(s);
    int wq = wq(s);
    int t = t(s);
    int qx = qx(s);
    int plane = hq * wq;
    int ow = s.outWidth();
    int qxr = vectors(qx);
    int dyp = dypSize(s);
    int dxgOff = dyp;
    // dyp: dy at offset (t, t) in zeroed hq x wq planes
    java.util.Arrays.fill(dcol, 0, dyp, 0f);
    for (int co = 0; co < s.outChannels(); co++) {
      int src = dyn + co * s.outPlane();
      int dst = co * plane + t * wq + t;
      for (int oy = 0; oy < s.outHeight(); oy++, src += ow, dst += wq) {
        copyRow(dy, src, dcol, dst, ow);
      }
    }
    for (int gi = 0; gi < g; gi++) {
      shifted(cinG, qxr, coutG * kk, wt, wtOff + gi * cinG * coutG * kk, dcol, off, o0 + gi * coutG * kk, dcol,
          dxgOff + gi * cinG * qxr);
    }
    int h = s.height();
    int w = s.width();
    for (int c = 0; c < s.inChannels(); c++) {
      int src = dxgOff + c * qxr;
      int dst = dxn + c * h * w;
      for (int iy = 0; iy < h; iy++, src += wq, dst += w) {
        copyRow(dcol, src, dx, dst, w);
      }
    }
  }

  /**
   * The 16 virtual lanes of the weight gradient of {@code samples} samples and one group, added to
   * {@code acc} ({@code m x kk x 16} at {@code a0}): for output channel r and tap p, lane l is the fma
   * chain over the columns {@code q = l mod 16} of {@code dy[r][q] xp[off[o0 + p] + q]}, sample after
   * sample, continued from the lanes of the samples before. Sample j's dy is {@code m x qw} at
   * {@code d0 + j slot} (qw a multiple of 16), its padded planes at {@code j slot}, readable to
   * {@code j slot + off[p] + qw}. The lanes are folded in {@link #tree} once per batch, so
   * the sum runs along the long pixel axis in vectors and its order does not depend on the lane count
   * ({@link VMath#REDUCTION_LANES}). Tiles of 4 x 4 weights at 16 lanes, single weights otherwise.
   */
  static void weightLanes(int m, int kk, int qw, int samples, int slot, float[] dy, int d0, float[] b, int[] off,
      int o0, float[] acc, int a0) {
    int l = VMath.REDUCTION_LANES;
    int r = 0;
    if (V == 16) {
      for (; r + 4 <= m; r += 4) {
        int p = 0;
        for (; p + 4 <= kk; p += 4) {
          lanes4x4(kk, qw, samples, slot, dy, d0 + r * qw, b, off, o0 + p, acc, a0 + (r * kk + p) * l);
        }
        for (; p < kk; p++) {
          for (int i = r; i < r + 4; i++) {
            lanes1(qw, samples, slot, dy, d0 + i * qw, b, off[o0 + p], acc, a0 + (i * kk + p) * l);
          }
        }
      }
    }
    for (; r < m; r++) {
      for (int p = 0; p < kk; p++) {
        lanes1(qw, samples, slot, dy, d0 + r * qw, b, off[o0 + p], acc, a0 + (r * kk + p) * l);
      }
    }
  }

  /** One weight's 16 lanes (16 / V vectors) over qw columns of each sample. */
  private static void lanes1(int qw, int samples, int slot, float[] dy, int d0, float[] b, int b0, float[] acc,
      int a) {
    FloatVector s0 = FloatVector.fromArray(S, acc, a);
    FloatVector s1 = V <= 8 ? FloatVector.fromArray(S, acc, a + V) : s0;
    FloatVector s2 = V == 4 ? FloatVector.fromArray(S, acc, a + 2 * V) : s0;
    FloatVector s3 = V == 4 ? FloatVector.fromArray(S, acc, a + 3 * V) : s0;
    for (int j = 0, d = d0, bo = b0; j < samples; j++, d += slot, bo += slot) {
      for (int q = 0; q < qw; q += 16) {
        s0 = FloatVector.fromArray(S, dy, d + q).fma(FloatVector.fromArray(S, b, bo + q), s0);
        if (V <= 8) {
          s1 = FloatVector.fromArray(S, dy, d + q + V).fma(FloatVector.fromArray(S, b, bo + q + V), s1);
        }
        if (V == 4) {
          s2 = FloatVector.fromArray(S, dy, d + q + 2 * V).fma(FloatVector.fromArray(S, b, bo + q + 2 * V), s2);
          s3 = FloatVector.fromArray(S, dy, d + q + 3 * V).fma(FloatVector.fromArray(S, b, bo + q + 3 * V), s3);
        }
      }
    }
    s0.intoArray(acc, a);
    if (V <= 8) {
      s1.intoArray(acc, a + V);
    }
    if (V == 4) {
      s2.intoArray(acc, a + 2 * V);
      s3.intoArray(acc, a + 3 * V);
    }
  }

  /** 4 output channels x 4 taps at 16 lanes: 16 accumulators, 8 loads per 16 fmas. */
  private static void lanes4x4(int kk, int qw, int samples, int slot, float[] dy, int d0, float[] b, int[] off, int o,
      float[] acc, int a) {
    int l = VMath.REDUCTION_LANES;
    int r1 = kk * l;
    FloatVector s00 = FloatVector.fromArray(S, acc, a);
    FloatVector s01 = FloatVector.fromArray(S, acc, a + l);
    FloatVector s02 = FloatVector.fromArray(S, acc, a + 2 * l);
    FloatVector s03 = FloatVector.fromArray(S, acc, a + 3 * l);
    FloatVector s10 = FloatVector.fromArray(S, acc, a + r1);
    FloatVector s11 = FloatVector.fromArray(S, acc, a + r1 + l);
    FloatVector s12 = FloatVector.fromArray(S, acc, a + r1 + 2 * l);
    FloatVector s13 = FloatVector.fromArray(S, acc, a + r1 + 3 * l);
    FloatVector s20 = FloatVector.fromArray(S, acc, a + 2 * r1);
    FloatVector s21 = FloatVector.fromArray(S, acc, a + 2 * r1 + l);
    FloatVector s22 = FloatVector.fromArray(S, acc, a + 2 * r1 + 2 * l);
    FloatVector s23 = FloatVector.fromArray(S, acc, a + 2 * r1 + 3 * l);
    FloatVector s30 = FloatVector.fromArray(S, acc, a + 3 * r1);
    FloatVector s31 = FloatVector.fromArray(S, acc, a + 3 * r1 + l);
    FloatVector s32 = FloatVector.fromArray(S, acc, a + 3 * r1 + 2 * l);
    FloatVector s33 = FloatVector.fromArray(S, acc, a + 3 * r1 + 3 * l);
    for (int j = 0, at = 0; j < samples; j++, at += slot) {
      int d = d0 + at;
      int d1 = d + qw;
      int d2 = d1 + qw;
      int d3 = d2 + qw;
      int b0 = at + off[o];
      int b1 = at + off[o + 1];
      int b2 = at + off[o + 2];
      int b3 = at + off[o + 3];
      for (int q = 0; q < qw; q += 16) {
        FloatVector x0 = FloatVector.fromArray(S, b, b0 + q);
        FloatVector x1 = FloatVector.fromArray(S, b, b1 + q);
        FloatVector x2 = FloatVector.fromArray(S, b, b2 + q);
        FloatVector x3 = FloatVector.fromArray(S, b, b3 + q);
        FloatVector y = FloatVector.fromArray(S, dy, d + q);
        s00 = y.fma(x0, s00);
        s01 = y.fma(x1, s01);
        s02 = y.fma(x2, s02);
        s03 = y.fma(x3, s03);
        y = FloatVector.fromArray(S, dy, d1 + q);
        s10 = y.fma(x0, s10);
        s11 = y.fma(x1, s11);
        s12 = y.fma(x2, s12);
        s13 = y.fma(x3, s13);
        y = FloatVector.fromArray(S, dy, d2 + q);
        s20 = y.fma(x0, s20);
        s21 = y.fma(x1, s21);
        s22 = y.fma(x2, s22);
        s23 = y.fma(x3, s23);
        y = FloatVector.fromArray(S, dy, d3 + q);
        s30 = y.fma(x0, s30);
        s31 = y.fma(x1, s31);
        s32 = y.fma(x2, s32);
        s33 = y.fma(x3, s33);
      }
    }
    s00.intoArray(acc, a);
    s01.intoArray(acc, a + l);
    s02.intoArray(acc, a + 2 * l);
    s03.intoArray(acc, a + 3 * l);
    s10.intoArray(acc, a + r1);
    s11.intoArray(acc, a + r1 + l);
    s12.intoArray(acc, a + r1 + 2 * l);
    s13.intoArray(acc, a + r1 + 3 * l);
    s20.intoArray(acc, a + 2 * r1);
    s21.intoArray(acc, a + 2 * r1 + l);
    s22.intoArray(acc, a + 2 * r1 + 2 * l);
    s23.intoArray(acc, a + 2 * r1 + 3 * l);
    s30.intoArray(acc, a + 3 * r1);
    s31.intoArray(acc, a + 3 * r1 + l);
    s32.intoArray(acc, a + 3 * r1 + 2 * l);
    s33.intoArray(acc, a + 3 * r1 + 3 * l);
  }

  /**
   * The fixed tree of {@link VMath#sumLanes} over 16 lanes stored at {@code a[i, i + 16)}:
   * {@code t_j = v_j + v_{j+8}}, {@code u_j = t_j + t_{j+4}}, then {@code (u_0 + u_2) + (u_1 + u_3)}.
   */
  static float tree(float[] a, int i) {
    float u0 = (a[i] + a[i + 8]) + (a[i + 4] + a[i + 12]);
    float u1 = (a[i + 1] + a[i + 9]) + (a[i + 5] + a[i + 13]);
    float u2 = (a[i + 2] + a[i + 10]) + (a[i + 6] + a[i + 14]);
    float u3 = (a[i + 3] + a[i + 11]) + (a[i + 7] + a[i + 15]);
    return (u0 + u2) + (u1 + u3);
  }

  /**
   * {@code C[r][0, qr) = sum_p A[r][p] B[off[o0 + p] + (0, qr)]} for rows r in [0, m), p in [0, kk):
   * a product whose right operand's rows are slices of {@code b} at the offsets {@code off} (a
   * convolution's taps), read in place instead of unfolded and packed. A is {@code m x kk} row-major
   * at {@code aOff}, C is {@code m x qr} row-major at {@code cOff}; {@code qr} is a whole number of
   * vectors and {@code b} readable to {@code off[p] + qr}. Tiles of 8 rows x 3 vectors at 16
   * lanes (24 accumulators), 4 rows x 3 vectors below (12; AVX2 has 16 registers), one row at a time
   * for the last rows; the columns short of a whole tile one vector at a time (a 7 x 7 output on a
   * padded width of 11 has 77 columns: 80 in vectors instead of 96 in tiles); columns outer so that a tile's
   * slices, read once from L2, serve every row. Each element is one fma chain in p order from 0,
   * as in {@link GemmKernel}, so the bits are those of the unfolded product.
   */
  static void shifted(int m, int qr, int kk, float[] a, int aOff, float[] b, int[] off, int o0, float[] c, int cOff) {
    int q0 = 0;
    for (; q0 + TILE <= qr; q0 += TILE) {
      int r = 0;
      if (V == 16) {
        // 8 x 3 vectors: 24 accumulators of the 32 AVX-512 registers (AVX2 has 16: 4 rows there)
        for (; r + 8 <= m; r += 8) {
          shifted8(kk, a, aOff + r * kk, b, off, o0, q0, c, cOff + r * qr + q0, qr);
        }
      }
      for (; r + 4 <= m; r += 4) {
        shifted4(kk, a, aOff + r * kk, b, off, o0, q0, c, cOff + r * qr + q0, qr);
      }
      for (; r < m; r++) {
        shifted1(kk, a, aOff + r * kk, b, off, o0, q0, c, cOff + r * qr + q0);
      }
    }
    for (; q0 < qr; q0 += V) {
      int r = 0;
      for (; r + 4 <= m; r += 4) {
        shifted4x1(kk, a, aOff + r * kk, b, off, o0, q0, c, cOff + r * qr + q0, qr);
      }
      for (; r < m; r++) {
        shifted1x1(kk, a, aOff + r * kk, b, off, o0, q0, c, cOff + r * qr + q0);
      }
    }
  }

  private static void shifted4(int kk, float[] a, int a0, float[] b, int[] off, int o0, int q0, float[] c, int ci,
      int ldc) {
    int a1 = a0 + kk;
    int a2 = a1 + kk;
    int a3 = a2 + kk;
    FloatVector c00 = FloatVector.zero(S);
    FloatVector c01 = FloatVector.zero(S);
    FloatVector c02 = FloatVector.zero(S);
    FloatVector c10 = FloatVector.zero(S);
    FloatVector c11 = FloatVector.zero(S);
    FloatVector c12 = FloatVector.zero(S);
    FloatVector c20 = FloatVector.zero(S);
    FloatVector c21 = FloatVector.zero(S);
    FloatVector c22 = FloatVector.zero(S);
    FloatVector c30 = FloatVector.zero(S);
    FloatVector c31 = FloatVector.zero(S);
    FloatVector c32 = FloatVector.zero(S);
    for (int p = 0; p < kk; p++) {
      int bo = off[o0 + p] + q0;
      FloatVector b0 = FloatVector.fromArray(S, b, bo);
      FloatVector b1 = FloatVector.fromArray(S, b, bo + V);
      FloatVector b2 = FloatVector.fromArray(S, b, bo + 2 * V);
      FloatVector x0 = FloatVector.broadcast(S, a[a0 + p]);
      c00 = x0.fma(b0, c00);
      c01 = x0.fma(b1, c01);
      c02 = x0.fma(b2, c02);
      FloatVector x1 = FloatVector.broadcast(S, a[a1 + p]);
      c10 = x1.fma(b0, c10);
      c11 = x1.fma(b1, c11);
      c12 = x1.fma(b2, c12);
      FloatVector x2 = FloatVector.broadcast(S, a[a2 + p]);
      c20 = x2.fma(b0, c20);
      c21 = x2.fma(b1, c21);
      c22 = x2.fma(b2, c22);
      FloatVector x3 = FloatVector.broadcast(S, a[a3 + p]);
      c30 = x3.fma(b0, c30);
      c31 = x3.fma(b1, c31);
      c32 = x3.fma(b2, c32);
    }
    c00.intoArray(c, ci);
    c01.intoArray(c, ci + V);
    c02.intoArray(c, ci + 2 * V);
    c10.intoArray(c, ci + ldc);
    c11.intoArray(c, ci + ldc + V);
    c12.intoArray(c, ci + ldc + 2 * V);
    c20.intoArray(c, ci + 2 * ldc);
    c21.intoArray(c, ci + 2 * ldc + V);
    c22.intoArray(c, ci + 2 * ldc + 2 * V);
    c30.intoArray(c, ci + 3 * ldc);
    c31.intoArray(c, ci + 3 * ldc + V);
    c32.intoArray(c, ci + 3 * ldc + 2 * V);
  }

  /** {@link #shifted4} with 8 rows, for 16 lanes only. */
  private static void shifted8(int kk, float[] a, int a0, float[] b, int[] off, int o0, int q0, float[] c, int ci,
      int ldc) {
    int a1 = a0 + kk;
    int a2 = a1 + kk;
    int a3 = a2 + kk;
    int a4 = a3 + kk;
    int a5 = a4 + kk;
    int a6 = a5 + kk;
    int a7 = a6 + kk;
    FloatVector c00 = FloatVector.zero(S);
    FloatVector c01 = FloatVector.zero(S);
    FloatVector c02 = FloatVector.zero(S);
    FloatVector c10 = FloatVector.zero(S);
    FloatVector c11 = FloatVector.zero(S);
    FloatVector c12 = FloatVector.zero(S);
    FloatVector c20 = FloatVector.zero(S);
    FloatVector c21 = FloatVector.zero(S);
    FloatVector c22 = FloatVector.zero(S);
    FloatVector c30 = FloatVector.zero(S);
    FloatVector c31 = FloatVector.zero(S);
    FloatVector c32 = FloatVector.zero(S);
    FloatVector c40 = FloatVector.zero(S);
    FloatVector c41 = FloatVector.zero(S);
    FloatVector c42 = FloatVector.zero(S);
    FloatVector c50 = FloatVector.zero(S);
    FloatVector c51 = FloatVector.zero(S);
    FloatVector c52 = FloatVector.zero(S);
    FloatVector c60 = FloatVector.zero(S);
    FloatVector c61 = FloatVector.zero(S);
    FloatVector c62 = FloatVector.zero(S);
    FloatVector c70 = FloatVector.zero(S);
    FloatVector c71 = FloatVector.zero(S);
    FloatVector c72 = FloatVector.zero(S);
    for (int p = 0; p < kk; p++) {
      int bo = off[o0 + p] + q0;
      FloatVector b0 = FloatVector.fromArray(S, b, bo);
      FloatVector b1 = FloatVector.fromArray(S, b, bo + V);
      FloatVector b2 = FloatVector.fromArray(S, b, bo + 2 * V);
      FloatVector x0 = FloatVector.broadcast(S, a[a0 + p]);
      c00 = x0.fma(b0, c00);
      c01 = x0.fma(b1, c01);
      c02 = x0.fma(b2, c02);
      FloatVector x1 = FloatVector.broadcast(S, a[a1 + p]);
      c10 = x1.fma(b0, c10);
      c11 = x1.fma(b1, c11);
      c12 = x1.fma(b2, c12);
      FloatVector x2 = FloatVector.broadcast(S, a[a2 + p]);
      c20 = x2.fma(b0, c20);
      c21 = x2.fma(b1, c21);
      c22 = x2.fma(b2, c22);
      FloatVector x3 = FloatVector.broadcast(S, a[a3 + p]);
      c30 = x3.fma(b0, c30);
      c31 = x3.fma(b1, c31);
      c32 = x3.fma(b2, c32);
      FloatVector x4 = FloatVector.broadcast(S, a[a4 + p]);
      c40 = x4.fma(b0, c40);
      c41 = x4.fma(b1, c41);
      c42 = x4.fma(b2, c42);
      FloatVector x5 = FloatVector.broadcast(S, a[a5 + p]);
      c50 = x5.fma(b0, c50);
      c51 = x5.fma(b1, c51);
      c52 = x5.fma(b2, c52);
      FloatVector x6 = FloatVector.broadcast(S, a[a6 + p]);
      c60 = x6.fma(b0, c60);
      c61 = x6.fma(b1, c61);
      c62 = x6.fma(b2, c62);
      FloatVector x7 = FloatVector.broadcast(S, a[a7 + p]);
      c70 = x7.fma(b0, c70);
      c71 = x7.fma(b1, c71);
      c72 = x7.fma(b2, c72);
    }
    c00.intoArray(c, ci);
    c01.intoArray(c, ci + V);
    c02.intoArray(c, ci + 2 * V);
    c10.intoArray(c, ci + ldc);
    c11.intoArray(c, ci + ldc + V);
    c12.intoArray(c, ci + ldc + 2 * V);
    c20.intoArray(c, ci + 2 * ldc);
    c21.intoArray(c, ci + 2 * ldc + V);
    c22.intoArray(c, ci + 2 * ldc + 2 * V);
    c30.intoArray(c, ci + 3 * ldc);
    c31.intoArray(c, ci + 3 * ldc + V);
    c32.intoArray(c, ci + 3 * ldc + 2 * V);
    c40.intoArray(c, ci + 4 * ldc);
    c41.intoArray(c, ci + 4 * ldc + V);
    c42.intoArray(c, ci + 4 * ldc + 2 * V);
    c50.intoArray(c, ci + 5 * ldc);
    c51.intoArray(c, ci + 5 * ldc + V);
    c52.intoArray(c, ci + 5 * ldc + 2 * V);
    c60.intoArray(c, ci + 6 * ldc);
    c61.intoArray(c, ci + 6 * ldc + V);
    c62.intoArray(c, ci + 6 * ldc + 2 * V);
    c70.intoArray(c, ci + 7 * ldc);
    c71.intoArray(c, ci + 7 * ldc + V);
    c72.intoArray(c, ci + 7 * ldc + 2 * V);
  }

  private static void shifted1(int kk, float[] a, int a0, float[] b, int[] off, int o0, int q0, float[] c, int ci) {
    FloatVector c0 = FloatVector.zero(S);
    FloatVector c1 = FloatVector.zero(S);
    FloatVector c2 = FloatVector.zero(S);
    for (int p = 0; p < kk; p++) {
      int bo = off[o0 + p] + q0;
      FloatVector x0 = FloatVector.broadcast(S, a[a0 + p]);
      c0 = x0.fma(FloatVector.fromArray(S, b, bo), c0);
      c1 = x0.fma(FloatVector.fromArray(S, b, bo + V), c1);
      c2 = x0.fma(FloatVector.fromArray(S, b, bo + 2 * V), c2);
    }
    c0.intoArray(c, ci);
    c1.intoArray(c, ci + V);
    c2.intoArray(c, ci + 2 * V);
  }

  /** {@link #shifted4} on one vector of columns. */
  private static void shifted4x1(int kk, float[] a, int a0, float[] b, int[] off, int o0, int q0, float[] c, int ci,
      int ldc) {
    int a1 = a0 + kk;
    int a2 = a1 + kk;
    int a3 = a2 + kk;
    FloatVector c0 = FloatVector.zero(S);
    FloatVector c1 = FloatVector.zero(S);
    FloatVector c2 = FloatVector.zero(S);
    FloatVector c3 = FloatVector.zero(S);
    for (int p = 0; p < kk; p++) {
      FloatVector x = FloatVector.fromArray(S, b, off[o0 + p] + q0);
      c0 = FloatVector.broadcast(S, a[a0 + p]).fma(x, c0);
      c1 = FloatVector.broadcast(S, a[a1 + p]).fma(x, c1);
      c2 = FloatVector.broadcast(S, a[a2 + p]).fma(x, c2);
      c3 = FloatVector.broadcast(S, a[a3 + p]).fma(x, c3);
    }
    c0.intoArray(c, ci);
    c1.intoArray(c, ci + ldc);
    c2.intoArray(c, ci + 2 * ldc);
    c3.intoArray(c, ci + 3 * ldc);
  }

  /** {@link #shifted1} on one vector of columns. */
  private static void shifted1x1(int kk, float[] a, int a0, float[] b, int[] off, int o0, int q0, float[] c, int ci) {
    FloatVector c0 = FloatVector.zero(S);
    for (int p = 0; p < kk; p++) {
      c0 = FloatVector.broadcast(S, a[a0 + p]).fma(FloatVector.fromArray(S, b, off[o0 + p] + q0), c0);
    }
    c0.intoArray(c, ci);
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
    int q = qw(s);
    int xp = xpSize(s);
    if (k == 1) {
      foldPointwise(s, dcol, xp, q, dx, dxOff);
      return;
    }
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

  /**
   * {@link #foldPhases} of a strided 1x1 convolution: only the pixels on phase (0, 0) have a tap, so
   * dx is zero but for those, which get {@code 0 + (W^T dy)} (the +0 that the phase planes start
   * from turns -0 into +0, as there). The phases' zero fill and the read-back of every pixel, three
   * quarters of them zeros, cost (f)'s projection shortcut more than its product.
   */
  private static void foldPointwise(ConvShape s, float[] dcol, int rows, int q, float[] dx, int dxOff) {
    int h = s.height();
    int w = s.width();
    int st = s.stride();
    int pad = s.padding();
    int wph = wph(s);
    java.util.Arrays.fill(dx, dxOff, dxOff + s.inSize(), 0f);
    int iy0 = Math.floorMod(-pad, st);
    int ix0 = iy0;
    for (int c = 0; c < s.inChannels(); c++) {
      int row = rows + c * q;
      for (int iy = iy0; iy < h; iy += st) {
        int src = row + (iy + pad) / st * wph + (ix0 + pad) / st;
        int dst = dxOff + c * h * w + iy * w;
        for (int ix = ix0; ix < w; ix += st, src++) {
          dx[dst + ix] = 0f + dcol[src];
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
   * Whether a pointwise convolution's weight gradient is formed transposed,
   * {@code dW_g^T (C_in/G x C_out/G) += x_g dy_g^T}: when a group has fewer input than output
   * channels, so that the product's columns are the wider side. The same chains either way.
   */
  static boolean transposedWeightGradient(ConvShape s) {
    return s.groupK() < s.outChannels() / s.groups();
  }

  /**
   * Floats of the backward pass's {@code work} scratch: per-pixel bias sums, then 16 lanes per weight
   * ({@link #weightLanes}), or a transposed dW for a pointwise convolution that needs one.
   */
  public static int workSize(ConvShape s) {
    return Math.toIntExact(workFloats(s));
  }

  /** {@link #workSize} as a long, for the memory estimate of shapes too large to allocate. */
  public static long workFloats(ConvShape s) {
    if (planar(s)) {
      return s.outSize() + (long) VMath.REDUCTION_LANES * s.weightCount();
    }
    return s.outSize() + (transposedWeightGradient(s) ? (long) s.weightCount() : 0);
  }

  /**
   * Gradients for {@code rows} samples: overwrites {@code dW} (and {@code dBias} unless null) and,
   * unless {@code dx} is null, writes {@code dx}. {@code col} ({@link #colSize}), {@code dcol} ({@link #dcolSize})
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
    boolean transposed = !planar(s) && transposedWeightGradient(s);
    if (rows == 0) {
      java.util.Arrays.fill(dW, dwOff, dwOff + s.weightCount(), 0f);
    }
    if (dBias != null) {
      java.util.Arrays.fill(work, 0, out, 0f);
    }
    if (planar(s) && rows > 0) {
      backwardPlanar(ctx, s, rows, x, xOff, dy, dyOff, w, wOff, dW, dwOff, dBias, dx, dxOff, col, dcol, work);
      for (int i = 0, l = out; i < s.weightCount(); i++, l += VMath.REDUCTION_LANES) {
        dW[dwOff + i] = tree(work, l);
      }
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
    int qw = qw(s);
    int out = s.outSize();
    int dyg = xpSize(s);
    int wtOff = dypSize(s) + s.inChannels() * tiles(qx(s));
    int taps = s.inChannels() * taps(s);
    int[] off = ctx.scratch[0].offsets(taps + s.outChannels() * taps(s));
    tapOffsets(s, off);
    int lanes = VMath.REDUCTION_LANES;
    java.util.Arrays.fill(work, out, out + lanes * s.weightCount(), 0f);
    if (dx != null && s.stride() == 1) {
      transposeWeights(s, w, wOff, dcol, wtOff);
      // row (co, i, j) of the shifted dy starts at dyp[co hq wq + base - i d wq - j d]
      int wq = wq(s);
      int t = t(s);
      int base = (s.padding() + t) * wq + s.padding() + t;
      int k = s.kernel();
      int d = s.dilation();
      for (int co = 0, r = taps; co < s.outChannels(); co++) {
        for (int i = 0; i < k; i++) {
          for (int j = 0; j < k; j++) {
            off[r++] = co * hq(s) * wq + base - i * d * wq - j * d;
          }
        }
      }
    }
    int slot = slot(s);
    int chunk = chunk(s);
    for (int n0 = 0; n0 < rows; n0 += chunk) {
      int samples = Math.min(chunk, rows - n0);
      for (int j = 0; j < samples; j++) {
        int n = n0 + j;
        int dyn = dyOff + n * out;
        int at = j * slot;
        if (dBias != null) {
          ElementwiseKernel.add(out, work, 0, dy, dyn, work, 0);
        }
        pad(s, x, xOff + n * s.inSize(), col, at);
        dyOnPaddedWidth(s, dy, dyn, col, at + dyg);
        if (dx != null && s.stride() == 1) {
          inputGradientPlanar(s, off, taps, dy, dyn, dcol, wtOff, dx, dxOff + n * s.inSize(), dcol);
        } else if (dx != null) {
          for (int gi = 0; gi < g; gi++) {
            GemmKernel.gemmTN(ctx, kg, qw, coutG, w, wOff + gi * coutG * kg, col, at + dyg + gi * coutG * qw, dcol,
                xpSize(s) + gi * kg * qw, false);
          }
          foldPhases(s, dcol, dx, dxOff + n * s.inSize());
        }
      }
      for (int gi = 0; gi < g; gi++) {
        weightLanes(coutG, kg, qw, samples, slot, col, dyg + gi * coutG * qw, col, off, gi * kg, work,
            out + lanes * gi * coutG * kg);
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
