#!/usr/bin/env bash
# The standard benchmark set of issue 9: Parley on SQLite and on PostgreSQL (senders on their
# WebSocket, protocol version 2; both durability modes once the server has them) beside the
# anchors NATS JetStream (file storage, default settings), JetStream with an fsync per message
# (a nats-server of the harness's own; needs nats-server 2.10+) and RabbitMQ quorum queues,
# P = 1, 10, 100 pairs, then p50/p99 at a fixed 1,000 msg/s (P = 10). Builds what it needs first;
# prints the tables and saves them, with `uptime` before and after, under bench/target/results/.
#
#   bench/run.sh               build, then run the standard set (about 8 minutes on 2 cores)
#   SKIP_BUILD=1 bench/run.sh  run without building
#   bench/run.sh --pairs 10    extra arguments go to both runs (later options win)
#   DURABILITY=power-loss bench/run.sh   Parley in these modes only (default: both if the
#                              server has --durability, else its one mode, unnamed)
#
# Needs PostgreSQL on 127.0.0.1:5432 (user postgres, database parley), nats-server with
# JetStream on 127.0.0.1:4222 and RabbitMQ on 127.0.0.1:5672 (guest/guest); starts each if it is
# installed but stopped.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf 'bench/run.sh: %s\n' "$*" >&2; }

source bench/java.sh
JAVA=${JAVA:-$(pick_java)}

if [[ ${SKIP_BUILD:-0} != 1 ]]; then
  log "building bench and the modules it needs"
  ./mvnw -q -B -pl bench -am package -DskipTests
fi

if ! (exec 3<>/dev/tcp/127.0.0.1/4222) 2>/dev/null; then
  log "starting nats-server with JetStream"
  mkdir -p /var/lib/nats-server
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/nats-server -- \
    -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server -l /var/log/nats-server.log
  for _ in $(seq 1 30); do (exec 3<>/dev/tcp/127.0.0.1/4222) 2>/dev/null && break; sleep 1; done
fi
if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  log "starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -n 1)" main start || true
  for _ in $(seq 1 60); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi
if ! (exec 3<>/dev/tcp/127.0.0.1/5672) 2>/dev/null; then
  log "starting RabbitMQ"
  /usr/sbin/rabbitmq-server -detached || true
  for _ in $(seq 1 60); do (exec 3<>/dev/tcp/127.0.0.1/5672) 2>/dev/null && break; sleep 1; done
fi
if ! psql -h 127.0.0.1 -U postgres -Atc "select 1 from pg_database where datname = 'parley'" | grep -q 1; then
  createdb -h 127.0.0.1 -U postgres parley
fi

HARNESS_OPTS=(--enable-native-access=ALL-UNNAMED -Xms1g -Xmx1g)
SERVER_OPTS="-Xms1g -Xmx1g"
CP="bench/target/parley-bench.jar:bench/target/lib/*"
# Both durability modes where the server has the switch; one unnamed mode where it has not.
if [[ -z ${DURABILITY:-} ]] \
    && "$JAVA" -cp "$CP" org.parley.server.ServerMain --help 2>&1 | grep -q -- '--durability'; then
  DURABILITY=process,power-loss
fi
PARLEY_MODES=()
if [[ -n ${DURABILITY:-} ]]; then
  PARLEY_MODES=(--parley-durability "$DURABILITY")
fi
mkdir -p bench/target/results
OUT="bench/target/results/$(date -u +%Y%m%dT%H%M%SZ).txt"

{
  echo "# $(date -u +%FT%TZ) on $(nproc) cores, $(uname -sr); JVM: $("$JAVA" -version 2>&1 | head -n 1)"
  echo "# uptime before the runs (other work on the machine):$(uptime)"
  echo "# harness JVM options: ${HARNESS_OPTS[*]}; server JVM options: $SERVER_OPTS"
  echo "# nats-server: $(/usr/sbin/nats-server --version 2>/dev/null || echo unknown); $(psql -h 127.0.0.1 -U postgres -Atc 'select version()' | cut -d, -f1); RabbitMQ $(rabbitmqctl version 2>/dev/null || echo unknown)"
} | tee "$OUT"

run() {
  "$JAVA" "${HARNESS_OPTS[@]}" -cp "$CP" org.parley.bench.LoadGenerator \
    --target parley,nats,nats-fsync,rabbitmq --store sqlite,postgres "${PARLEY_MODES[@]}" \
    --server-jvm-options "$SERVER_OPTS" "$@" \
    | tee -a "$OUT"
}

# Throughput: a fresh server first warms up for 6 s at full speed; then each run warms up for
# 2 s and sends for 5 s with 16 sends in flight per sender (--messages only caps the count), and
# ends when every accepted message has arrived and been acknowledged.
run --pairs 1,10,100 --messages 1000000 --duration 5 --warmup 1000000 --warmup-seconds 2 \
  --initial-warmup-seconds 6 "$@"
# Latency at a fixed offered load: 1,000 msg/s over 10 pairs for 8 s (at most 8,000 messages);
# a system slower than that falls behind its schedule, which shows as latency. Each fresh server
# first runs 12 s at full speed: a JVM server still compiling its hot paths (C2 took 40% of the
# server's CPU in the measured seconds after a 3 s warm-up) would be measured compiling.
run --pairs 10 --rate 1000 --messages 8000 --duration 8 --warmup 3000 --warmup-seconds 2 \
  --initial-warmup-seconds 12 "$@"

# Parley's HTTP sender (one PUT /v1/messages per message) beside the socket, SQLite, P = 10.
"$JAVA" "${HARNESS_OPTS[@]}" -cp "$CP" org.parley.bench.LoadGenerator --target parley \
  --parley-transport http --store sqlite --server-jvm-options "$SERVER_OPTS" --pairs 10 \
  --messages 1000000 --duration 5 --warmup 1000000 --warmup-seconds 2 --initial-warmup-seconds 6 \
  | tee -a "$OUT"

echo "# uptime after the runs:$(uptime)" | tee -a "$OUT"
log "results saved in $OUT"
