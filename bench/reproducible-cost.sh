#!/usr/bin/env bash
# Throughput cost of reproducible mode (the default): the same real digits search run with
# "reproducible": true and false, alternating true, false, false, true so that a drift in the
# machine's load hits both alike. One TPE study with 2 trials in flight (window 2) is the worst
# case: in reproducible mode the study's results are told in trial order, so a trial that finishes
# before its older neighbour waits for it and the worker idles meanwhile. (With at least as many
# studies as parallel trials every study has a window of 1 and the two modes schedule alike.)
# Trial sizes vary (1-3 blocks of 64 or 320 units) so that neighbours finish at different times.
# Timing is the runner's own session time (from strata.log): JVM start and data loading are out.
# Prints one BENCH line per run and the ratio of the totals.
# Usage: bench/reproducible-cost.sh [trials]    (builds the jar if missing)
set -euo pipefail
cd "$(dirname "$0")/.."
trials="${1:-30}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for r in true false; do
cat > "$work/repro-$r.json" <<JSON
{
  "name": "repro-$r",
  "seed": 3,
  "dataset": { "source": "digits", "split": { "validation": 0.2, "test": 0.2 }, "preprocess": ["standardize"] },
  "objective": { "metric": "val_accuracy", "direction": "maximize" },
  "space": {
    "blocks": { "repeat": { "min": 1, "max": 3 }, "of": {
      "type": { "choice": ["plain", "residual"] }, "width": { "choice": [64, 320] }, "layers": 1,
      "activation": { "choice": ["relu", "tanh"] } } },
    "optimizer": "adam", "learningRate": { "float": [1e-3, 1e-2], "log": true },
    "batchSize": 32, "epochs": 10
  },
  "search": { "strategies": ["tpe"], "budget": { "trials": $trials }, "parallel": 2, "seeds": [1],
              "reproducible": $r }
}
JSON
done
echo "BENCH machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at start, $(date -u +%FT%TZ)"
declare -A trialsBy secondsBy
for r in true false false true; do
  name="r$r-$RANDOM"
  ./strata run "$work/repro-$r.json" --name "$name" --runs-dir "$work/runs" >/dev/null 2>&1
  line="$(grep 'workers busy' "$work/runs/$name/strata.log" | tail -1)"
  n="$(sed -E 's/.*: ([0-9]+) trials finished.*/\1/' <<<"$line")"
  s="$(sed -E "s/.*session's ([0-9.]+) s.*/\1/" <<<"$line")"
  busy="$(sed -E 's/.*workers busy ([0-9]+)%.*/\1/' <<<"$line")"
  echo "BENCH reproducible $r: $n trials in $s s = $(awk -v n="$n" -v s="$s" 'BEGIN{printf "%.0f", n/s*3600}') trials/hour, workers busy $busy%, load $(cut -d' ' -f1 /proc/loadavg)"
  trialsBy[$r]=$(( ${trialsBy[$r]:-0} + n ))
  secondsBy[$r]="$(awk -v a="${secondsBy[$r]:-0}" -v b="$s" 'BEGIN{print a+b}')"
done
awk -v nt="${trialsBy[true]}" -v st="${secondsBy[true]}" -v nf="${trialsBy[false]}" -v sf="${secondsBy[false]}" \
  'BEGIN{printf "BENCH reproducible over not: %.2fx the throughput (%.0f vs %.0f trials/hour), %.1f%% slower\n", (nt/st)/(nf/sf), nt/st*3600, nf/sf*3600, (1 - (nt/st)/(nf/sf)) * 100}'
