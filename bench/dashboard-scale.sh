#!/usr/bin/env bash
# The dashboard at scale, on real SQLite runs, all on loopback (see docs/dashboard.md, "Scale").
# For each size it writes a finished run (3 strategies x 3 seeds) once, then
#   finished: serves the runs folder as 'strata dashboard DIR' does; each API's cold (first request
#             in a fresh JVM) and warm (median and max of 20) latency; the time until every chart of
#             the experiment page has drawn in headless Chromium; RSS.
#   live:     reopens the largest run for writing as 'strata resume --dashboard' does, appends RATE
#             trials/s while CLIENTS event streams follow it: delivery p50/p99, API latency, RSS.
# Usage: bench/dashboard-scale.sh [SIZES] [RATE] [SECONDS] [CLIENTS]
#   e.g. bench/dashboard-scale.sh "1000 10000 100000" 20 20 50    (add 1000000 for the 1M row)
# Runs are kept in ${STRATA_BENCH_DIR:-target/dashboard-scale} and reused. A script, not a test.
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
sizes="${1:-1000 10000 100000}"; rate="${2:-20}"; seconds="${3:-20}"; clients="${4:-50}"
dir="${STRATA_BENCH_DIR:-target/dashboard-scale}"
mkdir -p "$dir"
./mvnw -o -q -B -pl experiments -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/scale.classpath -Dmdep.includeScope=test >/dev/null
CP="experiments/target/test-classes:experiments/target/classes:$(cat experiments/target/scale.classpath)"
java=("$JAVA_HOME/bin/java" --add-modules=jdk.incubator.vector -XX:+UseParallelGC -cp "$CP" dev.strata.experiments.bench.DashboardScaleBenchmark)
echo "host: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"
largest=""; live="${STRATA_BENCH_LIVE:-}"
# Every run first (the run list reads them all): written once, and a run of an older schema
# migrated, as 'strata resume' would (timed).
for n in $sizes; do
  name="scale-$n"
  # Up to 100,000 trials through the store's API; above that in bulk (plain INSERTs of the same rows).
  mode=generate; [ "$n" -gt 100000 ] && mode=generate-bulk
  [ -f "$dir/$name/strata.db" ] || "${java[@]}" "$mode" "$dir" "$name" "$n" 2>&1 | grep --line-buffered -v "^WARNING"
  "${java[@]}" migrate "$dir" "$name" 2>&1 | grep --line-buffered -v -e "^WARNING" -e "^SLF4J"
done
for n in $sizes; do
  name="scale-$n"
  echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
  "${java[@]}" finished "$dir" "$name" 2>&1 | grep --line-buffered -v -e "^WARNING" -e "^SLF4J" -e "CDP" -e "ChromiumDriver"
  [ "$n" -le 100000 ] && largest="$name"
done
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
# The live case on the largest run written through the store's API (it has events and a call log).
"${java[@]}" live "$dir" "${live:-$largest}" "$rate" "$seconds" "$clients" 2>&1 | grep --line-buffered -v -e "^WARNING" -e "^SLF4J"
