#!/usr/bin/env bash
# The benchmark of issues 2 and 3 (`make bench`): drives build/bin/ddb-server
# with wrk and, side by side in the same run, two references on the same
# machine: dynalite (a Node.js DynamoDB emulator, in memory) and nginx
# answering '{}' to everything (the limit of this machine's HTTP path).
#
# Against a table of 10,000 items with one global secondary index (bench/load.py
# creates it with the table on both servers), with 16 connections: GetItem,
# PutItem, Query (20 items), UpdateItem (ADD), Query on the GSI (20 items),
# BatchWriteItem (25 items) and TransactWriteItems (4 actions; dynalite has no
# transactions: n/a); nginx runs the first four only. On ddb-server alone,
# PutItem on a same table without the index (for the index's cost), and
# GetItem over 1 connection on all three. For each it prints requests/s (and
# items/s for multi-item writes), p50, p99 and the server's CPU time per
# request (utime+stime from /proc over the run).
#
# Then the bulk load, against a fresh ddb-server alone (the others stopped):
# BENCH_LOAD_ITEMS new ~200-byte items written by one client (wrk -t1 -c1,
# bench/bulk.lua) with sequential BatchWriteItem calls of 25 items; the wall
# time from starting wrk to its exit after the last answer, and a check
# (bench/bulk.py) that the table then holds exactly those items.
#
# Last, the issues' goals with PASS/MISS. The report is also written to
# build/bench-results.txt. Then, with every server above stopped, the API of
# issue 5 (bench/api.sh: `cruddur serve` alone), its section appended.
#
# Environment (all optional):
#   BENCH_SECONDS       seconds per measured run (default 10)
#   BENCH_WARMUP        seconds of unmeasured load before each run (default 1; 0 = none)
#   BENCH_THREADS       wrk threads for the 16-connection runs (default 1)
#   BENCH_LOAD_ITEMS    items of the bulk load (default 1000000; 0 = skip it)
#   BENCH_LOAD_TIMEOUT  seconds after which the bulk load is cut short and
#                       reported unfinished (default 120 per million items, >= 30)
#   DDB_SERVER          the server binary (default build/bin/ddb-server)
#   BENCH_SKIP_API=1    skip the API part (bench/api.sh; CRUDDUR names its binary)
#
# Needs wrk, /usr/bin/python3 and the server; nginx and dynalite (npm, installed
# into bench/node_modules from bench/package-lock.json) are used when present
# and reported "unavailable" otherwise. Every server it starts is stopped by
# its PID on exit, also on failure or Ctrl-C.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH=$ROOT/bench
PY=/usr/bin/python3
export PYTHONDONTWRITEBYTECODE=1 # bulk.py imports load.py: no bench/__pycache__
UTIL="$PY $BENCH/util.py"
SERVER=${DDB_SERVER:-$ROOT/build/bin/ddb-server}
RUN_SECONDS=${BENCH_SECONDS:-10}
WARMUP=${BENCH_WARMUP:-1}
THREADS=${BENCH_THREADS:-1}
CONNS=16
OUT=$ROOT/build/bench-results.txt
LOAD_ITEMS=${BENCH_LOAD_ITEMS:-1000000}
# The runs, in order: "operation servers..." (bench/ddb.lua's operation names).
PLAN=(
  "GetItem ddb-server dynalite nginx"
  "PutItem ddb-server dynalite nginx"
  "PutItemNoIndex ddb-server"
  "Query ddb-server dynalite nginx"
  "QueryIndex ddb-server dynalite"
  "UpdateItem ddb-server dynalite nginx"
  "BatchWriteItem ddb-server dynalite"
  "TransactWriteItems ddb-server" # dynalite has no transactions
)

die() {
  echo "bench: $*" >&2
  exit 1
}
log() { echo "bench: $*" >&2; }

command -v wrk >/dev/null || die "wrk not found (make bench installs it)"
[ -x "$PY" ] || die "$PY not found"
[ -x "$SERVER" ] || die "$SERVER not found (make build)"
[[ $RUN_SECONDS =~ ^[0-9]+$ && $RUN_SECONDS -gt 0 ]] || die "BENCH_SECONDS must be a positive integer"
[[ $WARMUP =~ ^[0-9]+$ ]] || die "BENCH_WARMUP must be a non-negative integer"
[[ $LOAD_ITEMS =~ ^[0-9]+$ ]] || die "BENCH_LOAD_ITEMS must be a non-negative integer"
LOAD_TIMEOUT=${BENCH_LOAD_TIMEOUT:-$(((LOAD_ITEMS * 120 + 999999) / 1000000))}
if [ -z "${BENCH_LOAD_TIMEOUT:-}" ] && ((LOAD_TIMEOUT < 30)); then LOAD_TIMEOUT=30; fi
[[ $LOAD_TIMEOUT =~ ^[0-9]+$ && $LOAD_TIMEOUT -gt 0 ]] ||
  die "BENCH_LOAD_TIMEOUT must be a positive integer"

LOAD_AT_START=$(cut -d' ' -f1-3 /proc/loadavg)
TMP=$(mktemp -d "${TMPDIR:-/tmp}/ddb-bench.XXXXXX")
declare -A PID=() PORT=()
STATUS=()  # "server=state" lines for the report (e.g. dynalite=unavailable)

# A sleep that forks nothing: read with a timeout from a FIFO no one writes.
mkfifo "$TMP/sleep.fifo"
exec {SLEEP_FD}<>"$TMP/sleep.fifo"
nap() { read -r -t "$1" -u "$SLEEP_FD" _ || true; }

# Stops one of our processes by PID: SIGTERM, then SIGKILL after 5 s.
stop_pid() {
  local pid=$1 i
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < 100; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    nap 0.05
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

WRK_PID=""
cleanup() {
  local name
  if [ -n "$WRK_PID" ]; then stop_pid "$WRK_PID"; fi
  for name in "${!PID[@]}"; do
    stop_pid "${PID[$name]}"
  done
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# start NAME CMD...: starts a server (a child of this shell, output to
# $TMP/NAME.log) that must listen on PORT[NAME]; records its PID in PID[NAME]
# and the milliseconds from exec to accepting a connection in START_MS. The
# poll loop forks nothing, so it costs the starting server no CPU to speak of.
START_MS=""
start() {
  local name=$1 port=${PORT[$1]} t0 t1 i
  shift
  t0=$EPOCHREALTIME
  "$@" </dev/null >>"$TMP/$name.log" 2>&1 &
  PID[$name]=$!
  for ((i = 0; i < 30000; i++)); do # ~30 s
    if true 2>/dev/null <"/dev/tcp/127.0.0.1/$port"; then
      t1=$EPOCHREALTIME
      START_MS=$(((${t1//[.,]/} - ${t0//[.,]/}) / 100))
      START_MS="$((START_MS / 10)).$((START_MS % 10))"
      return 0
    fi
    if ! kill -0 "${PID[$name]}" 2>/dev/null; then
      log "$name exited before listening; its output:"
      sed 's/^/  /' "$TMP/$name.log" >&2 || true
      unset "PID[$name]"
      return 1
    fi
    nap 0.001
  done
  log "$name not listening on $port after 30 s"
  stop_pid "${PID[$name]}"
  unset "PID[$name]"
  return 1
}

# --- ddb-server: startup time over fresh data directories, then the real one.
STARTUP=()
for i in 1 2 3; do
  PORT[probe]=$($UTIL freeport)
  start probe "$SERVER" --port "${PORT[probe]}" --db-path "$TMP/startup-$i" ||
    die "ddb-server did not start"
  STARTUP+=("$START_MS")
  stop_pid "${PID[probe]}"
  unset 'PID[probe]'
done
PORT[ddb-server]=$($UTIL freeport)
start ddb-server "$SERVER" --port "${PORT[ddb-server]}" --db-path "$TMP/ddb-data" ||
  die "ddb-server did not start"
STARTUP+=("$START_MS")
log "ddb-server listening on ${PORT[ddb-server]} (pid ${PID[ddb-server]}); startup ms: ${STARTUP[*]}"

# --- dynalite, in memory.
DYNALITE_CLI=$BENCH/node_modules/dynalite/cli.js
if [ ! -f "$DYNALITE_CLI" ] && command -v npm >/dev/null; then
  log "installing dynalite into bench/node_modules (npm ci)"
  timeout 300 npm ci --prefix "$BENCH" --no-audit --no-fund --loglevel=error \
    --fetch-retries=1 --fetch-retry-mintimeout=2000 --fetch-retry-maxtimeout=5000 \
    >"$TMP/npm.log" 2>&1 || log "npm ci failed: $(tail -n 3 "$TMP/npm.log" | tr '\n' ' ')"
fi
if [ -f "$DYNALITE_CLI" ] && command -v node >/dev/null; then
  PORT[dynalite]=$($UTIL freeport)
  if start dynalite node "$DYNALITE_CLI" --host 127.0.0.1 --port "${PORT[dynalite]}" \
    --createTableMs 0 --deleteTableMs 0 --updateTableMs 0; then
    log "dynalite listening on ${PORT[dynalite]} (pid ${PID[dynalite]})"
  else
    unset 'PORT[dynalite]'
  fi
fi
if [ -z "${PID[dynalite]:-}" ]; then
  echo "dynalite: unavailable"
  STATUS+=("dynalite=unavailable")
fi

# --- nginx: the no-op reference, run as the current user from a temp prefix.
if command -v nginx >/dev/null || [ -x /usr/sbin/nginx ]; then
  NGINX=$(command -v nginx || echo /usr/sbin/nginx)
  PORT[nginx]=$($UTIL freeport)
  mkdir -p "$TMP/nginx"
  cat >"$TMP/nginx/nginx.conf" <<EOF
# Written by bench/run.sh: answers '{}' to every request.
user $(id -un) $(id -gn);
worker_processes auto;
daemon off;
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $TMP/nginx/body;
  proxy_temp_path $TMP/nginx/proxy;
  fastcgi_temp_path $TMP/nginx/fastcgi;
  uwsgi_temp_path $TMP/nginx/uwsgi;
  scgi_temp_path $TMP/nginx/scgi;
  keepalive_requests 100000000;
  keepalive_timeout 300s;
  server {
    listen 127.0.0.1:${PORT[nginx]};
    location / {
      default_type application/x-amz-json-1.0;
      return 200 '{}';
    }
  }
}
EOF
  if start nginx "$NGINX" -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf" -e "$TMP/nginx/error.log"; then
    log "nginx listening on ${PORT[nginx]} (pid ${PID[nginx]})"
  else
    unset 'PORT[nginx]'
  fi
fi
if [ -z "${PID[nginx]:-}" ]; then
  echo "nginx: unavailable"
  STATUS+=("nginx=unavailable")
fi

# --- Load the table (with its GSI) into both DynamoDB servers, and the same
# items into a table without an index on ddb-server.
$PY "$BENCH/load.py" "http://127.0.0.1:${PORT[ddb-server]}" >&2 || die "loading ddb-server failed"
$PY "$BENCH/load.py" "http://127.0.0.1:${PORT[ddb-server]}" --table bench_noindex --no-index >&2 ||
  die "loading ddb-server failed"
if [ -n "${PID[dynalite]:-}" ]; then
  if ! $PY "$BENCH/load.py" "http://127.0.0.1:${PORT[dynalite]}" --no-transactions >&2; then
    log "loading dynalite failed; leaving it out"
    stop_pid "${PID[dynalite]}"
    unset 'PID[dynalite]'
    echo "dynalite: unavailable"
    STATUS+=("dynalite=unavailable")
  fi
fi
nap 2 # let the server settle (flushes, compactions) before reading its idle size
RSS_IDLE=$($UTIL rss "${PID[ddb-server]}")

# --- The runs.
SERVERS=(ddb-server)
for name in dynalite nginx; do
  if [ -n "${PID[$name]:-}" ]; then SERVERS+=("$name"); fi
done
RESULTS=$TMP/results.tsv
: >"$RESULTS"

# run NAME OP CONNS: one warm-up and one measured wrk run; appends a row to
# $RESULTS: server op conns requests duration_us rps p50_us p99_us cpu_us errors
run() {
  local name=$1 op=$2 conns=$3 threads=$THREADS pid=${PID[$1]} cpu0 cpu1 kv wlog
  local -A r=()
  if ((conns < threads)); then threads=$conns; fi
  local url="http://127.0.0.1:${PORT[$name]}/"
  local args=(-t"$threads" -c"$conns" --timeout 5s -s "$BENCH/ddb.lua" "$url" -- "$op" - "$threads")
  wlog=$TMP/wrk-$name-$op-$conns.log
  if ((WARMUP > 0)); then
    wrk -d"${WARMUP}s" "${args[@]}" >/dev/null 2>&1 &
    WRK_PID=$!
    wait "$WRK_PID" || true
    WRK_PID=""
  fi
  # wrk stops quietly on SIGINT, so run it in the background and wait: a
  # Ctrl-C then reaches this shell's trap as well.
  cpu0=$($UTIL cpu "$pid")
  wrk -d"${RUN_SECONDS}s" "${args[@]}" >"$wlog" 2>&1 &
  WRK_PID=$!
  wait "$WRK_PID" || true
  WRK_PID=""
  cpu1=$($UTIL cpu "$pid")
  for kv in $(grep '^BENCH_RESULT' "$wlog" || true); do
    if [[ $kv == *=* ]]; then r[${kv%%=*}]=${kv#*=}; fi
  done
  if ! kill -0 "$pid" 2>/dev/null; then
    log "$name exited during $op; the end of its output:"
    tail -n 20 "$TMP/$name.log" >&2 || true
    wait "$pid" 2>/dev/null || true
    unset "PID[$name]"
    STATUS+=("$name=exited during $op")
  fi
  if [ -z "${r[requests]:-}" ]; then
    log "$name $op c$conns: wrk failed: $(tail -n 3 "$wlog" | tr '\n' ' ')"
    return 0
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$op" "$conns" "${r[requests]}" \
    "${r[duration_us]}" "${r[rps]}" "${r[p50_us]}" "${r[p99_us]}" "$((cpu1 - cpu0))" \
    "$((r[errors_status] + r[errors_socket]))" >>"$RESULTS"
  log "$(printf '%-10s %-10s c%-2s %8.0f req/s  p50 %6.0f us  p99 %6.0f us  errors %s' \
    "$op" "$name" "$conns" "${r[rps]}" "${r[p50_us]}" "${r[p99_us]}" \
    "$((r[errors_status] + r[errors_socket]))")"
}

log "runs of ${RUN_SECONDS} s (+${WARMUP} s warm-up) with wrk -t$THREADS -c$CONNS"
for step in "${PLAN[@]}"; do
  read -r op names <<<"$step"
  for name in $names; do
    if [ -n "${PID[$name]:-}" ]; then run "$name" "$op" "$CONNS"; fi
  done
done
for name in "${SERVERS[@]}"; do
  if [ -n "${PID[$name]:-}" ]; then run "$name" GetItem 1; fi
done
RSS_END=""
if [ -n "${PID[ddb-server]:-}" ]; then RSS_END=$($UTIL rss "${PID[ddb-server]}" 2>/dev/null || true); fi

# --- The bulk load: a fresh ddb-server alone on the machine, one client.
BULK=() # key=value facts for the report
bulk_load() {
  local url kv wlog=$TMP/wrk-bulk.log t0 t1 cpu0 cpu1 name
  local -A r=()
  for name in "${!PID[@]}"; do # idle now, but they hold memory and may compact
    stop_pid "${PID[$name]}"
    unset "PID[$name]"
  done
  rm -rf "$TMP/ddb-data"
  PORT[bulk]=$($UTIL freeport)
  if ! start bulk "$SERVER" --port "${PORT[bulk]}" --db-path "$TMP/bulk-data"; then
    BULK+=("bulk_state=ddb-server did not start")
    return 0
  fi
  url="http://127.0.0.1:${PORT[bulk]}"
  if ! $PY "$BENCH/bulk.py" create "$url" >&2; then
    BULK+=("bulk_state=CreateTable failed")
    return 0
  fi
  log "bulk load: $LOAD_ITEMS items, BatchWriteItem of 25, wrk -t1 -c1 (at most $LOAD_TIMEOUT s)"
  cpu0=$($UTIL cpu "${PID[bulk]}")
  t0=$EPOCHREALTIME
  wrk -t1 -c1 -d"${LOAD_TIMEOUT}s" --timeout 30s -s "$BENCH/bulk.lua" "$url/" -- "$LOAD_ITEMS" \
    >"$wlog" 2>&1 &
  WRK_PID=$!
  wait "$WRK_PID" || true
  WRK_PID=""
  t1=$EPOCHREALTIME
  cpu1=$($UTIL cpu "${PID[bulk]}")
  for kv in $(grep '^BULK_RESULT' "$wlog" || true); do
    if [[ $kv == *=* ]]; then r[${kv%%=*}]=${kv#*=}; fi
  done
  if [ -z "${r[acked]:-}" ]; then
    log "bulk load: wrk failed: $(tail -n 3 "$wlog" | tr '\n' ' ')"
    BULK+=("bulk_state=wrk failed")
    return 0
  fi
  BULK+=("bulk_items=$LOAD_ITEMS" "bulk_batches=${r[batches]}" "bulk_acked=${r[acked]}"
    "bulk_failed=${r[failed]}" "bulk_wall_us=$((${t1//[.,]/} - ${t0//[.,]/}))"
    "bulk_wrk_us=${r[duration_us]}" "bulk_cpu_us=$((cpu1 - cpu0))" "bulk_timeout=$LOAD_TIMEOUT")
  log "bulk load: ${r[acked]} of ${r[batches]} batches acknowledged in" \
    "$((r[duration_us] / 1000)) ms (wrk); checking the table"
  if ((r[acked] == r[batches])); then
    if kv=$($PY "$BENCH/bulk.py" verify "$url" "$LOAD_ITEMS"); then
      log "bulk load: $kv"
      BULK+=("bulk_verified=$kv")
    else
      BULK+=("bulk_verified=FAILED")
    fi
  fi
  stop_pid "${PID[bulk]}"
  unset 'PID[bulk]'
  rm -rf "$TMP/bulk-data"
}
if ((LOAD_ITEMS > 0)); then bulk_load; fi

# --- The report.
{
  echo "machine=$(nproc) cores, load average at start: $LOAD_AT_START"
  echo "seconds=$RUN_SECONDS"
  echo "threads=$THREADS"
  echo "startup_ms=${STARTUP[*]}"
  echo "rss_kb_idle=$RSS_IDLE"
  if [ -n "$RSS_END" ]; then echo "rss_kb_end=$RSS_END"; fi
  for s in "${STATUS[@]}" "${BULK[@]}"; do echo "$s"; done
} >"$TMP/facts"
mkdir -p "$(dirname "$OUT")"
echo
$PY "$BENCH/report.py" "$RESULTS" "$TMP/facts" | tee "$OUT"
if [ "${BENCH_SKIP_API:-0}" != 1 ]; then
  for name in "${!PID[@]}"; do
    stop_pid "${PID[$name]}"
    unset "PID[$name]"
  done
  echo | tee -a "$OUT"
  "$BENCH/api.sh" | tee -a "$OUT" || log "bench/api.sh failed"
fi
echo
echo "(written to ${OUT#"$ROOT"/})"
