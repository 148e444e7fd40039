# Sourced by the side-by-side scripts: makes sure the peers (numpy, PyTorch and cblas_sgemm through
# OpenBLAS) run OpenBLAS's kernel for this CPU. Debian's OpenBLAS 0.3.21 does not recognise some
# newer or virtualised CPUs and falls back to its generic "Prescott" (SSE3) kernel, at a fifth of the
# speed: a comparison against that would flatter Strata. Then OPENBLAS_CORETYPE names the kernel of the
# CPU's vector width (SkylakeX for AVX-512, Haswell for AVX2). Sets openblas_core for the report.
openblas_detected() {
  OPENBLAS_VERBOSE=2 OPENBLAS_NUM_THREADS=1 /usr/bin/python3 -c 'import numpy; numpy.ones((2, 2)) @ numpy.ones((2, 2))' \
    2>&1 | sed -n 's/^Core: //p' | head -1
}
openblas_core="$(openblas_detected)"
if [ -z "${OPENBLAS_CORETYPE:-}" ] && [ "$openblas_core" = Prescott ]; then
  if grep -q avx512f /proc/cpuinfo; then export OPENBLAS_CORETYPE=SkylakeX; else export OPENBLAS_CORETYPE=Haswell; fi
  openblas_core="$(openblas_detected) (OPENBLAS_CORETYPE=$OPENBLAS_CORETYPE; detection gave Prescott)"
fi
