#!/usr/bin/env bash
# `make bench-scale` (issue 15; not in CI, not in `make bench`): does a
# durable ddb-server stay as fast at 10 million items as at 10 thousand, and
# does it start at once after a clean stop with them?
#
# One ddb-server (build/bin/ddb-server, --db-path in a temp dir, no
# throttling). bench/load.py's table "bench" (10,000 items, a GSI) is loaded
# once; table "bulk" (bench/bulk.lua's ~200-byte items, key pk) grows in steps
# to BENCH_SCALE_ITEMS (default 10,000,000): 10 thousand, 100 thousand, 1
# million, 10 million. At each step, once the server is quiet after the load
# (its background compactions done), with wrk at 16 connections: GetItem and
# Query (20 items) on "bench" (bench/ddb.lua), and GetItem of random items of
# the whole of "bulk" (bench/scale.lua). Then a clean stop (SIGTERM) and three
# starts, each timed from exec to accepting connections, the idle RSS after
# the last, and DescribeTable's ItemCount (counters kept across the stop).
#
# The report (bench/scale.py) is printed and written to
# build/bench-scale-results.txt: a row per step and operation (req/s, p50,
# p99, CPU us/req), the load rate, and the goals with PASS/MISS: each
# operation's CPU/req and p50 at the largest step within 1.3x of the
# smallest's, start-up under 100 ms, idle RSS under 30 MB, the counts right.
#
# Environment (all optional): BENCH_SECONDS (default 10), BENCH_WARMUP
# (default 1), BENCH_THREADS (default 1) as in bench/run.sh, and
#   BENCH_SCALE_ITEMS  the largest step (default 10000000; steps above it are
#                      left out, it is always the last)
#   BENCH_SCALE_CONNS  connections of the bulk load (default 4)
#   DDB_SERVER         the server binary (default build/bin/ddb-server)
# The data (about 3 GB at 10 million items) lives in a temp dir under TMPDIR,
# removed on exit. The server and wrk are stopped by their PIDs on exit.
set -euo pipefail

# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh" # ROOT, BENCH, PY, RUN_SECONDS, ...
SERVER=${DDB_SERVER:-$ROOT/build/bin/ddb-server}
OUT=$ROOT/build/bench-scale-results.txt
MAX=${BENCH_SCALE_ITEMS:-10000000}
LOAD_CONNS=${BENCH_SCALE_CONNS:-4}

die() {
  echo "bench scale: $*" >&2
  exit 1
}
log() { echo "bench scale: $*" >&2; }

command -v wrk >/dev/null || die "wrk not found (make bench-scale installs it)"
[ -x "$PY" ] || die "$PY not found"
[ -x "$SERVER" ] || die "$SERVER not found (make build)"
[[ $MAX =~ ^[0-9]+$ && $MAX -ge 1000 ]] || die "BENCH_SCALE_ITEMS must be an integer >= 1000"
[[ $LOAD_CONNS =~ ^[0-9]+$ && $LOAD_CONNS -gt 0 ]] || die "BENCH_SCALE_CONNS must be positive"
[[ $RUN_SECONDS =~ ^[0-9]+$ && $RUN_SECONDS -gt 0 ]] || die "BENCH_SECONDS must be a positive integer"

STEPS=()
for n in 10000 100000 1000000 10000000; do
  if ((n < MAX)); then STEPS+=("$n"); fi
done
STEPS+=("$MAX")

PID=""
stop_servers() {
  if [ -n "$PID" ]; then stop_pid "$PID"; fi
  PID=""
}
bench_start ddb-scale # TMP, LOAD_AT_START; stops wrk and the server on exit
DATA=$TMP/data
PORT=$($UTIL freeport)
URL="http://127.0.0.1:$PORT"

# start: starts the server on DATA; START_MS = milliseconds from exec to
# accepting a connection.
start() {
  local t0 rc=0
  t0=$EPOCHREALTIME
  "$SERVER" --port "$PORT" --db-path "$DATA" --no-throttling </dev/null >>"$TMP/server.log" 2>&1 &
  PID=$!
  wait_listening "$PID" 120 "$PORT" || rc=$?
  if ((rc != 0)); then
    tail -n 20 "$TMP/server.log" >&2 || true
    die "ddb-server did not start (see above)"
  fi
  START_MS=$(($(usec_between "$t0" "$LISTEN_AT") / 100))
  START_MS="$((START_MS / 10)).$((START_MS % 10))"
}

start
log "ddb-server on $PORT (pid $PID); steps: ${STEPS[*]} items"
$PY "$BENCH/load.py" "$URL" >&2 || die "loading table bench failed"
$PY "$BENCH/bulk.py" create "$URL" >&2 || die "creating table bulk failed"

RESULTS=$TMP/results.tsv
: >"$RESULTS"
FACTS=$TMP/facts
{
  echo "machine=$(nproc) cores, load average at start: $LOAD_AT_START"
  echo "seconds=$RUN_SECONDS"
  echo "threads=$THREADS"
  echo "load_conns=$LOAD_CONNS"
} >"$FACTS"

# measure STEP NAME WRK_ARGS...: one warm-up and one measured run; a row
# "STEP NAME stats..." in RESULTS.
measure() {
  local step=$1 name=$2 wlog=$TMP/wrk-$1-$2.log
  shift 2
  wrk_measure "$PID" "$wlog" -t"$THREADS" -c"$CONNS" --timeout 5s "$@"
  [ -n "${R[requests]:-}" ] || die "$name at $step items: wrk failed: $(wrk_tail "$wlog")"
  result_row "$step" "$name" >>"$RESULTS"
  log "$(printf '%9s %-11s ' "$step" "$name")$(result_summary)"
}

# settle: waits until the server is quiet after a load (under 5% of a core
# for two seconds in a row, at most 600 s): RocksDB's compactions of what was
# just loaded would otherwise run during the reads and count in their CPU per
# request. SETTLE_S = the seconds it took.
settle() {
  local prev now quiet=0 waited=0
  prev=$($UTIL cpu "$PID")
  while ((quiet < 2 && waited < 600)); do
    nap 1
    waited=$((waited + 1))
    now=$($UTIL cpu "$PID")
    if ((now - prev < 50000)); then quiet=$((quiet + 1)); else quiet=0; fi
    prev=$now
  done
  SETTLE_S=$waited
}

loaded=0
load_us=0
load_cpu_us=0
settle_s=""
for step in "${STEPS[@]}"; do
  n=$((step - loaded))
  wlog=$TMP/wrk-bulk-$step.log
  log "loading items $loaded .. $((step - 1)) ($n) with $LOAD_CONNS connections"
  cpu0=$($UTIL cpu "$PID")
  t0=$EPOCHREALTIME
  wrk_wait "$wlog" -t1 -c"$LOAD_CONNS" -d"$((n / 2000 + 60))s" --timeout 30s \
    -s "$BENCH/bulk.lua" "$URL/" -- "$n" bulk "$loaded"
  t1=$EPOCHREALTIME
  cpu1=$($UTIL cpu "$PID")
  read_result BULK_RESULT "$wlog"
  if [ "${R[acked]:-}" != "${R[batches]:-x}" ]; then
    die "bulk load to $step: ${R[acked]:-?} of ${R[batches]:-?} batches acknowledged" \
      "(${R[failed]:-?} failed): $(wrk_tail "$wlog")"
  fi
  load_us=$((load_us + $(usec_between "$t0" "$t1")))
  load_cpu_us=$((load_cpu_us + cpu1 - cpu0))
  loaded=$step
  settle
  settle_s="$settle_s $SETTLE_S"
  log "server quiet after the load: ${SETTLE_S} s"
  measure "$step" GetItem -s "$BENCH/ddb.lua" "$URL/" -- GetItem - "$THREADS"
  measure "$step" Query -s "$BENCH/ddb.lua" "$URL/" -- Query - "$THREADS"
  measure "$step" GetItemAny -s "$BENCH/scale.lua" "$URL/" -- "$step" bulk
done
echo "loaded=$loaded" >>"$FACTS"
echo "load_us=$load_us" >>"$FACTS"
echo "load_cpu_us=$load_cpu_us" >>"$FACTS"
echo "settle_s=${settle_s# }" >>"$FACTS"

# --- A clean stop, then three timed starts.
STARTUP=()
for i in 1 2 3; do
  stop_servers
  start
  STARTUP+=("$START_MS")
done
echo "startup_ms=${STARTUP[*]}" >>"$FACTS"
nap 2
echo "rss_kb_idle=$($UTIL rss "$PID")" >>"$FACTS"
count=$(BENCH_DIR=$BENCH $PY -c '
import os, sys
sys.path.insert(0, os.environ["BENCH_DIR"])
from load import Client
_, out = Client(sys.argv[1]).call("DescribeTable", {"TableName": "bulk"})
print(out["Table"]["ItemCount"])
' "$URL") || count="?"
echo "item_count_after_restart=$count" >>"$FACTS"

mkdir -p "$(dirname "$OUT")"
$PY "$BENCH/scale.py" "$RESULTS" "$FACTS" | tee "$OUT"
echo
echo "(written to ${OUT#"$ROOT"/})"
