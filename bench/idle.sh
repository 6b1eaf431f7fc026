#!/usr/bin/env bash
# The "Connections" figure of issue 9 (docs/benchmarks.md, "Idle connections"): as many idle
# devices as one server process can hold (SQLite, rate limits lifted), each on its own WebSocket
# (protocol version 2) from client child JVMs on loopback source addresses 127.0.0.2, .3, ...;
# the server's live heap (after a full GC), resident memory, threads and open files before and
# after; then one sender's message to every device, timed from the first send to the last
# arrival. Builds what it needs first; prints the table and saves it, with `uptime` before and
# after, under bench/target/results/idle-*.txt.
#
#   bench/idle.sh                       build, then the largest N the open-files limit allows
#   SKIP_BUILD=1 bench/idle.sh          run without building
#   bench/idle.sh --connections 10000   extra options go to the harness (--help lists them)
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf 'bench/idle.sh: %s\n' "$*" >&2; }

source bench/java.sh
JAVA=${JAVA:-$(pick_java)}

if [[ ${SKIP_BUILD:-0} != 1 ]]; then
  log "building bench and the modules it needs"
  ./mvnw -q -B -pl bench -am package -DskipTests
fi

CP="bench/target/parley-bench.jar:bench/target/lib/*"
mkdir -p bench/target/results
OUT="bench/target/results/idle-$(date -u +%Y%m%dT%H%M%SZ).txt"
{
  echo "# $(date -u +%FT%TZ) on $(nproc) cores, $(uname -sr); JVM: $("$JAVA" -version 2>&1 | head -n 1)"
  echo "# open files allowed per process: $(ulimit -n); uptime before:$(uptime)"
  echo "# bench/idle.sh $*"
} | tee "$OUT"
"$JAVA" -Xms1g -Xmx1g -cp "$CP" org.parley.bench.IdleConnectionsBench "$@" | tee -a "$OUT"
echo "# uptime after:$(uptime)" | tee -a "$OUT"
log "results saved in $OUT"
