/*
 * The C twin of GemmKernel.micro, for MicroKernelVsC: the same 6 x 16 register tile (12 AVX2
 * accumulators), the same loads and the same fma order, compiled by gcc instead of the JIT, so the
 * two can be timed on the same L1-resident operands in one process. What separates them is code
 * generation alone (address arithmetic, register allocation, scheduling), not the algorithm.
 * Build: gcc -O2 -march=native -shared -fPIC micro_kernel.c -o libmicro_kernel.so
 */
#include <immintrin.h>

#ifndef __FMA__
#error "needs FMA (compile with -march=native on an FMA-capable x86 CPU)"
#endif

/* C rows at c + r ldc (+)= sum over p of A(r, p) B(p, 0..16), A(r, p) = a[r ars + p], B row p at b + 16 p. */
__attribute__((noinline)) static void micro(int kc, const float *a, int ars, const float *b, float *c, int ldc,
                                            int load) {
  const float *a0 = a, *a1 = a + ars, *a2 = a + 2 * ars, *a3 = a + 3 * ars, *a4 = a + 4 * ars, *a5 = a + 5 * ars;
  __m256 z = _mm256_setzero_ps();
  __m256 c00 = load ? _mm256_loadu_ps(c) : z, c01 = load ? _mm256_loadu_ps(c + 8) : z;
  __m256 c10 = load ? _mm256_loadu_ps(c + ldc) : z, c11 = load ? _mm256_loadu_ps(c + ldc + 8) : z;
  __m256 c20 = load ? _mm256_loadu_ps(c + 2 * ldc) : z, c21 = load ? _mm256_loadu_ps(c + 2 * ldc + 8) : z;
  __m256 c30 = load ? _mm256_loadu_ps(c + 3 * ldc) : z, c31 = load ? _mm256_loadu_ps(c + 3 * ldc + 8) : z;
  __m256 c40 = load ? _mm256_loadu_ps(c + 4 * ldc) : z, c41 = load ? _mm256_loadu_ps(c + 4 * ldc + 8) : z;
  __m256 c50 = load ? _mm256_loadu_ps(c + 5 * ldc) : z, c51 = load ? _mm256_loadu_ps(c + 5 * ldc + 8) : z;
  for (int p = 0; p < kc; p++) {
    __m256 b0 = _mm256_loadu_ps(b + 16 * p), b1 = _mm256_loadu_ps(b + 16 * p + 8), x;
    x = _mm256_broadcast_ss(a0 + p); c00 = _mm256_fmadd_ps(x, b0, c00); c01 = _mm256_fmadd_ps(x, b1, c01);
    x = _mm256_broadcast_ss(a1 + p); c10 = _mm256_fmadd_ps(x, b0, c10); c11 = _mm256_fmadd_ps(x, b1, c11);
    x = _mm256_broadcast_ss(a2 + p); c20 = _mm256_fmadd_ps(x, b0, c20); c21 = _mm256_fmadd_ps(x, b1, c21);
    x = _mm256_broadcast_ss(a3 + p); c30 = _mm256_fmadd_ps(x, b0, c30); c31 = _mm256_fmadd_ps(x, b1, c31);
    x = _mm256_broadcast_ss(a4 + p); c40 = _mm256_fmadd_ps(x, b0, c40); c41 = _mm256_fmadd_ps(x, b1, c41);
    x = _mm256_broadcast_ss(a5 + p); c50 = _mm256_fmadd_ps(x, b0, c50); c51 = _mm256_fmadd_ps(x, b1, c51);
  }
  _mm256_storeu_ps(c, c00); _mm256_storeu_ps(c + 8, c01);
  _mm256_storeu_ps(c + ldc, c10); _mm256_storeu_ps(c + ldc + 8, c11);
  _mm256_storeu_ps(c + 2 * ldc, c20); _mm256_storeu_ps(c + 2 * ldc + 8, c21);
  _mm256_storeu_ps(c + 3 * ldc, c30); _mm256_storeu_ps(c + 3 * ldc + 8, c31);
  _mm256_storeu_ps(c + 4 * ldc, c40); _mm256_storeu_ps(c + 4 * ldc + 8, c41);
  _mm256_storeu_ps(c + 5 * ldc, c50); _mm256_storeu_ps(c + 5 * ldc + 8, c51);
}

/* reps calls, each starting from C when load != 0 (one foreign call amortised over many tiles). */
void strata_micro_twin(int reps, int kc, const float *a, int ars, const float *b, float *c, int ldc, int load) {
  for (int r = 0; r < reps; r++) {
    micro(kc, a, ars, b, c, ldc, load);
  }
}
