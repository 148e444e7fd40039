#!/usr/bin/env bash
# Side by side: Strata's convolutional training steps against PyTorch's, one thread each.
#
# Alternates ROUNDS rounds (the order flips each round) of
#   PyTorch CPU training steps of networks (e)-(h)          (bench/conv_torch.py)
#   Strata's training steps of the same networks            (benchmarks ConvBench)
# then prints markdown tables of medians over rounds with the ratio Strata / PyTorch, in steps per
# second of the stepping thread's CPU time (what a shared, loaded machine distorts least) and of
# wall-clock time, the load (uptime) before each contender, and, from a last ConvBench --layers run,
# every convolution's GFLOP/s in thread CPU time beside the one-core FMA peak that
# bench/fma_peak.c measures. Raw results stay in bench/results/conv-<UTC time>/ (git-ignored).
#
# Usage: bench/conv-compare.sh [nets...]     (default e f g h; about 5 minutes per round when busy)
#   ROUNDS=3
# Needs python3-torch (Debian) run with /usr/bin/python3, gcc, and a JDK 25 (JAVA_HOME first);
# builds benchmarks/target/benchmarks.jar when it is missing or older than the sources.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds="${ROUNDS:-3}"
nets=("$@")
[ "${#nets[@]}" -gt 0 ] || nets=(e f g h)
python=/usr/bin/python3
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1

. "$root/.mvn/jdk25.sh" # the one JDK 25 finder (./mvnw and ./strata use it too)
java_bin="$JAVA_HOME/bin/java"
jar="$root/benchmarks/target/benchmarks.jar"
if [ ! -f "$jar" ] || [ -n "$(find "$root/trainer/src/main" "$root/benchmarks/src" -newer "$jar" -type f -print -quit)" ]; then
  echo "conv-compare: building $jar..." >&2
  (cd "$root" && ./mvnw -q -B -pl benchmarks -am package -DskipTests) >&2
fi
"$python" -c 'import torch' 2>/dev/null || { echo "conv-compare: install python3-torch" >&2; exit 2; }
. "$root/bench/openblas-core.sh"
echo "conv-compare: OpenBLAS core $openblas_core" >&2
out="$root/bench/results/conv-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
flags=(--add-modules=jdk.incubator.vector -XX:+UseParallelGC -XX:InlineSmallCode=6000)

strata() { uptime >> "$out/load.txt"; "$java_bin" "${flags[@]}" -cp "$jar" dev.strata.benchmarks.ConvBench --examples "$root/examples" "${nets[@]}" > "$out/strata-$1.json"; }
torch() { uptime >> "$out/load.txt"; "$python" "$root/bench/conv_torch.py" "${nets[@]}" > "$out/torch-$1.json"; }
for ((r = 1; r <= rounds; r++)); do
  echo "conv-compare: round $r of $rounds" >&2
  if ((r % 2)); then torch "$r"; strata "$r"; else strata "$r"; torch "$r"; fi
done
"$java_bin" "${flags[@]}" -cp "$jar" dev.strata.benchmarks.ConvBench --examples "$root/examples" --layers "${nets[@]}" \
  > "$out/layers.json"
uptime >> "$out/load.txt"
peak=""
if command -v gcc >/dev/null 2>&1; then
  gcc -O2 -march=native -o "$out/fma_peak" "$root/bench/fma_peak.c" && peak="$("$out/fma_peak" 2>/dev/null | tail -1)"
fi
echo "$peak" > "$out/fma_peak.txt"
"$python" - "$out" <<'PY'
import glob, json, os, re, statistics, sys
out = sys.argv[1]
def rates(kind, key):
    r = {}
    for f in sorted(glob.glob(os.path.join(out, kind + "-*.json"))):
        for n, v in json.load(open(f))["nets"].items():
            r.setdefault(n, []).append(v.get(key, float("nan")))
    return r
for key, what in (("cpu_steps_per_second", "thread CPU time"), ("steps_per_second", "wall-clock")):
    s, t = rates("strata", key), rates("torch", key)
    print(f"Steps per second of {what}:")
    print()
    print("| network | Strata steps/s | PyTorch steps/s | Strata / PyTorch (per round) |")
    print("| --- | --- | --- | --- |")
    for n in s:
        per = [a / b for a, b in zip(s[n], t[n])]
        print(f"| ({n}) | {statistics.median(s[n]):.1f} | {statistics.median(t[n]):.1f} | "
              f"{statistics.median(per):.2f}x ({', '.join(f'{x:.2f}' for x in per)}) |")
    print()
print("Load (uptime before each contender):")
print(open(os.path.join(out, "load.txt")).read())
peak_txt = open(os.path.join(out, "fma_peak.txt")).read()
m = re.match(r"\s*([0-9.]+)", peak_txt)  # fma_peak prints "best median" GFLOP/s
peak = float(m.group(1)) if m else None
print()
print("| network | convolution | GFLOP/s (fwd + bwd, thread CPU time) | fraction of FMA peak |")
print("| --- | --- | --- | --- |")
for n, convs in json.load(open(os.path.join(out, "layers.json")))["nets"].items():
    for c in convs:
        frac = f"{c['gflops'] / peak:.2f}" if peak else "n/a"
        print(f"| ({n}) | {c['shape']} | {c['gflops']:.1f} | {frac} |")
print()
print(f"FMA peak of one core (best, median GFLOP/s of bench/fma_peak.c): {peak_txt.strip() or 'not measured'}")
PY
