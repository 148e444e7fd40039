"""numpy/OpenBLAS sgemm on the shapes of GemmBench, single-threaded; one JSON object to stdout.

A shape reads op:MxKxN, the product of an M x K and a K x N operand: nn is A B, tn is A^T B with A
stored K x M, nt is A B^T with B stored N x K (numpy passes the transposed views to BLAS as
transpose flags, no copy). Keep SHAPES in step with GemmBench's @Param list.

Each figure is the median over samples of the time per call, a sample being enough back-to-back
calls to last about SAMPLE seconds. Usage: OPENBLAS_NUM_THREADS=1 python3 compare_numpy.py
"""
import json
import os
import statistics
import sys
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # before numpy loads OpenBLAS
import numpy as np

SHAPES = [
    "nn:64x64x64", "nn:128x128x128", "nn:256x256x256", "nn:512x512x512", "nn:1024x1024x1024",
    "nn:64x784x256", "nn:64x256x256", "nn:64x256x10",
    "tn:784x64x256", "tn:256x64x256", "tn:256x64x10",
    "nt:64x256x784", "nt:64x256x256", "nt:64x10x256",
]
SAMPLE = 0.1
SAMPLES = 7


def operands(shape, rng):
    op, dims = shape.split(":")
    m, k, n = (int(d) for d in dims.split("x"))
    a = rng.standard_normal((k, m) if op == "tn" else (m, k), dtype=np.float32)
    b = rng.standard_normal((n, k) if op == "nt" else (k, n), dtype=np.float32)
    a = a.T if op == "tn" else a
    b = b.T if op == "nt" else b
    return a, b, np.empty((m, n), dtype=np.float32)


def seconds_per_call(a, b, c):
    np.matmul(a, b, out=c)
    calls, elapsed = 1, 0.0
    while elapsed < SAMPLE / 4:  # calibrate the calls per sample
        calls *= 2
        start = time.perf_counter()
        for _ in range(calls):
            np.matmul(a, b, out=c)
        elapsed = time.perf_counter() - start
    calls = max(1, int(calls * SAMPLE / elapsed))
    times = []
    for _ in range(SAMPLES):
        start = time.perf_counter()
        for _ in range(calls):
            np.matmul(a, b, out=c)
        times.append((time.perf_counter() - start) / calls)
    return statistics.median(times)


def blas_library():
    """The BLAS shared object numpy actually loaded (Debian switches it with alternatives)."""
    with open("/proc/self/maps") as maps:
        libs = {line.split()[-1] for line in maps if "blas" in line.lower() and ".so" in line}
    return " ".join(sorted(os.path.realpath(lib) for lib in libs)) or "unknown"


def main():
    rng = np.random.default_rng(42)
    results = {}
    for shape in SHAPES:
        results[shape] = seconds_per_call(*operands(shape, rng))
        print(f"numpy {shape}: {results[shape] * 1e6:.1f} us", file=sys.stderr)
    json.dump({"numpy": np.__version__, "blas": blas_library(),
               "threads": os.environ["OPENBLAS_NUM_THREADS"], "seconds": results}, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
