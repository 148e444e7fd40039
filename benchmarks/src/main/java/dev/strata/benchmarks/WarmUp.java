package dev.strata.benchmarks;

import dev.strata.trainer.kernel.GemmKernel;

/** JIT warm-up that JMH's warm-up iterations cannot provide on their own. */
final class WarmUp {

  private WarmUp() {}

  /**
   * Runs the three matrix kernels on small operands so the JIT compiles them before the first timed
   * call: a single large product started in the interpreter (a 1024-cube one takes tens of seconds
   * there on a loaded machine) would otherwise swallow the whole warm-up phase. The small shape
   * covers the full register tiles and every row, column and k tail; the larger one reaches paths a
   * kernel may keep for big operands (cache blocking, packing).
   */
  static void gemmKernels() {
    products(12, 20, 9, 20_000);
    products(64, 300, 300, 10);
  }

  private static void products(int m, int n, int k, int times) {
    int size = Math.max(m, n) * k;
    float[] a = new float[size];
    float[] b = new float[size];
    float[] c = new float[m * n];
    for (int i = 0; i < times; i++) {
      GemmKernel.gemm(m, n, k, a, 0, b, 0, c, 0, false);
      GemmKernel.gemmTN(m, n, k, a, 0, b, 0, c, 0, false);
      GemmKernel.gemmNT(m, n, k, a, 0, b, 0, c, 0, false);
    }
  }
}
