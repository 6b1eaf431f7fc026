#!/usr/bin/env bash
# Key-transparency figures (docs/benchmarks.md, "Key transparency"): greatest-version search
# proofs and their client verification at 10^4 and 10^6 labels (and 10^7 with --large);
# publishing 10,000-update epochs, owner monitoring and the third-party auditor at 10^6. Builds
# what it needs first; prints the tables and saves them under bench/target/results/kt-*.txt.
#
#   bench/kt.sh                build, then the 10^4 and 10^6 runs (3-5 minutes on 2 cores)
#   bench/kt.sh --large        also 10^7 labels, searches only (3-4 more minutes, 16 GiB heap)
#   SKIP_BUILD=1 bench/kt.sh   run without building
#   KT_JFR=1 bench/kt.sh       also record a JFR profile of each run beside the results
#   bench/kt.sh --rounds 10    extra options go to every run (--help lists them; not --phases)
#
# Every run is its own JVM with a fixed heap. G1's concurrent marking is kept from starting on
# the log's heap (which is mostly live) so that it does not compete with timed verifications.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf 'bench/kt.sh: %s\n' "$*" >&2; }

LARGE=0
if [[ ${1:-} == --large ]]; then
  LARGE=1
  shift
fi

source bench/java.sh
JAVA=${JAVA:-$(pick_java)}

if [[ ${SKIP_BUILD:-0} != 1 ]]; then
  log "building keytrans, bench and what they need"
  ./mvnw -q -B -pl keytrans,bench -am package -DskipTests
fi

CP="bench/target/parley-bench.jar:bench/target/lib/*"
mkdir -p bench/target/results
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT="bench/target/results/kt-$STAMP.txt"

run() {
  local name=$1 heap=$2
  shift 2
  local jfr=()
  if [[ ${KT_JFR:-0} == 1 ]]; then
    jfr=(-XX:StartFlightRecording=filename=bench/target/results/kt-$STAMP-$name.jfr,settings=profile)
  fi
  log "run $name ($heap heap): $*"
  "$JAVA" --enable-native-access=ALL-UNNAMED "-Xms$heap" "-Xmx$heap" \
    -XX:-G1UseAdaptiveIHOP -XX:InitiatingHeapOccupancyPercent=85 "${jfr[@]}" \
    -cp "$CP" org.parley.bench.keytrans.KeyTransparencyBench "$@" 2>&1 | tee -a "$OUT"
  echo | tee -a "$OUT"
}

run 1e4 1g --labels 10000 --phases search "$@"
run 1e6 4g --labels 1000000 --phases search,publish,owner "$@"
run 1e6-publish-2-threads 4g --labels 1000000 --phases publish --prepare-threads 2 "$@"
run 1e6-audit 2g --labels 1000000 --phases audit "$@"
if (( LARGE )); then
  run 1e7 16g --labels 10000000 --phases search "$@"
fi
log "results saved in $OUT"
