/*
 * Peak single-precision FMA rate of one core: CHAINS (12) independent chains of vector fused
 * multiply-adds (enough to hide the FMA latency on current x86 cores), timed TRIALS times in
 * thread CPU time, so on a shared machine the time this thread spends descheduled does not count
 * against the core. Prints the best rate (the physical limit) and the median one (to set beside a
 * median of the Java twin), in GFLOP/s (one FMA lane = 2 flops).
 * Uses 512-bit vectors when the compiler targets AVX-512, else 256-bit.
 * Build: gcc -O2 -march=native fma_peak.c -o fma_peak
 */
#include <immintrin.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#ifdef __AVX512F__
typedef __m512 vec;
#define LANES 16
#define SET1 _mm512_set1_ps
#define FMA _mm512_fmadd_ps
#define ADD _mm512_add_ps
#define STORE _mm512_storeu_ps
#elif defined(__FMA__)
typedef __m256 vec;
#define LANES 8
#define SET1 _mm256_set1_ps
#define FMA _mm256_fmadd_ps
#define ADD _mm256_add_ps
#define STORE _mm256_storeu_ps
#else
#error "needs FMA (compile with -march=native on an FMA-capable x86 CPU)"
#endif

#define CHAINS 12
#define STEPS 50000000L
#define TRIALS 10

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

/* volatile inputs keep the compiler from folding the chains away */
static volatile float scale = 0.9999999f, shift = 1e-7f;

/* Twelve chains written out, so they stay in registers at -O2 (an array loop would not). */
/* x += m * d: the accumulator is the addend, as in a GEMM's c += a * b */
#define STEP(x) x = FMA(m, d, x)
static float run(long steps) {
  vec m = SET1(scale), d = SET1(shift);
  vec c0 = SET1(1), c1 = SET1(2), c2 = SET1(3), c3 = SET1(4), c4 = SET1(5), c5 = SET1(6);
  vec c6 = SET1(7), c7 = SET1(8), c8 = SET1(9), c9 = SET1(10), c10 = SET1(11), c11 = SET1(12);
  for (long i = 0; i < steps; i++) {
    STEP(c0); STEP(c1); STEP(c2); STEP(c3); STEP(c4); STEP(c5);
    STEP(c6); STEP(c7); STEP(c8); STEP(c9); STEP(c10); STEP(c11);
  }
  vec s = ADD(ADD(ADD(c0, c1), ADD(c2, c3)), ADD(ADD(c4, c5), ADD(c6, c7)));
  s = ADD(s, ADD(ADD(c8, c9), ADD(c10, c11)));
  float out[LANES];
  STORE(out, s);
  return out[0];
}

static int ascending(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

int main(void) {
  double rates[TRIALS], sink = 0;
  for (int t = 0; t < TRIALS; t++) {
    double start = now();
    sink += run(STEPS);
    double seconds = now() - start;
    rates[t] = 2.0 * LANES * CHAINS * STEPS / seconds / 1e9;
  }
  qsort(rates, TRIALS, sizeof rates[0], ascending);
  double median = (rates[(TRIALS - 1) / 2] + rates[TRIALS / 2]) / 2;
  printf("%.2f %.2f\n", rates[TRIALS - 1], median);
  fprintf(stderr, "fma_peak: %d-bit vectors, %d chains, %d trials: best and median GFLOP/s (checksum %g)\n",
          LANES * 32, CHAINS, TRIALS, sink);
  return 0;
}
