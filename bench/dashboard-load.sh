#!/usr/bin/env bash
# Dashboard load benchmark, loopback only: 50 SSE clients while 100 trial events/s are published
# (every client must get every event; delivery latency percentiles), then REST page latency on a
# 100,000-trial in-memory run. Arguments pass through as key=value:
#   bench/dashboard-load.sh clients=50 rate=100 seconds=10 trials=100000 requests=200
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
./mvnw -q -B -pl common,search-core,run-records install -DskipTests
./mvnw -q -B -pl dashboard test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
CP="dashboard/target/classes:dashboard/target/test-classes:$(cat dashboard/target/bench.classpath)"
exec "$JAVA_HOME/bin/java" -Xmx4g -cp "$CP" dev.strata.dashboard.DashboardLoadBenchmark "$@"
