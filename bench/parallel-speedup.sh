#!/usr/bin/env bash
# Trials per hour with 1 and with 2 parallel trials on a real digits search (random search, 2 seeds,
# fixed trial count: both settings train the same configurations; three 256-320-unit blocks, 10
# epochs, about half a second per trial on an idle core). Runs in the order 1, 2, 2, 1 so
# that a drift in the machine's load hits both settings alike, and prints one BENCH line per run
# plus the speed-up (total trials / total seconds of the parallel-2 runs over the parallel-1 runs).
# Timing is the runner's own session time (from strata.log), so JVM start and data loading are out;
# "steady" counts only the trials after the first 2 x parallel ones, whose time is mostly the JIT
# compiling the kernels (an overnight run is all steady state).
# "CPU cores obtained" is the JVM's (user + sys) / wall time: on a shared machine it shows whether
# the second worker got a core at all.
# Usage: bench/parallel-speedup.sh [trials-per-study]    (builds the jar if missing)
set -euo pipefail
cd "$(dirname "$0")/.."
trials="${1:-30}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cat > "$work/speedup.json" <<JSON
{
  "name": "speedup",
  "seed": 3,
  "dataset": { "source": "digits", "split": { "validation": 0.2, "test": 0.2 }, "preprocess": ["standardize"] },
  "objective": { "metric": "val_accuracy", "direction": "maximize" },
  "space": {
    "blocks": { "repeat": { "min": 3, "max": 3 }, "of": {
      "type": { "choice": ["plain", "residual"] }, "width": { "choice": [256, 320] }, "layers": 1,
      "activation": { "choice": ["relu", "tanh"] } } },
    "optimizer": "adam", "learningRate": { "float": [1e-3, 1e-2], "log": true },
    "batchSize": 32, "epochs": 10
  },
  "search": { "strategies": ["random"], "budget": { "trials": $trials }, "parallel": 1, "seeds": [1, 2] }
}
JSON
echo "BENCH machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at start, $(date -u +%FT%TZ)"
declare -A trialsBy secondsBy steadyTrialsBy steadySecondsBy
# trials and seconds between the (2p)-th and the last trial end, from the log's timestamps
steady() {
  grep -E 'trial [0-9]+ .* (COMPLETED|FAILED|DIVERGED|REJECTED)' "$1" \
    | awk -v skip="$2" '{ split($2, t, ":"); s = t[1] * 3600 + t[2] * 60 + t[3]; n++;
        if (n == skip) first = s; last = s } END { printf "%d %.3f\n", n - skip, last - first }'
}
for p in 1 2 2 1; do
  name="p$p-$RANDOM"
  TIMEFORMAT='%R %U %S'
  { time ./strata run "$work/speedup.json" --name "$name" --parallel "$p" --runs-dir "$work/runs" >/dev/null 2>&1 ; } 2> "$work/time"
  # CPU the JVM actually got: a loaded machine gives 2 threads less than 2 cores
  cores="$(tail -1 "$work/time" | awk '{printf "%.2f", ($2 + $3) / $1}')"
  line="$(grep 'workers busy' "$work/runs/$name/strata.log" | tail -1)"
  n="$(sed -E 's/.*: ([0-9]+) trials finished.*/\1/' <<<"$line")"
  s="$(sed -E "s/.*session's ([0-9.]+) s.*/\1/" <<<"$line")"
  busy="$(sed -E 's/.*workers busy ([0-9]+)%.*/\1/' <<<"$line")"
  read -r sn ss < <(steady "$work/runs/$name/strata.log" $((2 * p)))
  steadyTrialsBy[$p]=$(( ${steadyTrialsBy[$p]:-0} + sn ))
  steadySecondsBy[$p]="$(awk -v a="${steadySecondsBy[$p]:-0}" -v b="$ss" 'BEGIN{print a+b}')"
  echo "BENCH parallel $p: steady $(awk -v n="$sn" -v s="$ss" 'BEGIN{printf "%.0f", n/s*3600}') trials/hour; overall $n trials in $s s = $(awk -v n="$n" -v s="$s" 'BEGIN{printf "%.0f", n/s*3600}') trials/hour, workers busy $busy%, CPU cores obtained $cores, load $(cut -d' ' -f1 /proc/loadavg)"
  trialsBy[$p]=$(( ${trialsBy[$p]:-0} + n ))
  secondsBy[$p]="$(awk -v a="${secondsBy[$p]:-0}" -v b="$s" 'BEGIN{print a+b}')"
done
awk -v n1="${steadyTrialsBy[1]}" -v s1="${steadySecondsBy[1]}" -v n2="${steadyTrialsBy[2]}" -v s2="${steadySecondsBy[2]}" \
  'BEGIN{printf "BENCH steady speed-up, 2 parallel over 1: %.2fx (%.0f vs %.0f trials/hour)\n", (n2/s2)/(n1/s1), n2/s2*3600, n1/s1*3600}'
awk -v n1="${trialsBy[1]}" -v s1="${secondsBy[1]}" -v n2="${trialsBy[2]}" -v s2="${secondsBy[2]}" \
  'BEGIN{printf "BENCH overall speed-up (JIT warm-up included), 2 parallel over 1: %.2fx (%.0f vs %.0f trials/hour)\n", (n2/s2)/(n1/s1), n2/s2*3600, n1/s1*3600}'
