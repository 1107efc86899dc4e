#!/usr/bin/env bash
# The web section of `make bench` (issue 12), measured locally on this
# machine, the other sections' servers stopped:
#   - bench/web.mjs (node, playwright-core from web/node_modules, Debian's
#     Chromium headless): its own `cruddur serve` serving web/dist; the JS
#     shipped to the browser (gzip, as served), the sign-in through the page
#     (the app's default flow, SRP), and the time from opening a
#     conversation (signed in) to its messages shown, against the API calls
#     the page makes for it in the same run
#   - bench/events.py: its own `cruddur serve`; live-update latency from a
#     POST answered to the event delivered, with BENCH_EVENTS_CLIENTS
#     listening clients (GET /api/events), against the POST's own p50
# then the goals with PASS/MISS (bench/web.py). Builds web/dist first
# (scripts/web.sh) when it is missing.
#
# Prints the report section on stdout (bench/run.sh appends it to
# build/bench-results.txt), progress on stderr; when it cannot run at all it
# prints one "n/a" line and exits 1. Runs alone too: `bash bench/web.sh`, or
# `BENCH_ONLY=web bench/run.sh` (writes build/bench-results-web.txt).
#
# Environment (all optional):
#   CRUDDUR                 the binary (default build/bin/cruddur)
#   CHROMIUM_BIN            the browser (default /usr/bin/chromium)
#   BENCH_WEB_RUNS          conversation openings of each kind (default 20)
#   BENCH_WEB_SIGNINS       sign-ins (default 10)
#   BENCH_WEB_MESSAGES      messages in the conversation opened (default 80)
#   BENCH_EVENTS_CLIENTS    listening clients (default 200)
#   BENCH_EVENTS_MESSAGES   POSTs (default 50)
# node and python are children of this shell, stopped by their PIDs on exit;
# each stops the `cruddur serve` it started (and node its browser).
set -euo pipefail

# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh" # ROOT, BENCH, PY, ...
CRUDDUR=${CRUDDUR:-$ROOT/build/bin/cruddur}
CHROMIUM=${CHROMIUM_BIN:-/usr/bin/chromium}
RUNS=${BENCH_WEB_RUNS:-20}
SIGNINS=${BENCH_WEB_SIGNINS:-10}
MESSAGES=${BENCH_WEB_MESSAGES:-80}
CLIENTS=${BENCH_EVENTS_CLIENTS:-200}
POSTS=${BENCH_EVENTS_MESSAGES:-50}

log() { echo "bench web: $*" >&2; }
na() {
  log "$*"
  echo "web benchmark (issue 12): n/a ($*)"
  exit 1
}

for v in BENCH_WEB_RUNS BENCH_WEB_SIGNINS BENCH_WEB_MESSAGES BENCH_EVENTS_CLIENTS \
  BENCH_EVENTS_MESSAGES; do
  [[ -z ${!v:-} || ${!v} =~ ^[1-9][0-9]*$ ]] || na "$v must be a positive integer"
done
((MESSAGES >= 2)) || na "BENCH_WEB_MESSAGES must be at least 2"
[ -x "$CRUDDUR" ] || na "$CRUDDUR not found (make build)"
[ -x "$PY" ] || na "$PY not found"
command -v node >/dev/null || na "node not found (scripts/install-deps.sh bench)"
[ -x "$CHROMIUM" ] || na "$CHROMIUM not found (apt-get install chromium)"
if [ ! -f "$ROOT/web/dist/index.html" ] || [ ! -d "$ROOT/web/node_modules/playwright-core" ]; then
  log "building the web app (scripts/web.sh)"
  "$ROOT/scripts/web.sh" >&2 || na "scripts/web.sh failed: the web app is not built"
fi

CHILD_PID=""
stop_servers() { if [ -n "$CHILD_PID" ]; then stop_pid "$CHILD_PID"; fi; }
bench_start cruddur-web-bench # TMP, LOAD_AT_START; stops the running child on exit

# child_wait CMD...: runs CMD in the background (CHILD_PID, for the cleanup
# on exit) and waits for it; returns its status.
child_wait() {
  local rc=0
  "$@" </dev/null &
  CHILD_PID=$!
  wait "$CHILD_PID" || rc=$?
  CHILD_PID=""
  return "$rc"
}

FACTS=$TMP/facts
echo "machine=$(nproc) cores, load average at start: $LOAD_AT_START" >"$FACTS"

log "the browser runs: $SIGNINS sign-ins; $RUNS openings of each kind of a conversation" \
  "of $MESSAGES messages"
if child_wait env CRUDDUR_BIN="$CRUDDUR" CHROMIUM_BIN="$CHROMIUM" node "$BENCH/web.mjs" \
  --out "$TMP/web.facts" --runs "$RUNS" --signins "$SIGNINS" --messages "$MESSAGES"; then
  cat "$TMP/web.facts" >>"$FACTS"
else
  echo "web_state=bench/web.mjs failed (see its output above)" >>"$FACTS"
fi

log "live updates: $CLIENTS listening clients, $POSTS POSTs (bench/events.py)"
if "$PY" -c 'import boto3' 2>/dev/null; then
  if child_wait "$PY" "$BENCH/events.py" --bin "$CRUDDUR" --clients "$CLIENTS" \
    --messages "$POSTS" --facts "$TMP/events.facts" >&2; then
    cat "$TMP/events.facts" >>"$FACTS"
  else
    echo "events_state=bench/events.py failed" >>"$FACTS"
  fi
else
  echo "events_state=boto3 not importable by $PY" >>"$FACTS"
fi

$PY "$BENCH/web.py" "$FACTS"
