#!/usr/bin/env bash
# How much of the unpipelined `appendfsync always` row the fsyncs alone cost on this machine.
#
#   VIREO_SERVER=$PWD/build/vireo-server bench/fsync_floor.sh [ROUNDS] [RATE ...]
#
# Alternating rounds of redis-benchmark SET, 50 clients (as bench/run.sh's row) against:
#   - Vireo without a log (the baseline);
#   - Vireo without a log while bench/fsync_loop.c fdatasyncs RATE times a second on the server's
#     CPU (a server whose durability costs nothing but the fsyncs themselves);
#   - Vireo under appendfsync always, with the fsyncs per second it made (INFO wal_syncs).
# Prints the median req/s of each and its ratio to the baseline.
set -Eeuo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${VIREO_SERVER:?set VIREO_SERVER to the vireo-server binary}"
ROUNDS=${1:-5}
(($#)) && shift
if (($#)); then RATES=("$@"); else RATES=(2000 3000); fi
PORT=${BENCH_PORT_VIREO:-6432}
SERVER_CPU=${BENCH_SERVER_CPU:-0}
CLIENT_CPU=${BENCH_CLIENT_CPU:-1}
REQUESTS=${BENCH_REQUESTS:-200000}
WORK=$(mktemp -d)
SPID=
cleanup() {
  [[ -n $SPID ]] && kill "$SPID" 2>/dev/null && wait "$SPID" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT
cc -O2 -Wall -o "$WORK/fsync_loop" "$HERE/fsync_loop.c"
if redis-cli -p "$PORT" ping >/dev/null 2>&1; then
  echo "fsync_floor: port $PORT already answers PING" >&2
  exit 1
fi

start_server() { # start_server ARGS...: a fresh Vireo on $PORT, pinned
  rm -rf "$WORK/data" && mkdir "$WORK/data"
  taskset -c "$SERVER_CPU" "$VIREO_SERVER" --port "$PORT" --bind 127.0.0.1 --save '' \
    --dir "$WORK/data" "$@" >"$WORK/server.log" 2>&1 &
  SPID=$!
  for _ in $(seq 100); do
    redis-cli -p "$PORT" ping 2>/dev/null | grep -q PONG && return 0
    kill -0 "$SPID" 2>/dev/null || break
    sleep 0.1
  done
  echo "fsync_floor: the server did not start:" >&2
  tail "$WORK/server.log" >&2
  exit 1
}
stop_server() {
  kill "$SPID" && wait "$SPID" 2>/dev/null || true
  SPID=
}
rps() { # one redis-benchmark run: its req/s
  taskset -c "$CLIENT_CPU" redis-benchmark -p "$PORT" -t set -c 50 -r 100000 -n "$REQUESTS" --csv |
    awk -F'"' '/^"SET"/ {print $4}'
}

declare -A RESULTS
add() { RESULTS[$1]="${RESULTS[$1]:-} $2"; }
for ((round = 1; round <= ROUNDS; round++)); do
  start_server --appendonly no
  add baseline "$(rps)"
  for rate in "${RATES[@]}"; do
    taskset -c "$SERVER_CPU" "$WORK/fsync_loop" "$rate" 600 "$WORK/data/fsync-loop" >/dev/null &
    loop=$!
    sleep 0.2
    add "fsync loop $rate/s" "$(rps)"
    kill "$loop" && wait "$loop" 2>/dev/null || true
  done
  stop_server
  start_server --appendonly yes --appendfsync always
  t0=$(date +%s.%N)
  add "appendfsync always" "$(rps)"
  t1=$(date +%s.%N)
  syncs=$(redis-cli -p "$PORT" info persistence | tr -d '\r' | awk -F: '/^wal_syncs:/ {print $2}')
  add "always fsyncs/s" "$(awk -v s="$syncs" -v a="$t0" -v b="$t1" 'BEGIN {printf "%.0f", s / (b - a)}')"
  stop_server
  echo "fsync_floor: round $round of $ROUNDS done" >&2
done

median() { tr ' ' '\n' | grep . | sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
base=$(median <<<"${RESULTS[baseline]}")
printf '| Vireo, SET 50 clients (%d rounds) | median req/s | vs no log |\n|---|---:|---:|\n' "$ROUNDS"
for name in baseline "${RATES[@]/#/fsync loop }" "appendfsync always"; do
  [[ $name == "fsync loop "* ]] && name="$name/s"
  m=$(median <<<"${RESULTS[$name]}")
  printf '| %s | %.0f | %.2f× |\n' "$name" "$m" "$(awk -v m="$m" -v b="$base" 'BEGIN {print m / b}')"
done
printf '\nappendfsync always made %s fsyncs/s (median).\n' "$(median <<<"${RESULTS[always fsyncs/s]}")"
