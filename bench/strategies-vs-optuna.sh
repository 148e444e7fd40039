#!/usr/bin/env bash
# Strata's strategies against Optuna's samplers (TPE, CMA-ES, random) on Branin and Hartmann6:
# regret median and IQR at 10, 25, 50 and 100 trials over 10 seeds, and each one's mean time per
# ask, side by side. Same function definitions, bounds and optima on both sides.
#
# Usage: bench/strategies-vs-optuna.sh            (env: SEEDS=10 BUDGETS=10,25,50,100
#   STRATEGIES=random,sobol,... THREADS=1, OUT_DIR=dir to keep strata.json and optuna.json)
# Ask times are wall clock: quote ratios from one run on a quiet machine, not absolute numbers.
# Needs Python 3 with Optuna: installs the Debian package python3-optuna when missing (as root).
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
SEEDS="${SEEDS:-10}"
BUDGETS="${BUDGETS:-10,25,50,100}"
THREADS="${THREADS:-1}"
work="$(mktemp -d "${TMPDIR:-/tmp}/strata-vs-optuna.XXXXXX")"
trap 'rm -rf "$work"' EXIT

find_python() {
  local p
  for p in python3 /usr/bin/python3; do
    if command -v "$p" >/dev/null 2>&1 && "$p" -c 'import optuna' >/dev/null 2>&1; then
      command -v "$p"; return 0
    fi
  done
  return 1
}

if ! PY="$(find_python)"; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "strategies-vs-optuna: Optuna is not installed and installing it needs root." >&2
    echo "  Run: sudo apt-get install -y python3-optuna   (then run this script again)" >&2
    exit 1
  fi
  echo "strategies-vs-optuna: installing python3-optuna ..." >&2
  apt-get install -y python3-optuna >&2 || { apt-get update >&2 && apt-get install -y python3-optuna >&2; }
  PY="$(find_python)" || { echo "strategies-vs-optuna: python3-optuna installed but 'import optuna' still fails" >&2; exit 1; }
fi

echo "strategies-vs-optuna: building search-core ..." >&2
mvn_q() {
  ./mvnw -q -B -o "$@" >"$work/mvn.log" 2>&1 || ./mvnw -q -B "$@" >"$work/mvn.log" 2>&1 \
    || { grep -v '^WARNING' "$work/mvn.log" >&2; echo "strategies-vs-optuna: the build failed" >&2; exit 1; }
}
mvn_q -pl search-core compile
mvn_q -pl search-core dependency:build-classpath -Dmdep.outputFile="$work/cp.txt"
# A snapshot of the classes, so that a rebuild during the run cannot pull them away.
cp -r search-core/target/classes "$work/classes"
strategies_arg=()
[ -n "${STRATEGIES:-}" ] && strategies_arg=(--strategies "$STRATEGIES")

echo "strategies-vs-optuna: Strata strategies ($SEEDS seeds, budgets $BUDGETS) ..." >&2
start=$(date +%s)
"$JAVA_HOME/bin/java" -cp "$work/classes:$(cat "$work/cp.txt")" \
  dev.strata.search.run.CompareMain --seeds "$SEEDS" --budgets "$BUDGETS" --threads "$THREADS" \
  "${strategies_arg[@]}" > "$work/strata.json"
echo "strategies-vs-optuna: Strata took $(( $(date +%s) - start )) s; Optuna samplers ..." >&2
start=$(date +%s)
"$PY" bench/optuna_compare.py run --seeds "$SEEDS" --budgets "$BUDGETS" > "$work/optuna.json"
echo "strategies-vs-optuna: Optuna took $(( $(date +%s) - start )) s" >&2
"$PY" -c 'import optuna, sys; print("Optuna %s (%s), Python %s" % (optuna.__version__, sys.executable, sys.version.split()[0]))'
"$PY" bench/optuna_compare.py table "$work/strata.json" "$work/optuna.json"
if [ -n "${OUT_DIR:-}" ]; then
  mkdir -p "$OUT_DIR" && cp "$work/strata.json" "$work/optuna.json" "$OUT_DIR/"
fi
