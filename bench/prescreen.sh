#!/usr/bin/env bash
# Pre-screening on the digits block space (examples/digits-blocks.json's space, budget.maxEpochs
# EPOCHS so that the whole measurement stays within a few CPU-minutes), all at nice 15
# (STRATA_BENCH_NICE):
#   rho:  random search, seeds 1..SEEDS, TRIALS trials each, with "prescreen" sample 1 (every trial
#         is scored and stored with its four proxies, nothing is screened out: the same trials as
#         an unscreened search); Spearman's rho of each proxy against val_accuracy per seed and
#         over all; then the cost of scoring against training, re-scoring every trial.
#   tta:  for seeds 1..3, random search with TTA_TRIALS trials unscreened, and the same with
#         "prescreen" {PROXY, SAMPLE}: trials and wall-clock seconds to reach the unscreened
#         search's final best.
# Usage: bench/prescreen.sh [SEEDS] [TRIALS] [EPOCHS] [PROXY] [SAMPLE] [TTA_TRIALS]
#   STRATA_BENCH_PARTS="rho" or "tta" runs one part; STRATA_TTA_SEEDS="1 2" the tta seeds;
#   STRATA_TTA_STRATEGY the tta strategy (random); STRATA_TTA_MINUTES=M gives each tta run a
#   wall-clock budget of M minutes instead of TTA_TRIALS trials; STRATA_TTA_TOGETHER=1 runs a seed's
#   two arms at the same time (so that load on a shared host hits both alike); STRATA_TTA_SHORTLIST=K
#   screens with "shortlist": K (the cheapest of the K best-scored candidates is trained);
#   STRATA_BENCH_SPACE=examples/digits-cells-compare.json takes another experiment's dataset and
#   space (default examples/digits-blocks.json); STRATA_BENCH_PARALLEL the rho run's parallel (2);
#   STRATA_BENCH_SUBSET=N trains an idx: dataset on its first N training images (written, gzipped, to
#   target/idx-subset-N beside links to the official test files).
# Runs are kept in ${STRATA_BENCH_DIR:-target/prescreen} and reused. A script, not a test.
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
seeds="${1:-5}"; trials="${2:-40}"; epochs="${3:-10}"; proxy="${4:-naswot}"; sample="${5:-10}"; tta_trials="${6:-25}"
dir="${STRATA_BENCH_DIR:-target/prescreen}"
space="${STRATA_BENCH_SPACE:-examples/digits-blocks.json}"
mkdir -p "$dir"
niceness="${STRATA_BENCH_NICE:-15}"
if [ -n "${STRATA_BENCH_CP:-}" ]; then
  CP="$STRATA_BENCH_CP" # a classpath prepared beforehand (e.g. a copy, so that builds can go on meanwhile)
else
  nice -n "$niceness" ./mvnw -o -q -B -pl experiments -am test-compile dependency:build-classpath \
    -Dmdep.outputFile=target/prescreen.classpath -Dmdep.includeScope=test >/dev/null
  CP="experiments/target/test-classes:experiments/target/classes:$(cat experiments/target/prescreen.classpath)"
fi
java=(nice -n "$niceness" "$JAVA_HOME/bin/java" --add-modules=jdk.incubator.vector -XX:+UseParallelGC -cp "$CP")
strata=("${java[@]}" dev.strata.experiments.cli.StrataCommand)
bench=("${java[@]}" dev.strata.experiments.bench.PrescreenBenchmark)
if [ -n "${STRATA_BENCH_SUBSET:-}" ]; then
  subset_dir="$PWD/target/idx-subset-$STRATA_BENCH_SUBSET"
  [ -f "$subset_dir/train-labels-idx1-ubyte.gz" ] || python3 - "$space" "$subset_dir" "$STRATA_BENCH_SUBSET" <<'PY'
import gzip, json, os, struct, sys
space, dst, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
src = json.load(open(space))["dataset"]["source"].removeprefix("idx:")
os.makedirs(dst, exist_ok=True)
for kind, header in (("images-idx3-ubyte", 16), ("labels-idx1-ubyte", 8)):
    raw = gzip.open(f"{src}/train-{kind}.gz").read()
    rows, cols = struct.unpack(">II", raw[8:16]) if header == 16 else (1, 1)
    size = rows * cols
    head = bytearray(raw[:header])
    head[4:8] = struct.pack(">I", n)  # the item count; images keep their row and column counts
    with gzip.open(f"{dst}/train-{kind}.gz", "wb") as out:
        out.write(bytes(head) + raw[header:header + n * size])
    test = f"{dst}/t10k-{kind}.gz"
    if not os.path.lexists(test):
        os.symlink(f"{src}/t10k-{kind}.gz", test)
PY
  export STRATA_BENCH_SOURCE="idx:$subset_dir"
fi
echo "host: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"

# experiment NAME SEEDS TRIALS PRESCREEN-JSON-OR-EMPTY PARALLEL
experiment() {
  python3 - "$1" "$2" "$3" "$4" "$epochs" "$5" "$space" <<'PY'
import json, os, sys
name, seeds, trials, prescreen, epochs, parallel = sys.argv[1], json.loads(sys.argv[2]), int(sys.argv[3]), sys.argv[4], int(sys.argv[5]), int(sys.argv[6])
e = json.load(open(sys.argv[7]))
e["name"] = name
if os.environ.get("STRATA_BENCH_SOURCE"):
    e["dataset"]["source"] = os.environ["STRATA_BENCH_SOURCE"]
budget = {"minutes": float(os.environ["STRATA_TTA_MINUTES"])} if trials == 0 else {"trials": trials}
budget["maxEpochs"] = epochs
e["search"] = {"strategies": [os.environ.get("STRATA_BENCH_STRATEGY", "random")], "seeds": seeds, "parallel": parallel,
               "reproducible": True, "budget": budget}
if prescreen:
    e["search"]["prescreen"] = json.loads(prescreen)
print(json.dumps(e, indent=1))
PY
}

run() { # NAME SEEDS TRIALS PRESCREEN PARALLEL
  [ -f "$dir/$1/strata.db" ] && return
  experiment "$@" > "$dir/$1.json"
  /usr/bin/time -f "$1: %e s wall, %U s user" "${strata[@]}" run "$dir/$1.json" --runs-dir "$dir" 2>&1 \
    | grep -v -e "^WARNING" -e "^SLF4J" | tail -2
}

seed_list=$(python3 -c "print(list(range(1, $seeds + 1)))")
what="${STRATA_BENCH_PARTS:-rho tta}"
if [[ " $what " == *" rho "* ]]; then
  # parallel 2 (reproducible: the same trials as parallel 1); only the proxies and accuracies count here
  run rho "$seed_list" "$trials" '{"proxy": "naswot", "sample": 1, "scores": "all"}' "${STRATA_BENCH_PARALLEL:-2}"
  "${bench[@]}" rho "$dir/rho" 2>&1 | grep -v "^WARNING"
  "${bench[@]}" cost "$dir/rho" "${STRATA_COST_EVERY:-1}" "${STRATA_COST_RETRAIN:-0}" 2>&1 | grep -v "^WARNING"
fi
if [[ " $what " == *" tta "* ]]; then
  strategy="${STRATA_TTA_STRATEGY:-random}"
  tag=""; [ "$strategy" != random ] && tag="$strategy-"
  budget="$tta_trials"; [ -n "${STRATA_TTA_MINUTES:-}" ] && budget=0 && tag="${tag}${STRATA_TTA_MINUTES}m-"
  for s in ${STRATA_TTA_SEEDS:-1 2 3}; do
    plain="plain-$tag$s"; screened="screened-$tag$proxy-$sample-$s"
    screen="{\"proxy\": \"$proxy\", \"sample\": $sample}"
    if [ -n "${STRATA_TTA_SHORTLIST:-}" ]; then
      screened="screened-$tag$proxy-$sample-short${STRATA_TTA_SHORTLIST}-$s"
      screen="{\"proxy\": \"$proxy\", \"sample\": $sample, \"shortlist\": $STRATA_TTA_SHORTLIST}"
    fi
    if [ "${STRATA_TTA_TOGETHER:-0}" = 1 ]; then
      STRATA_BENCH_STRATEGY="$strategy" run "$plain" "[$s]" "$budget" "" 1 &
      STRATA_BENCH_STRATEGY="$strategy" run "$screened" "[$s]" "$budget" "$screen" 1
      wait
    else
      STRATA_BENCH_STRATEGY="$strategy" run "$plain" "[$s]" "$budget" "" 1
      STRATA_BENCH_STRATEGY="$strategy" run "$screened" "[$s]" "$budget" "$screen" 1
    fi
    "${bench[@]}" tta "$dir/$plain" "$dir/$screened" 2>&1 | grep -v "^WARNING"
  done
fi
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
