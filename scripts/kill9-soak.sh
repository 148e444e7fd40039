#!/usr/bin/env bash
# The kill -9 reliability test with more cycles: a separate JVM runs an experiment and is SIGKILLed
# at seeded random moments while trials finish, then resumed to the end; checks that no finished
# trial is lost or duplicated, every study has exactly its budget, PRAGMA integrity_check is ok and
# the result equals an uninterrupted reproducible run.
# Usage: scripts/kill9-soak.sh [cycles=50] [seed=random]
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
cycles="${1:-50}"
seed="${2:-$RANDOM}"
echo "kill -9 soak: $cycles cycles, seed $seed"
./mvnw -q -B -o -pl experiments test -Dtest=KillNineTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dstrata.kill9.cycles="$cycles" -Dstrata.kill9.seed="$seed" -Dstrata.kill9.trials="$(( cycles * 2 > 30 ? cycles * 2 : 30 ))"
echo "kill -9 soak passed ($cycles cycles, seed $seed)"
