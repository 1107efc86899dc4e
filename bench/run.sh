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
# Also ddb-server --in-memory on GetItem, PutItem and UpdateItem (issue 15:
# the write path's cost without the disk).
#
# Last, the issues' goals with PASS/MISS. The report is also written to
# build/bench-results.txt. Then, with every server above stopped, the API of
# issue 5 (bench/api.sh: `cruddur serve` alone), its section appended, and the
# web section of issue 12 (bench/web.sh: the built app in headless Chromium,
# live updates with 200 listening clients), appended too.
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
#   BENCH_SKIP_WEB=1    skip the web part (bench/web.sh; its settings are listed there)
#   BENCH_ONLY=api|web  run only that part (bench/api.sh or bench/web.sh), written
#                       to build/bench-results-api.txt / build/bench-results-web.txt
#   BENCH_BASELINE      another ddb-server binary (e.g. an earlier commit's, built by
#                       scripts/build-baseline.sh) run side by side on the read
#                       operations and PutItem, for before/after ratios in one run
#
# Needs wrk, /usr/bin/python3 and the server; nginx and dynalite (npm, installed
# into bench/node_modules from bench/package-lock.json) are used when present
# and reported "unavailable" otherwise. Every server it starts is stopped by
# its PID on exit, also on failure or Ctrl-C.
set -euo pipefail

# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh" # ROOT, BENCH, PY, RUN_SECONDS, ...
SERVER=${DDB_SERVER:-$ROOT/build/bin/ddb-server}
OUT=$ROOT/build/bench-results.txt
case "${BENCH_ONLY:-}" in
  "") ;;
  api | web)
    OUT=$ROOT/build/bench-results-$BENCH_ONLY.txt
    mkdir -p "$(dirname "$OUT")"
    rc=0
    "$BENCH/$BENCH_ONLY.sh" | tee "$OUT" || rc=$?
    echo
    echo "(written to ${OUT#"$ROOT"/})"
    exit "$rc"
    ;;
  *)
    echo "bench: BENCH_ONLY must be api or web" >&2
    exit 2
    ;;
esac
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

declare -A PID=() PORT=()
STATUS=()  # "server=state" lines for the report (e.g. dynalite=unavailable)

# Stops every server started (below) by its PID.
stop_servers() {
  local name
  for name in "${!PID[@]}"; do
    stop_pid "${PID[$name]}"
    unset "PID[$name]"
  done
}
bench_start ddb-bench # TMP, LOAD_AT_START; stops wrk and the servers on exit

# start NAME CMD...: starts a server (a child of this shell, output to
# $TMP/NAME.log) that must listen on PORT[NAME]; records its PID in PID[NAME]
# and the milliseconds from exec to accepting a connection in START_MS.
START_MS=""
start() {
  local name=$1 port=${PORT[$1]} t0 rc=0
  shift
  t0=$EPOCHREALTIME
  "$@" </dev/null >>"$TMP/$name.log" 2>&1 &
  PID[$name]=$!
  wait_listening "${PID[$name]}" 30 "$port" || rc=$?
  if ((rc == 0)); then
    START_MS=$(($(usec_between "$t0" "$LISTEN_AT") / 100))
    START_MS="$((START_MS / 10)).$((START_MS % 10))"
    return 0
  fi
  if ((rc == 1)); then
    log "$name exited before listening; its output:"
    sed 's/^/  /' "$TMP/$name.log" >&2 || true
  else
    log "$name not listening on $port after 30 s"
    stop_pid "${PID[$name]}"
  fi
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

# --- ddb-server --in-memory: the write path's own cost, without the disk
# (issue 15), on GetItem, PutItem and UpdateItem.
PORT[ddb-memory]=$($UTIL freeport)
if start ddb-memory "$SERVER" --port "${PORT[ddb-memory]}" --in-memory; then
  log "ddb-server --in-memory listening on ${PORT[ddb-memory]} (pid ${PID[ddb-memory]})"
  for op in GetItem PutItem UpdateItem; do
    PLAN=("${PLAN[@]/#$op ddb-server/$op ddb-server ddb-memory}")
  done
else
  unset 'PORT[ddb-memory]'
  STATUS+=("ddb-memory=did not start")
fi

# --- The baseline (BENCH_BASELINE), durable like ddb-server.
BASELINE=${BENCH_BASELINE:-}
if [ -n "$BASELINE" ]; then
  [ -x "$BASELINE" ] || die "BENCH_BASELINE=$BASELINE is not an executable"
  PORT[baseline]=$($UTIL freeport)
  start baseline "$BASELINE" --port "${PORT[baseline]}" --db-path "$TMP/baseline-data" ||
    die "the baseline did not start"
  log "baseline listening on ${PORT[baseline]} (pid ${PID[baseline]})"
  PLAN=("${PLAN[@]/#GetItem ddb-server/GetItem baseline ddb-server}")
  PLAN=("${PLAN[@]/#Query ddb-server/Query baseline ddb-server}")
  PLAN=("${PLAN[@]/#QueryIndex ddb-server/QueryIndex baseline ddb-server}")
  PLAN=("${PLAN[@]/#PutItem ddb-server/PutItem baseline ddb-server}")
fi

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
if [ -n "${PID[baseline]:-}" ]; then
  $PY "$BENCH/load.py" "http://127.0.0.1:${PORT[baseline]}" >&2 || die "loading the baseline failed"
fi
if [ -n "${PID[ddb-memory]:-}" ]; then
  $PY "$BENCH/load.py" "http://127.0.0.1:${PORT[ddb-memory]}" >&2 ||
    die "loading ddb-server --in-memory failed"
fi
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
for name in baseline dynalite nginx; do
  if [ -n "${PID[$name]:-}" ]; then SERVERS+=("$name"); fi
done
RESULTS=$TMP/results.tsv
: >"$RESULTS"

# run NAME OP CONNS: one warm-up and one measured wrk run; appends a row to
# $RESULTS: server op conns requests duration_us rps p50_us p99_us cpu_us errors
run() {
  local name=$1 op=$2 conns=$3 threads=$THREADS pid=${PID[$1]} wlog
  if ((conns < threads)); then threads=$conns; fi
  local url="http://127.0.0.1:${PORT[$name]}/"
  local args=(-t"$threads" -c"$conns" --timeout 5s -s "$BENCH/ddb.lua" "$url" -- "$op" - "$threads")
  wlog=$TMP/wrk-$name-$op-$conns.log
  wrk_measure "$pid" "$wlog" "${args[@]}"
  if ! kill -0 "$pid" 2>/dev/null; then
    log "$name exited during $op; the end of its output:"
    tail -n 20 "$TMP/$name.log" >&2 || true
    wait "$pid" 2>/dev/null || true
    unset "PID[$name]"
    STATUS+=("$name=exited during $op")
  fi
  if [ -z "${R[requests]:-}" ]; then
    log "$name $op c$conns: wrk failed: $(wrk_tail "$wlog")"
    return 0
  fi
  result_row "$name" "$op" "$conns" >>"$RESULTS"
  log "$(printf '%-10s %-10s c%-2s ' "$op" "$name" "$conns")$(result_summary)"
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
  local url kv wlog=$TMP/wrk-bulk.log t0 t1 cpu0 cpu1
  stop_servers # idle now, but they hold memory and may compact
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
  wrk_wait "$wlog" -t1 -c1 -d"${LOAD_TIMEOUT}s" --timeout 30s -s "$BENCH/bulk.lua" "$url/" \
    -- "$LOAD_ITEMS"
  t1=$EPOCHREALTIME
  cpu1=$($UTIL cpu "${PID[bulk]}")
  read_result BULK_RESULT "$wlog"
  if [ -z "${R[acked]:-}" ]; then
    log "bulk load: wrk failed: $(wrk_tail "$wlog")"
    BULK+=("bulk_state=wrk failed")
    return 0
  fi
  BULK+=("bulk_items=$LOAD_ITEMS" "bulk_batches=${R[batches]}" "bulk_acked=${R[acked]}"
    "bulk_failed=${R[failed]}" "bulk_wall_us=$(usec_between "$t0" "$t1")"
    "bulk_wrk_us=${R[duration_us]}" "bulk_cpu_us=$((cpu1 - cpu0))" "bulk_timeout=$LOAD_TIMEOUT")
  log "bulk load: ${R[acked]} of ${R[batches]} batches acknowledged in" \
    "$((R[duration_us] / 1000)) ms (wrk); checking the table"
  if ((R[acked] == R[batches])); then
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
  if [ -n "$BASELINE" ]; then echo "baseline=$BASELINE"; fi
  echo "startup_ms=${STARTUP[*]}"
  echo "rss_kb_idle=$RSS_IDLE"
  if [ -n "$RSS_END" ]; then echo "rss_kb_end=$RSS_END"; fi
  for s in "${STATUS[@]}" "${BULK[@]}"; do echo "$s"; done
} >"$TMP/facts"
mkdir -p "$(dirname "$OUT")"
echo
$PY "$BENCH/report.py" "$RESULTS" "$TMP/facts" | tee "$OUT"
if [ "${BENCH_SKIP_API:-0}" != 1 ]; then
  stop_servers
  echo | tee -a "$OUT"
  "$BENCH/api.sh" | tee -a "$OUT" || log "bench/api.sh failed"
fi
if [ "${BENCH_SKIP_WEB:-0}" != 1 ]; then
  stop_servers
  echo | tee -a "$OUT"
  "$BENCH/web.sh" | tee -a "$OUT" || log "bench/web.sh failed"
fi
echo
echo "(written to ${OUT#"$ROOT"/})"
