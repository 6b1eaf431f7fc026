#!/usr/bin/env bash
# Group figures (docs/benchmarks.md, "Groups"): for 10, 100 and 1,000 members, the sender's CPU
# per group message (a sender-key encryption and the upload's JSON), the bytes uploaded, and the
# server's fan-out rate (envelopes committed per second, POST /v1/messages/group) with its CPU per
# envelope. Starts its own server (SQLite in a temp directory, or --store postgres). Builds what it
# needs first; prints the table and saves it under bench/target/results/group-*.txt.
#
#   bench/group.sh                    build, then run (about two minutes on 2 cores)
#   SKIP_BUILD=1 bench/group.sh       run without building
#   bench/group.sh --store postgres   the same on PostgreSQL (127.0.0.1:5432, database parley, which must exist)
#   bench/group.sh --sealed           sealed group messages (POST /v1/messages/group/sealed): the
#                                     sender's CPU beside libsignal's bare cost, then the fan-out
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf 'bench/group.sh: %s\n' "$*" >&2; }

source bench/java.sh
JAVA=${JAVA:-$(pick_java)}

if [[ ${SKIP_BUILD:-0} != 1 ]]; then
  log "building bench and the modules it needs"
  ./mvnw -q -B -pl bench -am package -DskipTests
fi

CP="bench/target/parley-bench.jar:bench/target/lib/*"
MAIN=org.parley.bench.GroupFanOutBench
NAME=group
if [[ ${1:-} == --sealed ]]; then
  shift
  MAIN=org.parley.bench.SealedGroupBench
  NAME=sealed-group
fi
mkdir -p bench/target/results
OUT="bench/target/results/$NAME-$(date -u +%Y%m%dT%H%M%SZ).txt"
"$JAVA" --enable-native-access=ALL-UNNAMED -Xms1g -Xmx1g -cp "$CP" \
  "$MAIN" "$@" | tee "$OUT"
log "saved $OUT"
