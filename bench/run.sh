#!/usr/bin/env bash
# Vireo vs Debian's redis-server, side by side on loopback. See bench/README.md.
#
#   VIREO_SERVER=/abs/path/vireo-server bench/run.sh      (what `make bench` runs)
#
# Progress goes to stderr; the Markdown report goes to stdout and to
# bench/results/latest.md (raw per-run numbers beside it as latest-*.tsv).
set -Eeuo pipefail
trap 'echo "bench: FATAL: line $LINENO: command failed (status $?): $BASH_COMMAND" >&2' ERR

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PY=/usr/bin/python3 # Debian's interpreter, stdlib only

# The exact invocation, recorded before defaults are filled in.
INVOCATION=$(for v in VIREO_SERVER REDIS_SERVER REDIS_BENCHMARK REDIS_CLI ${!BENCH_*}; do
  if [[ -v $v ]]; then printf '%s=%q ' "$v" "${!v}"; fi; done; printf '%q' "$0"; if (($#)); then printf ' %q' "$@"; fi)

# ---- Knobs (environment) ---------------------------------------------------
: "${VIREO_SERVER:?set VIREO_SERVER to the vireo-server binary (make bench does this)}"
REDIS_SERVER=${REDIS_SERVER:-/usr/bin/redis-server}
REDIS_BENCHMARK=${REDIS_BENCHMARK:-/usr/bin/redis-benchmark}
REDIS_CLI=${REDIS_CLI:-/usr/bin/redis-cli}
ROUNDS=${BENCH_ROUNDS:-5}                    # rounds of every throughput test; medians reported
REQUESTS=${BENCH_REQUESTS:-100000}           # base -n per run (tests scale it, see scale=)
KEYS=${BENCH_KEYS:-1000000}                  # keys loaded for the RSS test
KEYSPACE=${BENCH_KEYSPACE:-100000}           # -r for small-value SET/GET
KEYSPACE_LARGE=${BENCH_KEYSPACE_LARGE:-10000} # -r for -d 4096 SET/GET
SERVER_CPU=${BENCH_SERVER_CPU:-0}            # taskset CPU for both servers
CLIENT_CPU=${BENCH_CLIENT_CPU:-1}            # taskset CPU for redis-benchmark / redis-cli
PORT_REDIS=${BENCH_PORT_REDIS:-6431}
PORT_VIREO=${BENCH_PORT_VIREO:-6432}
START_TIMEOUT=${BENCH_START_TIMEOUT:-20}     # seconds to wait for PONG
RUN_TIMEOUT=${BENCH_TIMEOUT:-600}            # seconds per redis-benchmark / load run
ONLY=${BENCH_ONLY:-}                         # extended regex on test names (empty: all)
RESULTS_DIR=${BENCH_RESULTS_DIR:-$HERE/results}
REDIS_EXTRA_ARGS=${BENCH_REDIS_ARGS:-}       # extra server args, word-split
VIREO_EXTRA_ARGS=${BENCH_VIREO_ARGS:-}

die() { echo "bench: FATAL: $*" >&2; exit 1; }
log() { echo "bench: $*" >&2; }

for v in ROUNDS:BENCH_ROUNDS REQUESTS:BENCH_REQUESTS KEYS:BENCH_KEYS KEYSPACE:BENCH_KEYSPACE \
         KEYSPACE_LARGE:BENCH_KEYSPACE_LARGE SERVER_CPU:BENCH_SERVER_CPU CLIENT_CPU:BENCH_CLIENT_CPU \
         PORT_REDIS:BENCH_PORT_REDIS PORT_VIREO:BENCH_PORT_VIREO START_TIMEOUT:BENCH_START_TIMEOUT \
         RUN_TIMEOUT:BENCH_TIMEOUT; do
  var=${v%%:*}
  [[ ${!var} =~ ^[0-9]+$ ]] || die "${v#*:} must be a non-negative integer, got '${!var}'"
done
((ROUNDS > 0 && REQUESTS > 0 && KEYS > 0 && KEYSPACE > 0 && KEYSPACE_LARGE > 0)) ||
  die "BENCH_ROUNDS, BENCH_REQUESTS, BENCH_KEYS and the keyspaces must be > 0"
for b in "$VIREO_SERVER" "$REDIS_SERVER" "$REDIS_BENCHMARK" "$REDIS_CLI"; do
  [[ -x $b ]] || die "not an executable: $b"
done
command -v taskset >/dev/null || die "taskset (util-linux) not found"

# ---- Server profiles -------------------------------------------------------
# Extra arguments given to BOTH servers, after the common ones. A test picks one
# with profile=NAME; servers are restarted whenever the profile changes.
declare -A PROFILES=(
  [default]=""
  [aof-always]="--appendonly yes --appendfsync always"
  [aof-everysec]="--appendonly yes --appendfsync everysec"
)
COMMON_SERVER_ARGS=(--bind 127.0.0.1 --save '' --appendonly no)

# ---- Test registry -----------------------------------------------------------
# Throughput:  tput "NAME" "REDIS-BENCHMARK ARGS" [key=value ...]
#   The args run once per server per round with -n added; use exactly one command
#   (-t X, or a custom command after the options), as each run must yield one CSV row.
#   populate=KEYS:SPEC  before each run, load KEYS keys of gen_load.py SPEC (e.g.
#                       string:3) so that GETs hit; keys match redis-benchmark -r naming
#   scale=F             -n = BENCH_REQUESTS * F (default 1); keeps every run a few seconds
#   target=rps:R        goal: Vireo req/s >= R x Redis's     (comma-separate several)
#   target=cpu:R        goal: Vireo CPU us/req <= R x Redis's
#   target=p99:R        goal: Vireo p99 latency <= R x Redis's
#   target=self:R       goal: Vireo req/s >= R x Vireo's own in the test named without the
#                       last ", ..." part of this name (the cost of a mode to Vireo itself)
#   profile=NAME        server profile (PROFILES above)
#   hook=FN             run "FN start PORT" before and "FN stop PORT" after each run
#   driver=NAME         run bench/NAME.c (compiled once per run) instead of redis-benchmark; it
#                       takes the same -h -p --csv -n options and prints one CSV row like it
# Memory:      rss "NAME" gen=SPEC [keys=N] [target=rss:R] [profile=NAME]
#   Fresh servers; VmRSS before and after loading N keys (default BENCH_KEYS) of SPEC.
T_KIND=() T_NAME=() T_ARGS=() T_OPTS=()
tput() { T_KIND+=(tput) T_NAME+=("$1") T_ARGS+=("$2") T_OPTS+=("${*:3}"); }
rss() { T_KIND+=(rss) T_NAME+=("$1") T_ARGS+=("") T_OPTS+=("${*:2}"); }

KS=$KEYSPACE KL=$KEYSPACE_LARGE
tput "SET, 50 clients"            "-t set -c 50 -r $KS"              target=cpu:1.0
tput "GET, 50 clients"            "-t get -c 50 -r $KS"              target=cpu:1.0 populate="$KS:string:3"
tput "SET, 50 clients, -P 32"     "-t set -c 50 -P 32 -r $KS"        target=rps:1.2 scale=10
tput "GET, 50 clients, -P 32"     "-t get -c 50 -P 32 -r $KS"        target=rps:1.2 scale=10 populate="$KS:string:3"
tput "SET, 1 client"              "-t set -c 1 -r $KS"               scale=0.2
tput "GET, 1 client"              "-t get -c 1 -r $KS"               scale=0.2 populate="$KS:string:3"
tput "SET, 50 clients, -d 4096"   "-t set -c 50 -d 4096 -r $KL"
tput "GET, 50 clients, -d 4096"   "-t get -c 50 -d 4096 -r $KL"      populate="$KL:string:4096"
rss  "strings, 16-byte values"    gen=string:16 keys="$KEYS" target=rss:0.8
# Container rows are pipelined: unpipelined, redis-benchmark saturates its own core first (see
# the SET/GET rows), and the ratio would measure the client rather than the servers.
tput "LPUSH, 50 clients, -P 32"   "-t lpush -c 50 -P 32"             target=rps:1.0 scale=5
tput "LPOP, 50 clients, -P 32"    "-t lpop -c 50 -P 32"              target=rps:1.0 scale=5 hook=fill_mylist
tput "LRANGE_100, 50 clients, -P 32" "-c 50 -P 32 LRANGE mylist 0 99" target=rps:1.0 hook=fill_mylist
tput "SADD, 50 clients, -P 32"    "-t sadd -c 50 -P 32 -r $KS"       target=rps:1.0 scale=5
tput "HSET, 50 clients, -P 32"    "-t hset -c 50 -P 32 -r $KS"       target=rps:1.0 scale=5
tput "ZADD, 50 clients, -P 32"    "-t zadd -c 50 -P 32 -r $KS"       target=rps:1.0 scale=5
rss  "hashes of 10 small fields"  gen=hash:10:8 keys=100000          target=rss:1.0
rss  "sorted sets of 10 members"  gen=zset:10 keys=100000            target=rss:1.0
# -n counts messages delivered (N / 1000 PUBLISHes): req/s is messages delivered per second,
# CPU/req the server's CPU per delivered message. bench/pubsub_fanout.c: 1,000 subscriber
# sockets in one epoll loop, one pipelining publisher, 16-byte messages.
tput "PUBLISH fan-out to 1,000 subscribers" "-c 1000 -d 16" driver=pubsub_fanout scale=40 target=rps:1.0
# -n counts transactions (MULTI, 10 x SET key:<-r random> <-d bytes>, EXEC, sent as one write, one
# in flight per connection): req/s is transactions per second, CPU/req the server's CPU per
# transaction (12 commands). bench/multi_exec.c checks every reply byte for byte. scale=1: ~4 s
# for Redis (~27k transactions/s on a 2-core machine).
tput "MULTI/EXEC of 10 SETs, 50 clients" "-c 50 -r $KS -d 3" driver=multi_exec scale=1 target=rps:1.0
# Durability: the log on, both servers in the same mode (Redis: appendonly yes, its AOF). Under
# always a reply waits for its fsync in both; Vireo's fsync runs off the loop, so one fsync
# covers every write that arrived while the previous one ran (group commit). Compare the
# always row with "SET, 50 clients" for the cost of durability to Vireo itself (goal >= 0.9x).
tput "SET, 50 clients, appendfsync always"   "-t set -c 50 -r $KS" profile=aof-always   target=rps:1.2,p99:1.0,self:0.9 scale=0.5
tput "SET, 50 clients, appendfsync everysec" "-t set -c 50 -r $KS" profile=aof-everysec target=rps:1.0,p99:1.0,self:0.9
# The same, pipelined: unpipelined, redis-benchmark's core is the ceiling for everysec and the
# fsync's CPU on the server's core for always; with 32 requests in flight per client the servers
# themselves are compared (an fsync covers up to 1,600 writes).
tput "SET, 50 clients, -P 32, appendfsync always"   "-t set -c 50 -P 32 -r $KS" profile=aof-always   target=rps:1.2,p99:1.0 scale=5
tput "SET, 50 clients, -P 32, appendfsync everysec" "-t set -c 50 -P 32 -r $KS" profile=aof-everysec target=rps:1.0,p99:1.0 scale=5

# ---- Helpers -----------------------------------------------------------------
fill_mylist() { # hook: before each run, mylist holds an element for every request to come
  [[ $1 == start ]] || return 0   # (LPOP runs at most scale=5)
  local port=$2 batches=$(((5 * REQUESTS + 999) / 1000)) file
  file="$WORK/mylist-$batches.resp"
  [[ -f $file ]] || "$PY" "$HERE/gen_load.py" mylist:1000 "$batches" "$file" || die "gen_load.py mylist failed"
  timeout 30 "$REDIS_CLI" -h 127.0.0.1 -p "$port" DEL mylist >/dev/null || die "DEL mylist failed on port $port"
  timeout "$RUN_TIMEOUT" "$REDIS_CLI" -h 127.0.0.1 -p "$port" --pipe <"$file" >/dev/null ||
    die "filling mylist on port $port failed"
}

build_driver() { # build_driver NAME: compiles bench/NAME.c into $WORK once; prints the binary
  local bin="$WORK/driver-$1"
  if [[ ! -x $bin ]]; then
    command -v cc >/dev/null || die "a C compiler (cc) is needed for bench/$1.c"
    cc -O2 -Wall -o "$bin" "$HERE/$1.c" >&2 || die "compiling bench/$1.c failed"
  fi
  echo "$bin"
}

opt() { # opt KEY DEFAULT "OPTS": value of KEY=... in OPTS, else DEFAULT
  local kv
  for kv in $3; do [[ $kv == "$1="* ]] && { echo "${kv#*=}"; return; }; done
  echo "$2"
}

WORK=$(mktemp -d /tmp/vireo-bench.XXXXXX)
declare -A PID=() PORT=([redis]=$PORT_REDIS [vireo]=$PORT_VIREO) BIN=([redis]=$REDIS_SERVER [vireo]=$VIREO_SERVER)
declare -A EXTRA=([redis]=$REDIS_EXTRA_ARGS [vireo]=$VIREO_EXTRA_ARGS)
declare -A SERVER_CMD=()
CUR_PROFILE=""

stop_server() {
  local s=$1 pid=${PID[$1]:-}
  [[ -n $pid ]] || return 0
  unset "PID[$s]"
  kill -TERM "$pid" 2>/dev/null || return 0
  local i
  for ((i = 0; i < 100; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
CHILD="" HOOK_ACTIVE=""
run_child() { # run_child STDIN STDOUT STDERR CMD...: in the background + wait, so signals act at once
  local in=$1 out=$2 err=$3 rc=0
  shift 3
  "$@" <"$in" >"$out" 2>"$err" &
  CHILD=$!
  wait "$CHILD" || rc=$?
  CHILD=""
  return "$rc"
}
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [[ -n $CHILD ]]; then kill -TERM "$CHILD" 2>/dev/null || true; wait "$CHILD" 2>/dev/null || true; fi
  if [[ -n $HOOK_ACTIVE ]]; then
    local -a h
    read -ra h <<<"$HOOK_ACTIVE"
    "${h[0]}" stop "${h[1]}" || true
  fi
  stop_server redis
  stop_server vireo
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
ping_ok() { [[ $(timeout 2 "$REDIS_CLI" -h 127.0.0.1 -p "$1" PING 2>/dev/null) == PONG ]]; }
cli() { timeout 30 "$REDIS_CLI" -h 127.0.0.1 -p "${PORT[$1]}" "${@:2}"; }
alive() { kill -0 "${PID[$1]}" 2>/dev/null || die "$1 server (pid ${PID[$1]}) died; log tail:
$(tail -n 20 "$WORK/$1.log" 2>/dev/null)"; }

start_server() { # start_server redis|vireo PROFILE
  local s=$1 port=${PORT[$1]} dir="$WORK/$1-data"
  port_in_use "$port" && die "port $port is already in use (set BENCH_PORT_${s^^})"
  rm -rf "$dir" && mkdir -p "$dir"
  local -a extra profile
  read -ra extra <<<"${EXTRA[$s]}"
  read -ra profile <<<"${PROFILES[$2]}"
  local -a cmd=(taskset -c "$SERVER_CPU" "${BIN[$s]}" --port "$port" --dir "$dir"
                "${COMMON_SERVER_ARGS[@]}" "${profile[@]}" "${extra[@]}")
  SERVER_CMD["$s ($2)"]=$(printf '%q ' "${cmd[@]}")
  "${cmd[@]}" >"$WORK/$s.log" 2>&1 &
  PID[$s]=$!
  local deadline=$((SECONDS + START_TIMEOUT))
  until ping_ok "$port"; do
    alive "$s"
    ((SECONDS < deadline)) || die "$s server did not answer PING on port $port within ${START_TIMEOUT}s"
    sleep 0.05
  done
  alive "$s"
  log "started $s (pid ${PID[$s]}, port $port, profile $2)"
}

use_profile() { # (re)start both servers unless already running with this profile
  local p=$1 fresh=${2:-}
  [[ -v PROFILES[$p] ]] || die "unknown server profile '$p'"
  [[ $p == "$CUR_PROFILE" && -z $fresh ]] && return 0
  stop_server redis; stop_server vireo
  start_server redis "$p"; start_server vireo "$p"
  CUR_PROFILE=$p
}

cpu_ticks() { # utime+stime of the whole process (all threads), in clock ticks
  local stat rest
  stat=$(</proc/"$1"/stat)
  rest=${stat##*) }
  local -a f
  read -ra f <<<"$rest"
  echo $((f[11] + f[12]))
}
rss_kb() { awk '/^VmRSS:/ {print $2}' /proc/"$1"/status; }
dbsize() { local n; n=$(cli "$1" DBSIZE) || die "DBSIZE failed on $1"; [[ $n =~ ^[0-9]+$ ]] || die "$1 DBSIZE: '$n'"; echo "$n"; }

load_data() { # load_data SERVER KEYS SPEC  (generated RESP files are cached in $WORK)
  local s=$1 keys=$2 spec=$3 file="$WORK/load-$3-$2.resp"
  file=${file//:/_}
  if [[ ! -f $file ]]; then
    "$PY" "$HERE/gen_load.py" "$spec" "$keys" "$file.tmp" || die "gen_load.py $spec $keys failed"
    mv "$file.tmp" "$file"
  fi
  local out
  if ! run_child "$file" "$WORK/load.out" "$WORK/load.err" \
      timeout "$RUN_TIMEOUT" taskset -c "$CLIENT_CPU" "$REDIS_CLI" -h 127.0.0.1 -p "${PORT[$s]}" --pipe; then
    die "loading $keys x $spec into $s failed:
$(cat "$WORK/load.out" "$WORK/load.err")"
  fi
  out=$(cat "$WORK/load.out" "$WORK/load.err")
  [[ $out == *"errors: 0, replies: $keys"* ]] || die "loading $keys x $spec into $s: unexpected result:
$out"
  alive "$s"
}

CLK_TCK=$(getconf CLK_TCK)
TPUT_TSV=$WORK/tput.tsv RSS_TSV=$WORK/rss.tsv TESTS_TSV=$WORK/tests.tsv
printf 'test\tround\tserver\trequests\trps\tcpu_us_per_req\tp50_ms\tp99_ms\tseconds\n' >"$TPUT_TSV"
printf 'test\tserver\tkeys\tdbsize\trss_before_kb\trss_after_kb\n' >"$RSS_TSV"
printf 'kind\ttest\ttarget\tcommand\n' >"$TESTS_TSV"

run_tput() { # run_tput TEST_INDEX ROUND SERVER N
  local i=$1 round=$2 s=$3 n=$4 opts=${T_OPTS[$1]} name=${T_NAME[$1]}
  local populate hook driver tool=$REDIS_BENCHMARK
  populate=$(opt populate "" "$opts")
  hook=$(opt hook "" "$opts")
  driver=$(opt driver "" "$opts")
  if [[ -n $driver ]]; then tool=$(build_driver "$driver"); fi
  if [[ -n $populate ]]; then
    load_data "$s" "${populate%%:*}" "${populate#*:}"
    local size
    size=$(dbsize "$s")
    ((size >= ${populate%%:*})) || die "$s holds $size keys, fewer than were just loaded"
  fi
  if [[ -n $hook ]]; then HOOK_ACTIVE="$hook ${PORT[$s]}"; "$hook" start "${PORT[$s]}"; fi
  local -a args
  eval "args=(${T_ARGS[$i]})"
  local -a cmd=(taskset -c "$CLIENT_CPU" "$tool" -h 127.0.0.1 -p "${PORT[$s]}" --csv -n "$n" "${args[@]}")
  local out="$WORK/run.csv" err="$WORK/run.err" t0 t1 c0 c1
  c0=$(cpu_ticks "${PID[$s]}")
  t0=$EPOCHREALTIME
  if ! run_child /dev/null "$out" "$err" timeout "$RUN_TIMEOUT" "${cmd[@]}"; then
    die "$(basename "$tool") failed against $s ($name): $(printf '%q ' "${cmd[@]}")
$(cat "$err"; head -n 5 "$out")"
  fi
  t1=$EPOCHREALTIME
  c1=$(cpu_ticks "${PID[$s]}")
  if [[ -n $hook ]]; then HOOK_ACTIVE=""; "$hook" stop "${PORT[$s]}"; fi
  alive "$s"
  if grep -viE '^WARNING: Could not fetch server CONFIG' "$err" | grep -qiE 'error|could not|refused|reset'; then
    die "redis-benchmark reported errors against $s ($name):
$(cat "$err")"
  fi
  if [[ -s $err ]]; then log "$s/$name: redis-benchmark said: $(tr '\n' ' ' <"$err")"; fi
  local rows
  rows=$(tail -n +2 "$out" | grep -c . || true)
  [[ $rows == 1 ]] || die "expected one CSV result row from redis-benchmark for '$name', got $rows:
$(cat "$out")"
  local rps p50 p99
  # The test name (first field) may contain commas; the 7 numeric fields after it do not.
  read -r rps p50 p99 < <(tail -n 1 "$out" | tr -d '"' | awk -F, '{print $(NF-6), $(NF-3), $(NF-1)}')
  if ! [[ $rps =~ ^[0-9.]+$ ]] || ! awk -v r="$rps" 'BEGIN{exit !(r > 0)}'; then
    die "bad req/s '$rps' from $s ($name)"
  fi
  local cpu_us secs
  cpu_us=$(awk -v d=$((c1 - c0)) -v hz="$CLK_TCK" -v n="$n" 'BEGIN{printf "%.4f", d * 1e6 / hz / n}')
  secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.2f", b - a}')
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$round" "$s" "$n" "$rps" "$cpu_us" "$p50" "$p99" "$secs" >>"$TPUT_TSV"
  log "round $round  $(printf '%-28s %-5s %12s req/s %8s us/req CPU %6ss' "$name" "$s" "$rps" "$cpu_us" "$secs")"
  if [[ $s == redis ]]; then LAST_CMD=$(printf '%q ' "${cmd[@]}"); fi
}

run_rss() { # run_rss TEST_INDEX
  local i=$1 opts=${T_OPTS[$1]} name=${T_NAME[$1]} gen keys s before after size
  gen=$(opt gen "" "$opts")
  keys=$(opt keys "$KEYS" "$opts")
  [[ -n $gen ]] || die "rss test '$name' needs gen=SPEC"
  use_profile "$(opt profile default "$opts")" fresh
  for s in redis vireo; do
    size=$(dbsize "$s")
    [[ $size == 0 ]] || die "$s is not empty before the RSS test ($size keys)"
    before=$(rss_kb "${PID[$s]}")
    load_data "$s" "$keys" "$gen"
    after=$(rss_kb "${PID[$s]}")
    size=$(dbsize "$s")
    [[ $size == "$keys" ]] || die "$s holds $size keys after loading $keys"
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$s" "$keys" "$size" "$before" "$after" >>"$RSS_TSV"
    log "rss  $(printf '%-28s %-5s %9s keys  VmRSS %8s -> %8s kB' "$name" "$s" "$size" "$before" "$after")"
  done
  printf 'rss\t%s\t%s\t%s\n' "$name" "$(opt target "" "$opts")" \
    "$(printf '%q ' "$REDIS_CLI" -p PORT --pipe) < \$(gen_load.py $gen $keys)" >>"$TESTS_TSV"
}

# ---- Run ---------------------------------------------------------------------
SELECTED=()
for i in "${!T_NAME[@]}"; do
  if [[ -z $ONLY || ${T_NAME[$i]} =~ $ONLY ]]; then SELECTED+=("$i"); fi
done
((${#SELECTED[@]})) || die "BENCH_ONLY='$ONLY' matches no test"

STARTED=$(date -u '+%Y-%m-%d %H:%M:%S UTC')
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
T_START=$SECONDS

declare -A TPUT_CMD=()
HAVE_TPUT=0
for i in "${SELECTED[@]}"; do if [[ ${T_KIND[$i]} == tput ]]; then HAVE_TPUT=1; fi; done
if ((HAVE_TPUT)); then
  for ((round = 1; round <= ROUNDS; round++)); do
    for i in "${SELECTED[@]}"; do
      [[ ${T_KIND[$i]} == tput ]] || continue
      use_profile "$(opt profile default "${T_OPTS[$i]}")"
      n=$(awk -v b="$REQUESTS" -v f="$(opt scale 1 "${T_OPTS[$i]}")" 'BEGIN{n = int(b * f); print (n < 1 ? 1 : n)}')
      for s in redis vireo; do # strict alternation: redis, vireo, redis, vireo, ...
        run_tput "$i" "$round" "$s" "$n"
      done
      TPUT_CMD[$i]=$LAST_CMD
    done
  done
  for i in "${SELECTED[@]}"; do
    [[ ${T_KIND[$i]} == tput ]] || continue
    printf 'tput\t%s\t%s\t%s\n' "${T_NAME[$i]}" "$(opt target "" "${T_OPTS[$i]}")" "${TPUT_CMD[$i]}" >>"$TESTS_TSV"
  done
fi
for i in "${SELECTED[@]}"; do
  if [[ ${T_KIND[$i]} == rss ]]; then run_rss "$i"; fi
done

# ---- Report --------------------------------------------------------------------
version_of() { # server version as reported over the wire (INFO server), else n/a
  cli "$1" INFO server 2>/dev/null | tr -d '\r' | awk -F: '/^(redis|vireo)_version:/ {printf "%s%s %s", sep, $1, $2; sep=", "}' || true
}
META=$WORK/meta.tsv
{
  printf 'date\t%s\n' "$STARTED"
  printf 'duration\t%ss\n' "$((SECONDS - T_START))"
  printf 'machine\t%s CPUs (nproc), %s, kernel %s\n' "$(nproc)" \
    "$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)" "$(uname -r)"
  printf 'loadavg\t%s at start, %s at end\n' "$LOAD_START" "$(cut -d' ' -f1-3 /proc/loadavg)"
  printf 'redis\t%s\n' "$("$REDIS_SERVER" --version)"
  printf 'vireo\t%s (%s)\n' "$VIREO_SERVER" "$(version_of vireo)"
  printf 'bench\t%s\n' "$(git -C "$HERE" describe --always --dirty 2>/dev/null || echo n/a)"
  printf 'invocation\t%s\n' "$INVOCATION"
  printf 'settings\t%s round(s), base -n %s, keyspace %s (-d 4096: %s), server on CPU %s, client on CPU %s\n' \
    "$ROUNDS" "$REQUESTS" "$KEYSPACE" "$KEYSPACE_LARGE" "$SERVER_CPU" "$CLIENT_CPU"
  for k in "${!SERVER_CMD[@]}"; do printf 'server_cmd %s\t%s\n' "$k" "${SERVER_CMD[$k]}"; done | sort
} >"$META"

mkdir -p "$RESULTS_DIR"
"$PY" "$HERE/report.py" "$WORK" "$RESULTS_DIR/latest.md" || die "report.py failed"
cp "$TPUT_TSV" "$RESULTS_DIR/latest-tput.tsv"
cp "$RSS_TSV" "$RESULTS_DIR/latest-rss.tsv"
log "report written to $RESULTS_DIR/latest.md"
