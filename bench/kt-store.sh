#!/usr/bin/env bash
# The server's own key-transparency epoch on its real store (docs/benchmarks.md, "Key
# transparency", "The server's epoch"): registers 10,000 accounts, lets the server's prover keep
# their early proofs, has the server's publisher (KtService.publish) publish them as one epoch,
# and prints that epoch's time split into its parts; one warm-up round, then --rounds timed ones,
# on SQLite and on PostgreSQL (127.0.0.1:5432, user postgres, a throwaway schema). Builds what it
# needs first; saves the tables under bench/target/results/kt-store-*.txt.
#
#   bench/kt-store.sh                 build, then SQLite and PostgreSQL (about 2 minutes)
#   bench/kt-store.sh sqlite          one store only
#   SKIP_BUILD=1 bench/kt-store.sh    run without building
#   KT_JFR=1 bench/kt-store.sh        also record a JFR CPU-time profile beside the results
#   bench/kt-store.sh sqlite --rounds 8 --accounts 5000   options go to every run (--help)
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf 'bench/kt-store.sh: %s\n' "$*" >&2; }

STORES=(sqlite postgres)
if [[ ${1:-} == sqlite || ${1:-} == postgres ]]; then
  STORES=("$1")
  shift
fi

source bench/java.sh
JAVA=${JAVA:-$(pick_java)}

if [[ ${SKIP_BUILD:-0} != 1 ]]; then
  log "building the server, its stores, bench and what they need"
  ./mvnw -q -B -pl bench -am package -DskipTests
fi

CP="bench/target/parley-bench.jar:bench/target/lib/*"
mkdir -p bench/target/results
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT="bench/target/results/kt-store-$STAMP.txt"

for store in "${STORES[@]}"; do
  jfr=()
  if [[ ${KT_JFR:-0} == 1 ]]; then
    jfr=("-XX:StartFlightRecording=filename=bench/target/results/kt-store-$STAMP-$store.jfr,settings=none,+jdk.CPUTimeSample#enabled=true,+jdk.CPUTimeSample#throttle=2ms")
  fi
  log "run $store: $*"
  "$JAVA" --enable-native-access=ALL-UNNAMED -Xms2g -Xmx2g "${jfr[@]}" \
    -cp "$CP" org.parley.bench.KtStoreEpochBench --store "$store" "$@" 2>&1 \
    | grep -v -e '^WARNING' -e 'INFO' | tee -a "$OUT"
  echo | tee -a "$OUT"
done
log "results saved in $OUT"
