package dev.strata.trainer.kernel;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.RecursiveAction;

/**
 * What one training's matrix products need besides their operands: the thread count and one
 * scratch area (packed B panels, an edge tile) per task. Each training owns its context, so
 * concurrent trainings share no buffers and take no locks; scratch grows on first use and is then
 * reused, so the steady state allocates nothing.
 *
 * <p>With {@code threads > 1}, large products are split into column (or row) ranges run on one
 * JVM-wide pool of daemon threads; every output element is summed in the same order whatever the
 * split, so results are bit-identical for any thread count. With 1 thread the pool is never
 * touched. Not thread-safe: one context serves one training thread at a time.
 */
public final class GemmContext {

  private final int threads;
  final Scratch[] scratch;
  final Task[] tasks;
  final GemmKernel.Job job = new GemmKernel.Job();

  private GemmContext(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }
    this.threads = threads;
    this.scratch = new Scratch[threads];
    this.tasks = new Task[threads];
    for (int t = 0; t < threads; t++) {
      scratch[t] = new Scratch();
      tasks[t] = new Task(scratch[t]);
    }
  }

  /** A context for {@code threads >= 1} threads per product. */
  public static GemmContext of(int threads) {
    return new GemmContext(threads);
  }

  public int threads() {
    return threads;
  }

  /** Per-task scratch: packed B panels and one MR x NR edge tile. */
  static final class Scratch {
    float[] pack = new float[0];
    float[] packA = new float[0];
    final float[] tile = new float[GemmKernel.MR * GemmKernel.NR];

    float[] pack(int size) {
      if (pack.length < size) {
        pack = new float[size];
      }
      return pack;
    }

    /** Tap offsets of a convolution's shifted-slice products ({@link ConvKernel}). */
    int[] offsets = new int[0];

    int[] offsets(int size) {
      if (offsets.length < size) {
        offsets = new int[size];
      }
      return offsets;
    }

    float[] packA(int size) {
      if (packA.length < size) {
        packA = new float[size];
      }
      return packA;
    }
  }

  /** One slice of a split product; reused across calls (reinitialised before each fork). */
  static final class Task extends RecursiveAction {
    final Scratch scratch;
    GemmKernel.Job job;
    int i0;
    int i1;
    int j0;
    int j1;

    Task(Scratch scratch) {
      this.scratch = scratch;
    }

    @Override
    protected void compute() {
      GemmKernel.block(job, i0, i1, j0, j1, scratch);
    }
  }

  /** The shared pool, created on the first multi-threaded product; daemon threads, one per core. */
  static ForkJoinPool pool() {
    return PoolHolder.POOL;
  }

  private static final class PoolHolder {
    static final ForkJoinPool POOL = new ForkJoinPool(Runtime.getRuntime().availableProcessors(), p -> {
      ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(p);
      t.setDaemon(true);
      t.setName("strata-gemm-" + t.getPoolIndex());
      return t;
    }, null, false);
  }
}
