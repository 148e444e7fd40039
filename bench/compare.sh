#!/usr/bin/env bash
# Side by side: Strata's trainer against numpy/OpenBLAS (sgemm) and PyTorch (training), single thread.
#
# Measures once the C FMA peak of one core (bench/fma_peak.c), then alternates ROUNDS rounds of
#   numpy/OpenBLAS sgemm on GemmBench's shapes            (bench/compare_numpy.py)
#   PyTorch CPU training steps of networks (a)-(d)         (bench/compare_torch.py)
#   Strata's JMH benchmarks: GemmBench, TrainingBench, FmaPeakBench on one thread
#   ConcurrentScaling: one training of (b) and two independent ones taking turns in 300 ms slices
#   in one JVM
#   GemmVsOpenBlas: Strata's GEMM and OpenBLAS's cblas_sgemm (the library Debian's numpy uses,
#   called in-process through the foreign-function API) taking turns in 100 ms slices in one JVM
#   MicroKernelVsC: GEMM's 6x16 micro-kernel as the JIT compiles it and the same loop compiled by
#   gcc (bench/micro_kernel.c), taking turns on one L1-resident tile: code generation alone
# so that every peer is measured in the same time window (the order flips each round), and prints
# one markdown table of medians over rounds (bench/compare_table.py). Raw results stay in
# bench/results/<UTC time>/ (git-ignored).
#
# Usage: bench/compare.sh            (about 10 minutes on a quiet 2-core machine, 15 on a busy one)
#   ROUNDS=3                          rounds
#   JMH_ARGS="-f 1"                   extra JMH options; warm-up and measurement iterations come from
#                                     each benchmark class's annotations unless given here (-wi, -i)
# Installs python3-torch, python3-numpy, libopenblas0-pthread and gcc with apt-get when missing (as
# root), (re)builds
# benchmarks/target/benchmarks.jar when it is missing or older than the trainer or benchmark
# sources, and needs a JDK 25 (JAVA_HOME first).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds="${ROUNDS:-3}"
jmh_args="${JMH_ARGS:--f 1}"
python=/usr/bin/python3
openblas=/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0

# ---- prerequisites ----
missing=()
"$python" -c 'import numpy' 2>/dev/null || missing+=(python3-numpy)
"$python" -c 'import torch' 2>/dev/null || missing+=(python3-torch)
command -v gcc >/dev/null 2>&1 || missing+=(gcc)
[ -f "$openblas" ] || missing+=(libopenblas0-pthread)
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "compare: installing ${missing[*]}" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=900 "${missing[@]}"
  else
    echo "compare: missing ${missing[*]}; install them with: sudo apt-get install -y ${missing[*]}" >&2
    exit 2
  fi
fi
. "$root/bench/openblas-core.sh"

. "$root/.mvn/jdk25.sh" # the one JDK 25 finder (./mvnw and ./strata use it too)
java_bin="$JAVA_HOME/bin/java"
jar="$root/benchmarks/target/benchmarks.jar"
stale() {
  [ ! -f "$jar" ] || [ -n "$(find "$root/pom.xml" "$root/trainer/pom.xml" "$root/trainer/src/main" \
    "$root/benchmarks/pom.xml" "$root/benchmarks/src" -newer "$jar" -type f -print -quit)" ]
}
if stale; then
  echo "compare: building $jar..." >&2
  (cd "$root" && ./mvnw -q -B -pl benchmarks -am package -DskipTests) >&2
fi

out="$root/bench/results/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
started=$(date +%s)
{
  echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "cpu: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores"
  echo "jdk: $("$java_bin" -version 2>&1 | head -1)"
  echo "openblas: $openblas_core"
  echo "python: $("$python" -c 'import numpy, torch; print("numpy", numpy.__version__, "torch", torch.__version__)')"
  echo "openblas: $(dpkg-query -W -f '${Package} ${Version}' libopenblas0-pthread 2>/dev/null) ($openblas)"
  echo "load at start: $(cut -d' ' -f1-3 /proc/loadavg)"
} > "$out/machine.txt"
# After the machine summary: nproc honours OMP_NUM_THREADS.
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1

# ---- the machine's limit ----
gcc -O2 -march=native -o "$out/fma_peak" "$root/bench/fma_peak.c"
"$out/fma_peak" > "$out/fma.txt"
echo "compare: FMA peak $(cat "$out/fma.txt") GFLOP/s" >&2
gcc -O2 -march=native -shared -fPIC -o "$out/libmicro_kernel.so" "$root/bench/micro_kernel.c"

# The strata launcher's JIT flags (as in the JMH forks), plus what the foreign-function harnesses need.
launcher_flags=(--add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:+UseParallelGC
  -XX:InlineSmallCode=6000)

run_numpy() { "$python" "$root/bench/compare_numpy.py" > "$out/numpy-$1.json"; }
run_torch() { "$python" "$root/bench/compare_torch.py" > "$out/torch-$1.json"; }
run_strata() {
  # shellcheck disable=SC2086  # jmh_args is a list of options
  "$java_bin" --add-modules=jdk.incubator.vector -jar "$jar" 'dev.strata.benchmarks.(Gemm|Training|FmaPeak)Bench' \
    $jmh_args -rf json -rff "$out/jmh-$1.json" > "$out/jmh-$1.log" 2>&1
  "$java_bin" "${launcher_flags[@]}" -cp "$jar" dev.strata.benchmarks.ConcurrentScaling --json "$out/conc-$1.json" \
    > "$out/conc-$1.log" 2>&1
  "$java_bin" "${launcher_flags[@]}" -cp "$jar" dev.strata.benchmarks.GemmVsOpenBlas --lib "$openblas" \
    --json "$out/ffm-$1.json" > "$out/ffm-$1.log" 2>&1
  "$java_bin" "${launcher_flags[@]}" -cp "$jar" dev.strata.benchmarks.MicroKernelVsC \
    --lib "$out/libmicro_kernel.so" --json "$out/micro-$1.json" > "$out/micro-$1.log" 2>&1
}

for r in $(seq 1 "$rounds"); do
  if [ $((r % 2)) = 1 ]; then order="numpy torch strata"; else order="strata torch numpy"; fi
  for peer in $order; do
    echo "compare: round $r/$rounds: $peer ($(( $(date +%s) - started )) s so far)" >&2
    "run_$peer" "$r"
  done
done

echo "load at end: $(cut -d' ' -f1-3 /proc/loadavg); took $(( $(date +%s) - started )) s" >> "$out/machine.txt"
"$python" "$root/bench/compare_table.py" "$out" > "$out/table.md"
cat "$out/machine.txt" "$out/table.md"
echo "compare: raw results in $out" >&2
