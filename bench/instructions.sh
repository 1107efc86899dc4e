#!/bin/bash
# User-space instructions per request, counted by callgrind: steady where CPU
# time on a shared machine moves 10-40% between runs, so a change of a few
# percent shows (README, "Instructions, not time"). Not part of `make bench`.
#
#   bench/instructions.sh ddb OP [N] [BIN]      OP: GetItem, PutItem, UpdateItem, Query
#   bench/instructions.sh api MODE [N] [BIN]    MODE: Get (GET messages), Groups, Post
#
# ddb: an in-memory ddb-server (BIN, default build/bin/ddb-server) with
# bench/load.py's table. api: a fresh `cruddur serve` (BIN, default
# build/bin/cruddur) with its seeded conversation, signed in as the dev user.
# The server runs under valgrind with instrumentation off while it starts and
# loads; it is switched on (callgrind_control) after 200 warm-up requests, for
# N (default 1000) more, then the counts are dumped. Prints one line:
#   INSTRUCTIONS kind=ddb op=PutItem requests=N per_request=I file=F
# F is the callgrind profile (callgrind_annotate F shows where they go). The
# kernel's share (system calls, fsync) is not counted.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PY=/usr/bin/python3
export PYTHONDONTWRITEBYTECODE=1 # instructions.py imports load.py: no bench/__pycache__
KIND=${1:?usage: $0 ddb|api OP [N] [BIN]}
OP=${2:?usage: $0 ddb|api OP [N] [BIN]}
N=${3:-1000}
command -v valgrind > /dev/null || { echo "instructions.sh: valgrind is not installed (apt-get install valgrind)" >&2; exit 1; }
OUT=$(mktemp -d "${TMPDIR:-/tmp}/instructions.XXXXXX")
VPID=""
cleanup() {
  if [ -n "$VPID" ]; then kill -TERM "$VPID" 2> /dev/null || true; wait "$VPID" 2> /dev/null || true; fi
}
trap cleanup EXIT
free_port() { $PY "$ROOT/bench/util.py" freeport; }
wait_port() {
  for _ in $(seq 600); do
    (echo > "/dev/tcp/127.0.0.1/$1") 2> /dev/null && return 0
    kill -0 "$VPID" 2> /dev/null || { echo "instructions.sh: the server exited" >&2; exit 1; }
    sleep 0.2
  done
  echo "instructions.sh: the server did not listen on $1" >&2
  exit 1
}
run_valgrind() {
  valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$OUT/callgrind.out" "$@" \
    < /dev/null > "$OUT/server.log" 2>&1 &
  VPID=$!
}
measure() { # client args...: warm up, count N requests, dump
  $PY "$ROOT/bench/instructions.py" "$@" 200
  callgrind_control -i on "$VPID" > /dev/null 2>&1
  $PY "$ROOT/bench/instructions.py" "$@" "$N"
  callgrind_control -i off "$VPID" > /dev/null 2>&1
  callgrind_control -d "$VPID" > /dev/null 2>&1
}

case "$KIND" in
  ddb)
    BIN=${4:-$ROOT/build/bin/ddb-server}
    PORT=$(free_port)
    run_valgrind "$BIN" --port "$PORT" --in-memory --no-throttling
    wait_port "$PORT"
    $PY "$ROOT/bench/load.py" "http://127.0.0.1:$PORT" --threads 2 > /dev/null
    measure ddb "$PORT" "$OP"
    ;;
  api)
    BIN=${4:-$ROOT/build/bin/cruddur}
    API=$(free_port)
    DDB=$(free_port)
    GROUP=5ae290ed-55d1-47a0-bc6d-fe2bc2700399 # the seeded conversation (bench/api.sh)
    run_valgrind "$BIN" serve --host 127.0.0.1 --api-port "$API" --ddb-port "$DDB" \
      --data "$OUT/data" --no-throttling
    wait_port "$API"
    wait_port "$DDB"
    TOKEN=$($PY "$ROOT/bench/api.py" signin "http://127.0.0.1:$DDB")
    case "$OP" in
      Get) measure api "$API" "/api/messages/$GROUP" "$TOKEN" ;;
      Groups) measure api "$API" /api/message_groups "$TOKEN" ;;
      Post) measure post "$API" "$GROUP" "$TOKEN" ;;
      *) echo "instructions.sh: api MODE is Get, Groups or Post" >&2; exit 2 ;;
    esac
    ;;
  *) echo "usage: $0 ddb|api OP [N] [BIN]" >&2; exit 2 ;;
esac
# The dump on request is the first part file; the one at exit holds nothing.
PROFILE="$OUT/callgrind.out.1"
TOTAL=$(awk '/^totals:/ {print $2; exit}' "$PROFILE")
cleanup
VPID=""
mkdir -p "$ROOT/build"
cp "$PROFILE" "$ROOT/build/instructions-$KIND-$OP.callgrind"
echo "INSTRUCTIONS kind=$KIND op=$OP requests=$N per_request=$((TOTAL / N)) file=build/instructions-$KIND-$OP.callgrind"
rm -rf "$OUT"
