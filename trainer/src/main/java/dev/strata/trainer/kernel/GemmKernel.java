package dev.strata.trainer.kernel;

import static dev.strata.trainer.kernel.VMath.S;

import dev.strata.trainer.spec.Activation;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;

/**
 * Single-precision matrix products on flat row-major arrays with offsets; every matrix is
 * contiguous (leading dimension = its column count). Three variants, all {@code C (+)= op(A) op(B)}
 * with {@code C} of shape {@code m x n}:
 *
 * <ul>
 *   <li>{@link #gemm}: {@code C = A B}, A is {@code m x k}, B is {@code k x n} (dense forward);
 *   <li>{@link #gemmNT}: {@code C = A B^T}, A is {@code m x k}, B is {@code n x k} (input gradient);
 *   <li>{@link #gemmTN}: {@code C = A^T B}, A is {@code k x m}, B is {@code k x n} (weight gradient).
 * </ul>
 *
 * <p>With {@code accumulate} the product is added to C, otherwise C is overwritten.
 *
 * <p>How: products with at most one vector of columns or at most {@link #SMALL_MAX} multiply-adds
 * (tiny networks) take an unpacked path: 4-row x 2V register tiles reading A and B in place ({@code
 * A B^T} first copies B^T into scratch). Larger ones run one loop nest over a strided view
 * {@code C'(i, j) (+)= sum_p A'(i, p) B'(p, j)}: k is cut into equal blocks of at most {@link #KC} and
 * the columns into blocks of {@link #NC}; each {@code KC x NC} block of B' is packed into contiguous
 * {@code KC x NR} panels (zero-padded at the right edge) that stay in L2. A {@code MR x NR} = 6 x 2V
 * micro-kernel (12 accumulators: all 16 AVX2 registers) streams one panel against 6 rows of A'
 * read in place, or packed per strip when A' is transposed ({@code A^T B}); a 4-row twin takes the
 * common 4-row edge strip. With few rows (a batch against a layer) the first strip packs the panels
 * as it multiplies them. {@code A B^T} runs as {@code (B A^T)^T} when that packs less (a small batch
 * times a wide layer), and {@code A^T B} with fewer than 2V columns as {@code (B^T A)^T}; tiles at
 * the edges or with a transposed C go through a small tile buffer.
 *
 * <p>Every element of C is a single chain of fused multiply-adds in p order, started from 0 (or
 * from C when accumulating); k-blocks store and reload the exact float. So an element's bits do not
 * depend on the path, tiling, packing, the NT transposition or the thread split. Stateless; the
 * {@link GemmContext} passed in carries the scratch and the thread count. The overloads without a
 * context make a fresh one per call (tests, one-off use): hot paths pass their own.
 */
public final class GemmKernel {

  private static final int V = S.length();
  static final int MR = 6;
  static final int NR = 2 * V;
  /** k block: a KC x NR panel is 16 KB (AVX2), an L1-resident stream for the micro-kernel. */
  static final int KC = 256;
  /** Padding between packed panels, in floats: one cache line. */
  static final int PANEL_PAD = NR;
  /**
   * Column block: KC x NC packed floats = 512 KB, one L2. Wider than half an L2 pays on large
   * products: each 6-row strip of A, once loaded, serves 32 panels instead of 16 (+6-7% at 512 and
   * 1024 squares, side by side).
   */
  static final int NC = 512;
  /** Products up to this many multiply-adds take the unpacked path. */
  static final long SMALL_MAX = 16 * 1024;
  /**
   * Row ranges up to this long pack B while multiplying the first strip: with few strips to share
   * it, a separate packing pass is a large part of the product (a batch of 64 against a layer).
   */
  static final int FUSE_MAX_ROWS = 128;
  /** Products below this many multiply-adds run on the calling thread only. */
  static final long PARALLEL_MIN = 1L << 20;

  private GemmKernel() {}

  static {
    seedProfiles();
  }

  /**
   * Runs the micro-kernels a few hundred times each, starting alternately from zero and from C, so
   * that their branch profile has seen both before C2 compiles them. Compiled from a profile where
   * one side was never taken (a first workload of single-k-block products, which never reload C),
   * the same loop comes out with its broadcasts hoisted and five accumulators spilled to the stack,
   * and GEMM runs at 0.4-0.6x until a product with several k blocks makes C2 recompile it (256 cube
   * first in {@code GemmSideBySide}: 29-33 against 47-73 GFLOP/s seeded). Costs about 90 ms at class
   * load, mostly interpreted calls.
   */
  private static void seedProfiles() {
    int kc = 1;
    float[] a = new float[MR * kc];
    float[] b = new float[kc * NR];
    float[] packed = new float[kc * NR];
    float[] c = new float[MR * NR];
    for (int i = 0; i < 600; i++) {
      boolean load = (i & 1) == 0;
      micro(kc, a, 0, kc, 2 * kc, 3 * kc, 4 * kc, 5 * kc, b, 0, c, 0, NR, load);
      micro4(kc, a, 0, kc, 2 * kc, 3 * kc, b, 0, c, 0, NR, load);
      microPack(kc, a, 0, kc, 2 * kc, 3 * kc, 4 * kc, 5 * kc, b, 0, NR, packed, 0, c, 0, NR, load);
    }
  }

  /** {@code C (+)= A B}; A {@code m x k}, B {@code k x n}, C {@code m x n}, all row-major. */
  public static void gemm(int m, int n, int k, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff,
      boolean accumulate) {
    gemm(GemmContext.of(1), m, n, k, a, aOff, b, bOff, c, cOff, accumulate);
  }

  /** {@code C (+)= A^T B}; A {@code k x m}, B {@code k x n}, C {@code m x n}, all row-major. */
  public static void gemmTN(int m, int n, int k, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff,
      boolean accumulate) {
    gemmTN(GemmContext.of(1), m, n, k, a, aOff, b, bOff, c, cOff, accumulate);
  }

  /** {@code C (+)= A B^T}; A {@code m x k}, B {@code n x k}, C {@code m x n}, all row-major. */
  public static void gemmNT(int m, int n, int k, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff,
      boolean accumulate) {
    gemmNT(GemmContext.of(1), m, n, k, a, aOff, b, bOff, c, cOff, accumulate);
  }

  /** {@code C (+)= A B} with the context's scratch and threads. */
  public static void gemm(GemmContext ctx, int m, int n, int k, float[] a, int aOff, float[] b, int bOff, float[] c,
      int cOff, boolean accumulate) {
    if (small(m, n, k)) {
      strided(m, n, k, a, aOff, k, 1, b, bOff, c, cOff, accumulate, ctx.scratch[0]);
      return;
    }
    run(ctx, m, n, k, a, aOff, k, 1, b, bOff, n, 1, c, cOff, n, 1, accumulate);
  }

  /**
   * The dense forward: {@code z = x W + bias} and {@code y = act(z)} (x {@code m x k}, W
   * {@code k x n}, all row-major), the bias and activation applied to each strip of rows while it
   * is cache-hot when the product runs in one sweep, else in one pass after. Same bits either way.
   * y may alias z as {@link ActivationKernel#forward} allows; bias may be null.
   */
  public static void gemmBiasActivation(GemmContext ctx, int m, int n, int k, float[] x, int xOff, float[] w,
      int wOff, float[] bias, int biasOff, Activation act, float[] z, int zOff, float[] y, int yOff) {
    if (small(m, n, k) || m <= 0 || n <= 0) {
      gemm(ctx, m, n, k, x, xOff, w, wOff, z, zOff, false);
      ActivationKernel.forward(act, m, n, z, zOff, bias, biasOff, y, yOff);
      return;
    }
    Job job = ctx.job;
    job.act = act;
    job.bias = bias;
    job.biasOff = biasOff;
    job.y = y;
    job.yOff = yOff;
    run(ctx, m, n, k, x, xOff, k, 1, w, wOff, n, 1, z, zOff, n, 1, false);
  }

  /** {@code C (+)= A^T B} with the context's scratch and threads. */
  public static void gemmTN(GemmContext ctx, int m, int n, int k, float[] a, int aOff, float[] b, int bOff,
      float[] c, int cOff, boolean accumulate) {
    if (small(m, n, k)) {
      strided(m, n, k, a, aOff, 1, m, b, bOff, c, cOff, accumulate, ctx.scratch[0]);
      return;
    }
    if (n < NR && m >= 2 * NR) {
      // Few columns (a 10-class output layer): C^T = B^T A, so the wide side fills the panels.
      run(ctx, n, m, k, b, bOff, 1, n, a, aOff, m, 1, c, cOff, 1, n, accumulate);
    } else {
      run(ctx, m, n, k, a, aOff, 1, m, b, bOff, n, 1, c, cOff, n, 1, accumulate);
    }
  }

  /** {@code C (+)= A B^T} with the context's scratch and threads. */
  public static void gemmNT(GemmContext ctx, int m, int n, int k, float[] a, int aOff, float[] b, int bOff,
      float[] c, int cOff, boolean accumulate) {
    if (small(m, n, k)) {
      // B^T (k x n) into scratch, then the small A B path.
      float[] bt = ctx.scratch[0].pack(k * n);
      for (int j = 0; j < n; j++) {
        int src = bOff + j * k;
        for (int p = 0; p < k; p++) {
          bt[p * n + j] = b[src + p];
        }
      }
      strided(m, n, k, a, aOff, k, 1, bt, 0, c, cOff, accumulate, ctx.scratch[0]);
      return;
    }
    // Direct packs B^T (n k floats); transposed, C^T = B A^T packs A^T (m k) and scatters C (m n).
    if ((long) m * k + (long) m * n < (long) n * k) {
      run(ctx, n, m, k, b, bOff, k, 1, a, aOff, 1, k, c, cOff, 1, n, accumulate);
    } else {
      run(ctx, m, n, k, a, aOff, k, 1, b, bOff, 1, k, c, cOff, n, 1, accumulate);
    }
  }

  /**
   * Small products, no packing: C (+)= A' B with A'(i, p) = a[aOff + i ars + p acs] and B k x n
   * row-major, in 4-row x 2V and 4-row x V register tiles over the whole vectors of columns; the last
   * {@code n mod V} columns (all of them for a product at most one vector wide) in {@link #lastColumns}.
   */
  private static void strided(int m, int n, int k, float[] a, int aOff, int ars, int acs, float[] b, int bOff,
      float[] c, int cOff, boolean acc, GemmContext.Scratch scratch) {
    int whole = n - n % V;
    int i = 0;
    for (; i + 4 <= m; i += 4) {
      int a0 = aOff + i * ars;
      int a1 = a0 + ars;
      int a2 = a1 + ars;
      int a3 = a2 + ars;
      int c0 = cOff + i * n;
      int c1 = c0 + n;
      int c2 = c1 + n;
      int c3 = c2 + n;
      int j = 0;
      for (; j + 2 * V <= whole; j += 2 * V) {
        FloatVector s00 = acc ? FloatVector.fromArray(S, c, c0 + j) : FloatVector.zero(S);
        FloatVector s01 = acc ? FloatVector.fromArray(S, c, c0 + j + V) : FloatVector.zero(S);
        FloatVector s10 = acc ? FloatVector.fromArray(S, c, c1 + j) : FloatVector.zero(S);
        FloatVector s11 = acc ? FloatVector.fromArray(S, c, c1 + j + V) : FloatVector.zero(S);
        FloatVector s20 = acc ? FloatVector.fromArray(S, c, c2 + j) : FloatVector.zero(S);
        FloatVector s21 = acc ? FloatVector.fromArray(S, c, c2 + j + V) : FloatVector.zero(S);
        FloatVector s30 = acc ? FloatVector.fromArray(S, c, c3 + j) : FloatVector.zero(S);
        FloatVector s31 = acc ? FloatVector.fromArray(S, c, c3 + j + V) : FloatVector.zero(S);
        for (int p = 0; p < k; p++) {
          int bp = bOff + p * n + j;
          FloatVector b0 = FloatVector.fromArray(S, b, bp);
          FloatVector b1 = FloatVector.fromArray(S, b, bp + V);
          int ap = p * acs;
          FloatVector x0 = FloatVector.broadcast(S, a[a0 + ap]);
          FloatVector x1 = FloatVector.broadcast(S, a[a1 + ap]);
          FloatVector x2 = FloatVector.broadcast(S, a[a2 + ap]);
          FloatVector x3 = FloatVector.broadcast(S, a[a3 + ap]);
          s00 = x0.fma(b0, s00);
          s01 = x0.fma(b1, s01);
          s10 = x1.fma(b0, s10);
          s11 = x1.fma(b1, s11);
          s20 = x2.fma(b0, s20);
          s21 = x2.fma(b1, s21);
          s30 = x3.fma(b0, s30);
          s31 = x3.fma(b1, s31);
        }
        s00.intoArray(c, c0 + j);
        s01.intoArray(c, c0 + j + V);
        s10.intoArray(c, c1 + j);
        s11.intoArray(c, c1 + j + V);
        s20.intoArray(c, c2 + j);
        s21.intoArray(c, c2 + j + V);
        s30.intoArray(c, c3 + j);
        s31.intoArray(c, c3 + j + V);
      }
      for (; j < whole; j += V) {
        FloatVector s0 = acc ? FloatVector.fromArray(S, c, c0 + j) : FloatVector.zero(S);
        FloatVector s1 = acc ? FloatVector.fromArray(S, c, c1 + j) : FloatVector.zero(S);
        FloatVector s2 = acc ? FloatVector.fromArray(S, c, c2 + j) : FloatVector.zero(S);
        FloatVector s3 = acc ? FloatVector.fromArray(S, c, c3 + j) : FloatVector.zero(S);
        for (int p = 0; p < k; p++) {
          FloatVector bv = FloatVector.fromArray(S, b, bOff + p * n + j);
          int ap = p * acs;
          s0 = FloatVector.broadcast(S, a[a0 + ap]).fma(bv, s0);
          s1 = FloatVector.broadcast(S, a[a1 + ap]).fma(bv, s1);
          s2 = FloatVector.broadcast(S, a[a2 + ap]).fma(bv, s2);
          s3 = FloatVector.broadcast(S, a[a3 + ap]).fma(bv, s3);
        }
        s0.intoArray(c, c0 + j);
        s1.intoArray(c, c1 + j);
        s2.intoArray(c, c2 + j);
        s3.intoArray(c, c3 + j);
      }
    }
    for (; i < m; i++) {
      int ai = aOff + i * ars;
      int ci = cOff + i * n;
      for (int j = 0; j < whole; j += V) {
        FloatVector s0 = acc ? FloatVector.fromArray(S, c, ci + j) : FloatVector.zero(S);
        for (int p = 0; p < k; p++) {
          s0 = FloatVector.broadcast(S, a[ai + p * acs]).fma(FloatVector.fromArray(S, b, bOff + p * n + j), s0);
        }
        s0.intoArray(c, ci + j);
      }
    }
    if (whole < n) {
      lastColumns(m, n, whole, k, a, aOff, ars, acs, b, bOff, c, cOff, acc, scratch);
    }
  }

  /**
   * Columns {@code [j0, n)}, fewer than one vector, of a small product: they are copied, zero-padded
   * to one vector, into a k x V panel, and the rows run in 8-row tiles (eight independent fma chains
   * keep both FMA ports busy; then single rows) through the edge tile. A scalar tail here ran a
   * 10-class layer at a tenth of the speed at 16 lanes, and a masked load that reaches past an
   * array's end takes the Vector API's allocating slow path. Each element is still one fma chain in
   * p order.
   */
  private static void lastColumns(int m, int n, int j0, int k, float[] a, int aOff, int ars, int acs, float[] b,
      int bOff, float[] c, int cOff, boolean acc, GemmContext.Scratch scratch) {
    int r = n - j0;
    float[] pb = scratch.packA(k * V);
    for (int p = 0; p < k; p++) {
      System.arraycopy(b, bOff + p * n + j0, pb, p * V, r);
      Arrays.fill(pb, p * V + r, (p + 1) * V, 0.0f);
    }
    float[] t = scratch.tile;
    int i = 0;
    for (; i + 8 <= m; i += 8) {
      int a0 = aOff + i * ars;
      int c0 = cOff + i * n + j0;
      if (acc) {
        for (int q = 0; q < 8; q++) {
          System.arraycopy(c, c0 + q * n, t, q * V, r);
        }
      }
      FloatVector s0 = acc ? FloatVector.fromArray(S, t, 0 * V) : FloatVector.zero(S);
      FloatVector s1 = acc ? FloatVector.fromArray(S, t, 1 * V) : FloatVector.zero(S);
      FloatVector s2 = acc ? FloatVector.fromArray(S, t, 2 * V) : FloatVector.zero(S);
      FloatVector s3 = acc ? FloatVector.fromArray(S, t, 3 * V) : FloatVector.zero(S);
      FloatVector s4 = acc ? FloatVector.fromArray(S, t, 4 * V) : FloatVector.zero(S);
      FloatVector s5 = acc ? FloatVector.fromArray(S, t, 5 * V) : FloatVector.zero(S);
      FloatVector s6 = acc ? FloatVector.fromArray(S, t, 6 * V) : FloatVector.zero(S);
      FloatVector s7 = acc ? FloatVector.fromArray(S, t, 7 * V) : FloatVector.zero(S);
      for (int p = 0; p < k; p++) {
        FloatVector bv = FloatVector.fromArray(S, pb, p * V);
        int ap = a0 + p * acs;
        s0 = FloatVector.broadcast(S, a[ap]).fma(bv, s0);
        s1 = FloatVector.broadcast(S, a[ap + ars]).fma(bv, s1);
        s2 = FloatVector.broadcast(S, a[ap + 2 * ars]).fma(bv, s2);
        s3 = FloatVector.broadcast(S, a[ap + 3 * ars]).fma(bv, s3);
        s4 = FloatVector.broadcast(S, a[ap + 4 * ars]).fma(bv, s4);
        s5 = FloatVector.broadcast(S, a[ap + 5 * ars]).fma(bv, s5);
        s6 = FloatVector.broadcast(S, a[ap + 6 * ars]).fma(bv, s6);
        s7 = FloatVector.broadcast(S, a[ap + 7 * ars]).fma(bv, s7);
      }
      s0.intoArray(t, 0 * V);
      s1.intoArray(t, 1 * V);
      s2.intoArray(t, 2 * V);
      s3.intoArray(t, 3 * V);
      s4.intoArray(t, 4 * V);
      s5.intoArray(t, 5 * V);
      s6.intoArray(t, 6 * V);
      s7.intoArray(t, 7 * V);
      for (int q = 0; q < 8; q++) {
        System.arraycopy(t, q * V, c, c0 + q * n, r);
      }
    }
    for (; i < m; i++) {
      int ai = aOff + i * ars;
      int ci = cOff + i * n + j0;
      if (acc) {
        System.arraycopy(c, ci, t, 0, r);
      }
      FloatVector s0 = acc ? FloatVector.fromArray(S, t, 0) : FloatVector.zero(S);
      for (int p = 0; p < k; p++) {
        s0 = FloatVector.broadcast(S, a[ai + p * acs]).fma(FloatVector.fromArray(S, pb, p * V), s0);
      }
      s0.intoArray(t, 0);
      System.arraycopy(t, 0, c, ci, r);
    }
  }

  /**
   * Whether packing does not pay: few multiply-adds, or at most one vector of columns (a packed
   * panel would be mostly padding).
   */
  private static boolean small(int m, int n, int k) {
    return n <= V || (long) m * n * k <= SMALL_MAX;
  }

  /** A product in strided form; one per context, reused (handed to the pool's tasks). */
  static final class Job {
    int m;
    int n;
    int k;
    float[] a;
    int aOff;
    int ars;
    int acs;
    float[] b;
    int bOff;
    int brs;
    int bcs;
    float[] c;
    int cOff;
    int crs;
    int ccs;
    boolean acc;
    /** Epilogue y = act(C + bias) per finished row strip, or null act for none. */
    Activation act;
    float[] bias;
    int biasOff;
    float[] y;
    int yOff;
    boolean epilogueDone;
  }

  /**
   * C'(i, j) (+)= sum_p A'(i, p) B'(p, j) with A'(i, p) = a[aOff + i ars + p acs],
   * B'(p, j) = b[bOff + p brs + j bcs], C'(i, j) = c[cOff + i crs + j ccs].
   */
  private static void run(GemmContext ctx, int m, int n, int k, float[] a, int aOff, int ars, int acs, float[] b,
      int bOff, int brs, int bcs, float[] c, int cOff, int crs, int ccs, boolean acc) {
    if (m <= 0 || n <= 0) {
      return;
    }
    Job job = ctx.job;
    job.m = m;
    job.n = n;
    job.k = k;
    job.a = a;
    job.aOff = aOff;
    job.ars = ars;
    job.acs = acs;
    job.b = b;
    job.bOff = bOff;
    job.brs = brs;
    job.bcs = bcs;
    job.c = c;
    job.cOff = cOff;
    job.crs = crs;
    job.ccs = ccs;
    job.acc = acc;
    job.epilogueDone = false;
    int t = ctx.threads();
    if (t == 1 || (long) m * n * k < PARALLEL_MIN) {
      block(job, 0, m, 0, n, ctx.scratch[0]);
    } else {
      split(ctx, job, t);
    }
    if (job.act != null && !job.epilogueDone) {
      ActivationKernel.forward(job.act, m, n, c, cOff, job.bias, job.biasOff, job.y, job.yOff);
    }
    job.a = null;
    job.b = null;
    job.c = null;
    job.act = null;
    job.bias = null;
    job.y = null;
  }

  /** Splits by NR-column panels when there are enough, else by MR-row strips; task 0 runs here. */
  private static void split(GemmContext ctx, Job job, int t) {
    int panels = (job.n + NR - 1) / NR;
    int strips = (job.m + MR - 1) / MR;
    boolean byCols = panels >= 2 * t || panels >= strips;
    int units = byCols ? panels : strips;
    int parts = Math.min(t, units);
    GemmContext.Task[] tasks = ctx.tasks;
    for (int p = 0; p < parts; p++) {
      int u0 = units * p / parts;
      int u1 = units * (p + 1) / parts;
      GemmContext.Task task = tasks[p];
      task.job = job;
      if (byCols) {
        task.i0 = 0;
        task.i1 = job.m;
        task.j0 = u0 * NR;
        task.j1 = Math.min(job.n, u1 * NR);
      } else {
        task.i0 = u0 * MR;
        task.i1 = Math.min(job.m, u1 * MR);
        task.j0 = 0;
        task.j1 = job.n;
      }
      if (p > 0) {
        task.reinitialize();
        GemmContext.pool().execute(task);
      }
    }
    try {
      tasks[0].compute();
    } finally {
      // Always wait for the forked slices: they must not outlive this call (the job is reused).
      for (int p = 1; p < parts; p++) {
        tasks[p].join();
        tasks[p].job = null;
      }
      tasks[0].job = null;
    }
  }

  /** C'[i0, i1) x [j0, j1), all of k, with one task's scratch. */
  static void block(Job job, int i0, int i1, int j0, int j1, GemmContext.Scratch scratch) {
    int k = job.k;
    if (k == 0) {
      if (!job.acc) {
        for (int i = i0; i < i1; i++) {
          for (int j = j0; j < j1; j++) {
            job.c[job.cOff + i * job.crs + j * job.ccs] = 0.0f;
          }
        }
      }
      return;
    }
    // A' rows contiguous along k are read in place; otherwise (A^T B) each MR-row strip is packed.
    boolean packA = job.acs != 1;
    // Fused epilogue only when each strip is finished in one sweep: all columns, one k block.
    boolean stripEpilogue = job.act != null && j0 == 0 && j1 == job.n && job.n <= NC && k <= KC;
    if (stripEpilogue) {
      job.epilogueDone = true;
    }
    // Equal k blocks (784 = 4 x 196, not 3 x 256 + 16): a short last block pays the C reload and
    // store and the tile set-up for few fmas.
    int kStep = (k + (k + KC - 1) / KC - 1) / ((k + KC - 1) / KC);
    float[] ap = packA ? scratch.packA(MR * Math.min(k, kStep)) : null;
    for (int jc = j0; jc < j1; jc += NC) {
      int nc = Math.min(NC, j1 - jc);
      int panels = (nc + NR - 1) / NR;
      int full = nc / NR;
      for (int pc = 0; pc < k; pc += kStep) {
        int kc = Math.min(kStep, k - pc);
        boolean load = job.acc || pc > 0;
        // Panels one cache line more than kc x NR apart: at a multiple of 4 KB (kc = 64, 256) every
        // panel would map to the same L1 sets, and a row-order pack would write them all at once.
        int ps = kc * NR + PANEL_PAD;
        float[] pb = scratch.pack(panels * ps);
        // Row-major B' with C rows contiguous: the first strip packs the full panels as it multiplies
        // them (one pass over B instead of two); only a ragged last panel is packed ahead.
        boolean fuse = job.bcs == 1 && job.ccs == 1 && i1 - i0 >= MR && i1 - i0 <= FUSE_MAX_ROWS && kc == k;
        if (fuse) {
          if (full < panels) {
            pack(job, pc, kc, jc + full * NR, nc - full * NR, pb, full * ps);
          }
        } else if (job.bcs == 1) {
          packRows(job, pc, kc, jc, nc, pb, ps);
        } else {
          for (int q = 0; q < panels; q++) {
            int j = jc + q * NR;
            pack(job, pc, kc, j, Math.min(NR, jc + nc - j), pb, q * ps);
          }
        }
        for (int i = i0; i < i1; i += MR) {
          int mr = Math.min(MR, i1 - i);
          float[] a;
          int a0;
          int ars;
          if (packA) {
            packA(job, i, mr, pc, kc, ap);
            a = ap;
            a0 = 0;
            ars = kc;
          } else {
            a = job.a;
            a0 = job.aOff + i * job.ars + pc;
            ars = job.ars;
          }
          int q = 0;
          if (fuse && i == i0) {
            int ci = job.cOff + i * job.crs + jc;
            int src = job.bOff + pc * job.brs + jc;
            for (; q < full; q++, ci += NR, src += NR) {
              microPack(kc, a, a0, a0 + ars, a0 + 2 * ars, a0 + 3 * ars, a0 + 4 * ars, a0 + 5 * ars, job.b, src,
                  job.brs, pb, q * ps, job.c, ci, job.crs, load);
            }
          }
          for (; q < panels; q++) {
            int j = jc + q * NR;
            tile(job, a, a0, ars, i, mr, j, Math.min(NR, jc + nc - j), kc, pb, q * ps, load, scratch.tile);
          }
          if (stripEpilogue) {
            // The strip's rows are final and still in L1/L2: bias and activation now.
            ActivationKernel.forward(job.act, mr, job.n, job.c, job.cOff + i * job.n, job.bias, job.biasOff, job.y,
                job.yOff + i * job.n);
          }
        }
      }
    }
  }

  /** A'[i, i + mr) x [pc, pc + kc) into MR rows of kc contiguous floats (rows past mr left as they are). */
  private static void packA(Job job, int i, int mr, int pc, int kc, float[] ap) {
    float[] a = job.a;
    int src = job.aOff + i * job.ars + pc * job.acs;
    int acs = job.acs;
    int ars = job.ars;
    if (mr == MR) {
      // Unrolled: the common full strip (a variable 6-trip inner loop costs more than the copy).
      for (int p = 0, s = src; p < kc; p++, s += acs) {
        ap[p] = a[s];
        ap[kc + p] = a[s + ars];
        ap[2 * kc + p] = a[s + 2 * ars];
        ap[3 * kc + p] = a[s + 3 * ars];
        ap[4 * kc + p] = a[s + 4 * ars];
        ap[5 * kc + p] = a[s + 5 * ars];
      }
      return;
    }
    for (int p = 0; p < kc; p++) {
      int s = src + p * acs;
      for (int r = 0; r < mr; r++) {
        ap[r * kc + p] = a[s + r * ars];
      }
    }
  }

  /** One MR x NR tile of C' over a k-block of kc; A' row r at a[a0 + r ars], the panel at b[bi]. */
  private static void tile(Job job, float[] a, int a0, int ars, int i, int mr, int j, int nr, int kc, float[] b,
      int bi, boolean load, float[] tile) {
    // Rows past the edge repeat the last real row (their results are discarded).
    int last = mr - 1;
    int a1 = a0 + Math.min(1, last) * ars;
    int a2 = a0 + Math.min(2, last) * ars;
    int a3 = a0 + Math.min(3, last) * ars;
    int a4 = a0 + Math.min(4, last) * ars;
    int a5 = a0 + Math.min(5, last) * ars;
    float[] c = job.c;
    int crs = job.crs;
    int ccs = job.ccs;
    int ci = job.cOff + i * crs + j * ccs;
    if (nr == NR && ccs == 1) {
      if (mr == MR) {
        micro(kc, a, a0, a1, a2, a3, a4, a5, b, bi, c, ci, crs, load);
        return;
      }
      if (mr == 4) {
        micro4(kc, a, a0, a1, a2, a3, b, bi, c, ci, crs, load);
        return;
      }
    }
    // C transposed with contiguous columns (C^T = B A^T or B^T A): a tile column is 6 adjacent floats.
    boolean columns = mr == MR && crs == 1;
    if (load && columns) {
      for (int q = 0, cq = ci; q < nr; q++, cq += ccs) {
        tile[q] = c[cq];
        tile[NR + q] = c[cq + 1];
        tile[2 * NR + q] = c[cq + 2];
        tile[3 * NR + q] = c[cq + 3];
        tile[4 * NR + q] = c[cq + 4];
        tile[5 * NR + q] = c[cq + 5];
      }
    } else if (load) {
      for (int r = 0; r < mr; r++) {
        for (int q = 0; q < nr; q++) {
          tile[r * NR + q] = c[ci + r * crs + q * ccs];
        }
      }
    }
    micro(kc, a, a0, a1, a2, a3, a4, a5, b, bi, tile, 0, NR, load);
    if (ccs == 1) {
      for (int r = 0; r < mr; r++) {
        System.arraycopy(tile, r * NR, c, ci + r * crs, nr);
      }
    } else if (columns) {
      for (int q = 0, cq = ci; q < nr; q++, cq += ccs) {
        c[cq] = tile[q];
        c[cq + 1] = tile[NR + q];
        c[cq + 2] = tile[2 * NR + q];
        c[cq + 3] = tile[3 * NR + q];
        c[cq + 4] = tile[4 * NR + q];
        c[cq + 5] = tile[5 * NR + q];
      }
    } else {
      for (int q = 0; q < nr; q++) {
        int cq = ci + q * ccs;
        for (int r = 0; r < mr; r++) {
          c[cq + r * crs] = tile[r * NR + q];
        }
      }
    }
  }

  /**
   * Packs B'[pc, pc + kc) x [jc, jc + nc) with B' rows contiguous (bcs == 1) into kc x NR panels at
   * dst[q kc NR], zero-padding the last: row by row, so B is read in address order.
   */
  private static void packRows(Job job, int pc, int kc, int jc, int nc, float[] dst, int panel) {
    float[] b = job.b;
    int brs = job.brs;
    int full = nc / NR;
    int rest = nc - full * NR;
    for (int p = 0; p < kc; p++) {
      int s = job.bOff + (pc + p) * brs + jc;
      int d = p * NR;
      for (int q = 0; q < full; q++, s += NR, d += panel) {
        FloatVector.fromArray(S, b, s).intoArray(dst, d);
        FloatVector.fromArray(S, b, s + V).intoArray(dst, d + V);
      }
      if (rest > 0) {
        raggedRow(b, s, dst, d, rest);
      }
    }
  }

  /** One row of a ragged panel: dst[d, d + NR) = b[s, s + nr) (nr < NR), then zeros. */
  private static void raggedRow(float[] b, int s, float[] dst, int d, int nr) {
    int q = 0;
    if (nr >= V) {
      FloatVector.fromArray(S, b, s).intoArray(dst, d);
      q = V;
    }
    for (; q < nr; q++) {
      dst[d + q] = b[s + q];
    }
    for (; q < NR; q++) {
      dst[d + q] = 0.0f;
    }
  }

  /**
   * Packs B'[pc, pc + kc) x [j, j + nr) into a kc x NR panel at dst[off], zero-padding columns nr..NR.
   * {@link #block} uses it for a transposed B' (bcs != 1); {@link #packRows} packs the row-major case.
   */
  private static void pack(Job job, int pc, int kc, int j, int nr, float[] dst, int off) {
    float[] b = job.b;
    int brs = job.brs;
    int bcs = job.bcs;
    int src = job.bOff + pc * brs + j * bcs;
    if (bcs == 1 && nr == NR) {
      for (int p = 0; p < kc; p++) {
        int s = src + p * brs;
        int d = off + p * NR;
        FloatVector.fromArray(S, b, s).intoArray(dst, d);
        FloatVector.fromArray(S, b, s + V).intoArray(dst, d + V);
      }
      return;
    }
    if (bcs == 1) {
      for (int p = 0; p < kc; p++) {
        raggedRow(b, src + p * brs, dst, off + p * NR, nr);
      }
    } else {
      if (nr < NR) {
        for (int p = 0; p < kc; p++) {
          for (int q = nr; q < NR; q++) {
            dst[off + p * NR + q] = 0.0f;
          }
        }
      }
      // Transposing read (B' column q is contiguous when brs == 1): walk the source in order.
      for (int q = 0; q < nr; q++) {
        int s = src + q * bcs;
        int d = off + q;
        for (int p = 0; p < kc; p++) {
          dst[d + p * NR] = b[s + p * brs];
        }
      }
    }
  }

  /**
   * The 6 x 2V micro-kernel: C rows at {@code ci + r ldc} (+)= sum over p of A(r, p) B(p, 0..2V) with
   * A(r, p) = a[ar + p] and B row p at {@code b[bi + p NR]} (a packed panel). 12 accumulators, 2 B
   * vectors and a broadcast fill the 16 AVX2 registers; indices linear in p with constant scale let C2
   * hoist the bounds checks out of the loop. Each element is one fma chain in p order.
   */
  private static void micro(int kc, float[] a, int a0, int a1, int a2, int a3, int a4, int a5, float[] b, int bi,
      float[] c, int ci, int ldc, boolean load) {
    FloatVector c00 = load ? FloatVector.fromArray(S, c, ci + 0 * ldc) : FloatVector.zero(S);
    FloatVector c01 = load ? FloatVector.fromArray(S, c, ci + 0 * ldc + V) : FloatVector.zero(S);
    FloatVector c10 = load ? FloatVector.fromArray(S, c, ci + 1 * ldc) : FloatVector.zero(S);
    FloatVector c11 = load ? FloatVector.fromArray(S, c, ci + 1 * ldc + V) : FloatVector.zero(S);
    FloatVector c20 = load ? FloatVector.fromArray(S, c, ci + 2 * ldc) : FloatVector.zero(S);
    FloatVector c21 = load ? FloatVector.fromArray(S, c, ci + 2 * ldc + V) : FloatVector.zero(S);
    FloatVector c30 = load ? FloatVector.fromArray(S, c, ci + 3 * ldc) : FloatVector.zero(S);
    FloatVector c31 = load ? FloatVector.fromArray(S, c, ci + 3 * ldc + V) : FloatVector.zero(S);
    FloatVector c40 = load ? FloatVector.fromArray(S, c, ci + 4 * ldc) : FloatVector.zero(S);
    FloatVector c41 = load ? FloatVector.fromArray(S, c, ci + 4 * ldc + V) : FloatVector.zero(S);
    FloatVector c50 = load ? FloatVector.fromArray(S, c, ci + 5 * ldc) : FloatVector.zero(S);
    FloatVector c51 = load ? FloatVector.fromArray(S, c, ci + 5 * ldc + V) : FloatVector.zero(S);
    for (int p = 0; p < kc; p++) {
      int bp = bi + p * NR;
      FloatVector b0 = FloatVector.fromArray(S, b, bp);
      FloatVector b1 = FloatVector.fromArray(S, b, bp + V);
      FloatVector x0 = FloatVector.broadcast(S, a[a0 + p]);
      c00 = x0.fma(b0, c00);
      c01 = x0.fma(b1, c01);
      FloatVector x1 = FloatVector.broadcast(S, a[a1 + p]);
      c10 = x1.fma(b0, c10);
      c11 = x1.fma(b1, c11);
      FloatVector x2 = FloatVector.broadcast(S, a[a2 + p]);
      c20 = x2.fma(b0, c20);
      c21 = x2.fma(b1, c21);
      FloatVector x3 = FloatVector.broadcast(S, a[a3 + p]);
      c30 = x3.fma(b0, c30);
      c31 = x3.fma(b1, c31);
      FloatVector x4 = FloatVector.broadcast(S, a[a4 + p]);
      c40 = x4.fma(b0, c40);
      c41 = x4.fma(b1, c41);
      FloatVector x5 = FloatVector.broadcast(S, a[a5 + p]);
      c50 = x5.fma(b0, c50);
      c51 = x5.fma(b1, c51);
    }
    c00.intoArray(c, ci + 0 * ldc);
    c01.intoArray(c, ci + 0 * ldc + V);
    c10.intoArray(c, ci + 1 * ldc);
    c11.intoArray(c, ci + 1 * ldc + V);
    c20.intoArray(c, ci + 2 * ldc);
    c21.intoArray(c, ci + 2 * ldc + V);
    c30.intoArray(c, ci + 3 * ldc);
    c31.intoArray(c, ci + 3 * ldc + V);
    c40.intoArray(c, ci + 4 * ldc);
    c41.intoArray(c, ci + 4 * ldc + V);
    c50.intoArray(c, ci + 5 * ldc);
    c51.intoArray(c, ci + 5 * ldc + V);
  }

  /** The 4 x 2V twin of {@link #micro} for 4-row edge strips (64 = 10 x 6 + 4), same fma order. */
  private static void micro4(int kc, float[] a, int a0, int a1, int a2, int a3, float[] b, int bi, float[] c, int ci,
      int ldc, boolean load) {
    FloatVector c00 = load ? FloatVector.fromArray(S, c, ci) : FloatVector.zero(S);
    FloatVector c01 = load ? FloatVector.fromArray(S, c, ci + V) : FloatVector.zero(S);
    FloatVector c10 = load ? FloatVector.fromArray(S, c, ci + ldc) : FloatVector.zero(S);
    FloatVector c11 = load ? FloatVector.fromArray(S, c, ci + ldc + V) : FloatVector.zero(S);
    FloatVector c20 = load ? FloatVector.fromArray(S, c, ci + 2 * ldc) : FloatVector.zero(S);
    FloatVector c21 = load ? FloatVector.fromArray(S, c, ci + 2 * ldc + V) : FloatVector.zero(S);
    FloatVector c30 = load ? FloatVector.fromArray(S, c, ci + 3 * ldc) : FloatVector.zero(S);
    FloatVector c31 = load ? FloatVector.fromArray(S, c, ci + 3 * ldc + V) : FloatVector.zero(S);
    for (int p = 0; p < kc; p++) {
      int bp = bi + p * NR;
      FloatVector b0 = FloatVector.fromArray(S, b, bp);
      FloatVector b1 = FloatVector.fromArray(S, b, bp + V);
      FloatVector x0 = FloatVector.broadcast(S, a[a0 + p]);
      c00 = x0.fma(b0, c00);
      c01 = x0.fma(b1, c01);
      FloatVector x1 = FloatVector.broadcast(S, a[a1 + p]);
      c10 = x1.fma(b0, c10);
      c11 = x1.fma(b1, c11);
      FloatVector x2 = FloatVector.broadcast(S, a[a2 + p]);
      c20 = x2.fma(b0, c20);
      c21 = x2.fma(b1, c21);
      FloatVector x3 = FloatVector.broadcast(S, a[a3 + p]);
      c30 = x3.fma(b0, c30);
      c31 = x3.fma(b1, c31);
    }
    c00.intoArray(c, ci);
    c01.intoArray(c, ci + V);
    c10.intoArray(c, ci + ldc);
    c11.intoArray(c, ci + ldc + V);
    c20.intoArray(c, ci + 2 * ldc);
    c21.intoArray(c, ci + 2 * ldc + V);
    c30.intoArray(c, ci + 3 * ldc);
    c31.intoArray(c, ci + 3 * ldc + V);
  }

  /**
   * {@link #micro} for a first strip that also packs its panel: B row p is read at
   * {@code src[si + p srs]} (row-major B') and copied to {@code b[bi + p NR]} as it is used.
   */
  private static void microPack(int kc, float[] a, int a0, int a1, int a2, int a3, int a4, int a5, float[] src,
      int si, int srs, float[] b, int bi, float[] c, int ci, int ldc, boolean load) {
    FloatVector c00 = load ? FloatVector.fromArray(S, c, ci + 0 * ldc) : FloatVector.zero(S);
    FloatVector c01 = load ? FloatVector.fromArray(S, c, ci + 0 * ldc + V) : FloatVector.zero(S);
    FloatVector c10 = load ? FloatVector.fromArray(S, c, ci + 1 * ldc) : FloatVector.zero(S);
    FloatVector c11 = load ? FloatVector.fromArray(S, c, ci + 1 * ldc + V) : FloatVector.zero(S);
    FloatVector c20 = load ? FloatVector.fromArray(S, c, ci + 2 * ldc) : FloatVector.zero(S);
    FloatVector c21 = load ? FloatVector.fromArray(S, c, ci + 2 * ldc + V) : FloatVector.zero(S);
    FloatVector c30 = load ? FloatVector.fromArray(S, c, ci + 3 * ldc) : FloatVector.zero(S);
    FloatVector c31 = load ? FloatVector.fromArray(S, c, ci + 3 * ldc + V) : FloatVector.zero(S);
    FloatVector c40 = load ? FloatVector.fromArray(S, c, ci + 4 * ldc) : FloatVector.zero(S);
    FloatVector c41 = load ? FloatVector.fromArray(S, c, ci + 4 * ldc + V) : FloatVector.zero(S);
    FloatVector c50 = load ? FloatVector.fromArray(S, c, ci + 5 * ldc) : FloatVector.zero(S);
    FloatVector c51 = load ? FloatVector.fromArray(S, c, ci + 5 * ldc + V) : FloatVector.zero(S);
    for (int p = 0; p < kc; p++) {
      int sp = si + p * srs;
      int bp = bi + p * NR;
      FloatVector b0 = FloatVector.fromArray(S, src, sp);
      FloatVector b1 = FloatVector.fromArray(S, src, sp + V);
      b0.intoArray(b, bp);
      b1.intoArray(b, bp + V);
      FloatVector x0 = FloatVector.broadcast(S, a[a0 + p]);
      c00 = x0.fma(b0, c00);
      c01 = x0.fma(b1, c01);
      FloatVector x1 = FloatVector.broadcast(S, a[a1 + p]);
      c10 = x1.fma(b0, c10);
      c11 = x1.fma(b1, c11);
      FloatVector x2 = FloatVector.broadcast(S, a[a2 + p]);
      c20 = x2.fma(b0, c20);
      c21 = x2.fma(b1, c21);
      FloatVector x3 = FloatVector.broadcast(S, a[a3 + p]);
      c30 = x3.fma(b0, c30);
      c31 = x3.fma(b1, c31);
      FloatVector x4 = FloatVector.broadcast(S, a[a4 + p]);
      c40 = x4.fma(b0, c40);
      c41 = x4.fma(b1, c41);
      FloatVector x5 = FloatVector.broadcast(S, a[a5 + p]);
      c50 = x5.fma(b0, c50);
      c51 = x5.fma(b1, c51);
    }
    c00.intoArray(c, ci + 0 * ldc);
    c01.intoArray(c, ci + 0 * ldc + V);
    c10.intoArray(c, ci + 1 * ldc);
    c11.intoArray(c, ci + 1 * ldc + V);
    c20.intoArray(c, ci + 2 * ldc);
    c21.intoArray(c, ci + 2 * ldc + V);
    c30.intoArray(c, ci + 3 * ldc);
    c31.intoArray(c, ci + 3 * ldc + V);
    c40.intoArray(c, ci + 4 * ldc);
    c41.intoArray(c, ci + 4 * ldc + V);
    c50.intoArray(c, ci + 5 * ldc);
    c51.intoArray(c, ci + 5 * ldc + V);
  }
}
