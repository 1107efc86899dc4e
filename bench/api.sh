#!/usr/bin/env bash
# The API part of `make bench` (issue 5): one `cruddur serve` process (its
# in-process DynamoDB engine and local user pool on one port, the API on the
# other), seeded on its first start in a fresh data directory. Signs the dev
# user in once (bench/api.py, boto3) and then, with wrk at 16 connections
# (bench/api.lua), in this order:
#   Query         the engine's own Query through serve's DynamoDB port: the
#                 Query of GET /api/messages/{g} (pk = MSG#<g>, newest first,
#                 Limit 20) on the seeded conversation
#   GetMessages   GET /api/messages/5ae290ed-... (20 messages)
#   GetGroups     GET /api/message_groups
#   Transact      the engine's own TransactWriteItems of a send's shape (five
#                 actions on new keys) through serve's DynamoDB port: the
#                 reference of issue 15's send goals
#   PostMessage   POST /api/messages into that conversation, a new text each
#   PostMany      POST /api/messages into 100 conversations of the dev user in
#                 turn (bench/api.py groups writes them into the table)
#   GetMessagesAfter, GetGroupsAfter
#                 the two GETs again, after those POSTs (each POST replaces
#                 both participants' inbox items: the table and its index
#                 now hold what they deleted)
#   BadSignature  GET /api/messages/... with a token whose signature is
#                 wrong and different in each request (401 after the full
#                 signature check, which no cache can skip)
#   Malformed     the same with "Bearer null" (401 before any crypto)
# For each: requests/s, p50, p99 and serve's CPU time per request
# (utime+stime from /proc over the run, bench/util.py). Then the goals:
# each GET at least 0.5x the engine Query's requests/s, PASS/MISS; the token
# check's cost (BadSignature's CPU/req minus Malformed's); and issue 15's:
# no failed send, POST p99 <= 5x and CPU/req <= 2x the engine transaction's,
# POST into 100 conversations >= 0.5x its req/s, each GET >= 0.9x the engine
# Query's req/s and <= 1.2x its CPU/req.
#
# Prints the report section on stdout (bench/run.sh appends it to
# build/bench-results.txt), progress on stderr. When it cannot run it prints
# one "n/a" line instead and exits 1.
#
# Environment (all optional): BENCH_SECONDS (default 10), BENCH_WARMUP
# (default 1), BENCH_THREADS (default 1) as in bench/run.sh, and
#   CRUDDUR             the binary (default build/bin/cruddur)
#   BENCH_API_MEMORY=1  serve --in-memory (default: durable, in a temp dir)
# The serve process and wrk are stopped by their PIDs on exit, also on
# failure or Ctrl-C.
set -euo pipefail

# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh" # ROOT, BENCH, PY, RUN_SECONDS, ...
API="$PY $BENCH/api.py"
CRUDDUR=${CRUDDUR:-$ROOT/build/bin/cruddur}
GROUP=5ae290ed-55d1-47a0-bc6d-fe2bc2700399
TABLE=${DDB_MESSAGE_TABLE:-cruddur-messages}

log() { echo "bench api: $*" >&2; }
# Not run: one report line on stdout, the reason on stderr too.
na() {
  log "$*"
  echo "cruddur API benchmark (issue 5): n/a ($*)"
  exit 1
}

command -v wrk >/dev/null || na "wrk not found"
[ -x "$PY" ] || na "$PY not found"
"$PY" -c 'import boto3' 2>/dev/null || na "boto3 not importable by $PY (apt install python3-boto3)"
[ -x "$CRUDDUR" ] || na "$CRUDDUR not found (make build)"
[[ $RUN_SECONDS =~ ^[0-9]+$ && $RUN_SECONDS -gt 0 ]] || na "BENCH_SECONDS must be a positive integer"
[[ $WARMUP =~ ^[0-9]+$ ]] || na "BENCH_WARMUP must be a non-negative integer"
[[ $THREADS =~ ^[0-9]+$ && $THREADS -gt 0 ]] || na "BENCH_THREADS must be a positive integer"

SERVE_PID=""
stop_servers() {
  if [ -n "$SERVE_PID" ]; then stop_pid "$SERVE_PID"; fi
}
bench_start cruddur-api-bench # TMP, LOAD_AT_START; stops wrk and serve on exit

# --- cruddur serve: both ports free, a fresh data directory; access logs
# (stdout) discarded, the banner and errors (stderr) kept for failures.
API_PORT=$($UTIL freeport)
DDB_PORT=$($UTIL freeport)
while [ "$DDB_PORT" = "$API_PORT" ]; do DDB_PORT=$($UTIL freeport); done
SERVE_ARGS=(serve --host 127.0.0.1 --api-port "$API_PORT" --ddb-port "$DDB_PORT"
  --data "$TMP/data" --no-throttling)
MODE="durable, --data in a temp dir"
if [ "${BENCH_API_MEMORY:-0}" = 1 ]; then
  SERVE_ARGS+=(--in-memory)
  MODE="--in-memory"
fi
MODE="$MODE, --no-throttling"
"$CRUDDUR" "${SERVE_ARGS[@]}" </dev/null >/dev/null 2>"$TMP/serve.err" &
SERVE_PID=$!
serve_died() {
  log "cruddur serve exited; the end of its stderr:"
  tail -n 20 "$TMP/serve.err" | sed 's/^/  /' >&2 || true
  wait "$SERVE_PID" 2>/dev/null || true
  SERVE_PID=""
}
not_up=0 # wait_listening: 1 serve exited, 2 timed out
wait_listening "$SERVE_PID" 60 "$API_PORT" "$DDB_PORT" || not_up=$? # 60 s: the first start seeds
if ((not_up == 1)); then
  serve_died
  na "cruddur serve did not start: $(tail -n 1 "$TMP/serve.err" 2>/dev/null)"
fi
((not_up == 0)) || na "cruddur serve not listening on $API_PORT and $DDB_PORT after 60 s"
log "cruddur serve: API on $API_PORT, DynamoDB and user pool on $DDB_PORT (pid $SERVE_PID; $MODE)"

# --- Sign in once, and check that the routes answer as expected.
TOKEN=$($API signin "http://127.0.0.1:$DDB_PORT") || na "sign-in at the local user pool failed"
[ -n "$TOKEN" ] || na "sign-in returned no access token"
BAD_TOKEN=$($API tamper "$TOKEN") || na "the access token is not a JWT"
$API check "http://127.0.0.1:$API_PORT" "$TOKEN" "$GROUP" ||
  na "the API did not answer as expected (see above)"

# --- The runs.
RESULTS=$TMP/results.tsv
: >"$RESULTS"
NOTES=()

# run NAME PORT MODE A B: one warm-up and one measured wrk run of
# bench/api.lua; appends: name requests duration_us rps p50_us p99_us cpu_us errors
run() {
  local name=$1 port=$2 wlog=$TMP/wrk-$1.log threads=$THREADS
  shift 2
  if ((CONNS < threads)); then threads=$CONNS; fi
  local args=(-t"$threads" -c"$CONNS" --timeout 5s -s "$BENCH/api.lua" "http://127.0.0.1:$port/"
    -- "$@")
  [ -n "$SERVE_PID" ] || return 0
  wrk_measure "$SERVE_PID" "$wlog" "${args[@]}"
  if ! kill -0 "$SERVE_PID" 2>/dev/null; then
    serve_died
    NOTES+=("note=cruddur serve exited during $name")
  fi
  if [ -z "${R[requests]:-}" ]; then
    log "$name: wrk failed: $(wrk_tail "$wlog")"
    return 0
  fi
  result_row "$name" >>"$RESULTS"
  log "$(printf '%-16s ' "$name")$(result_summary)"
}

log "runs of ${RUN_SECONDS} s (+${WARMUP} s warm-up) with wrk -t$THREADS -c$CONNS"
run Query "$DDB_PORT" Query "$TABLE" "MSG#$GROUP"
run GetMessages "$API_PORT" Get "/api/messages/$GROUP" "$TOKEN"
run GetGroups "$API_PORT" Get "/api/message_groups" "$TOKEN"
count() { $API count "http://127.0.0.1:$DDB_PORT" "$TABLE" "MSG#$GROUP" 2>/dev/null || echo "?"; }
MESSAGES_BEFORE=$(count)
run Transact "$DDB_PORT" Transact "$TABLE" "$(cat /proc/sys/kernel/random/uuid)"
run PostMessage "$API_PORT" Post "$GROUP" "$TOKEN"
MESSAGES_AFTER=$(count)
if CONVERSATIONS=$($API groups "http://127.0.0.1:$DDB_PORT" "$TABLE" "$GROUP" 100); then
  run PostMany "$API_PORT" PostMany "$CONVERSATIONS" "$TOKEN"
else
  NOTES+=("note=the 100 conversations could not be written: no PostMany run")
fi
run GetMessagesAfter "$API_PORT" Get "/api/messages/$GROUP" "$TOKEN"
run GetGroupsAfter "$API_PORT" Get "/api/message_groups" "$TOKEN"
run BadSignature "$API_PORT" GetVary "/api/messages/$GROUP" "$BAD_TOKEN"
run Malformed "$API_PORT" Get "/api/messages/$GROUP" "null"

# --- The report section.
{
  echo "machine=$(nproc) cores, load average at start: $LOAD_AT_START"
  echo "seconds=$RUN_SECONDS"
  echo "threads=$THREADS"
  echo "mode=$MODE"
  echo "messages_before=$MESSAGES_BEFORE"
  echo "messages_after=$MESSAGES_AFTER"
  for s in "${NOTES[@]}"; do echo "$s"; done
} >"$TMP/facts"
$API report "$RESULTS" "$TMP/facts"
