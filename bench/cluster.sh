#!/usr/bin/env bash
# Cluster benchmark: trials/hour with 1, 2 and 3 worker JVMs (one thread each) on loopback, each
# trial a fixed sleep with 3 epoch reports, and the coordinator's overhead per trial (slot time not
# spent training, and coordinator CPU). Prints lines starting with BENCH.
# Usage: bench/cluster.sh [trials] [sleep-ms] [record]   (builds the modules it needs; installs nothing)
#   record=false leaves out the store recording of workers and placements, for comparison
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
out="$(mktemp)"
trap 'rm -f "$out"' EXIT
./mvnw -q -B -o -pl experiments -am test -Dtest=ClusterBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
  -Dstrata.bench=true -Dstrata.bench.trials="${1:-60}" -Dstrata.bench.sleepMs="${2:-200}" -Dstrata.bench.record="${3:-true}" >"$out" 2>&1 \
  || { cat "$out"; exit 1; }
grep -h '^BENCH' "$out" experiments/target/surefire-reports/*ClusterBenchmark-output.txt 2>/dev/null | sort -u
