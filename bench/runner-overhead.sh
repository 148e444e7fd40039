#!/usr/bin/env bash
# Runner benchmarks (no JMH): per-trial overhead with a no-op evaluator over 2,000 trials, and the
# speed-up of 2 parallel CPU-bound trials over 1. Prints lines starting with BENCH.
# Usage: bench/runner-overhead.sh [trials]   (needs common, search-core, run-records, trainer, dashboard installed:
#   ./mvnw -q -B -o install -DskipTests -pl common,search-core,run-records,trainer,dashboard)
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
./mvnw -q -B -o -pl experiments test -Dtest=RunnerBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
  -Dstrata.bench=true -Dstrata.bench.trials="${1:-2000}" -DtrimStackTrace=false
grep -h '^BENCH' experiments/target/surefire-reports/dev.strata.experiments.run.RunnerBenchmark-output.txt
