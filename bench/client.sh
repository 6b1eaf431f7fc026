#!/usr/bin/env bash
# Client figures (docs/benchmarks.md, "Client"): profile open (first, in a fresh JVM, and warm),
# a send to a known contact and the first message to a new contact in process, `parley send` from
# the shell, and the HTTP requests of each. Starts its own server (SQLite, in a temp directory).
# Builds what it needs first; prints the table and saves it under bench/target/results/.
#
#   bench/client.sh                 build, then run (about a minute on 2 cores)
#   SKIP_BUILD=1 bench/client.sh    run without building the bench (bin/parley still builds the
#                                   CLI if its sources changed)
#   bench/client.sh --sends 200     extra options go to the bench (--help lists them)
#
# The harness runs on the class path bin/parley runs the CLI with (cli/target/run/, with libsignal's
# native library prepared once: docs/architecture.md, "Start-up"), plus the bench's own classes;
# the plain Maven class path (bench/target/lib) is measured beside it for the first open.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf 'bench/client.sh: %s\n' "$*" >&2; }

source bench/java.sh
JAVA=${JAVA:-$(pick_java)}

if [[ ${SKIP_BUILD:-0} != 1 ]]; then
  log "building bench and the modules it needs"
  ./mvnw -q -B -pl bench -am package -DskipTests
fi
bin/parley --version >/dev/null # builds the CLI's run directory if its sources changed

# bin/parley's argument file: one quoted argument a line, the class path after -cp
SNAPSHOT="$(cat cli/target/run/current)"
OPTIONS=()
CLASSPATH_NEXT=0
while IFS= read -r line; do
  line="${line#\"}"
  line="${line%\"}"
  if (( CLASSPATH_NEXT )); then
    RUN_CP="$line"
    CLASSPATH_NEXT=0
  elif [[ "$line" == -cp ]]; then
    CLASSPATH_NEXT=1
  else
    OPTIONS+=("$line")
  fi
done < "$SNAPSHOT/java.args"

mkdir -p bench/target/results
OUT="bench/target/results/client-$(date -u +%Y%m%dT%H%M%SZ).txt"
"$JAVA" --enable-native-access=ALL-UNNAMED "${OPTIONS[@]}" \
  -cp "bench/target/parley-bench.jar:$RUN_CP" org.parley.bench.client.ClientBench \
  --parley bin/parley --plain-class-path "bench/target/parley-bench.jar:bench/target/lib/*" "$@" \
  2>&1 | tee "$OUT"
log "results saved in $OUT"
