# shellcheck shell=bash disable=SC2034 # the variables set here are for the sourcing scripts
# Shell functions shared by bench/run.sh and bench/api.sh, sourced by both
# (not run). Sets the settings they share from the environment:
#   RUN_SECONDS  BENCH_SECONDS, seconds per measured run (default 10)
#   WARMUP       BENCH_WARMUP, seconds of unmeasured load before each (default 1)
#   THREADS      BENCH_THREADS, wrk threads (default 1); CONNS, wrk connections (16)
# and ROOT, BENCH (bench/), PY, UTIL (bench/util.py). The sourcing script
# defines log() (one progress line to stderr) and stop_servers() (stops every
# server it started), then calls bench_start.
#
# R: the fields of wrk's last result line (read_result, wrk_measure).

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH=$ROOT/bench
PY=/usr/bin/python3
export PYTHONDONTWRITEBYTECODE=1 # bench/*.py import each other: no bench/__pycache__
UTIL="$PY $BENCH/util.py"
RUN_SECONDS=${BENCH_SECONDS:-10}
WARMUP=${BENCH_WARMUP:-1}
THREADS=${BENCH_THREADS:-1}
CONNS=16
WRK_PID=""
declare -A R=()

# bench_start NAME: creates TMP (a temp directory NAME.XXXXXX) and notes
# LOAD_AT_START; on exit, also on failure or Ctrl-C, stops wrk and the
# servers (stop_servers) by their PIDs and removes TMP.
bench_start() {
  LOAD_AT_START=$(cut -d' ' -f1-3 /proc/loadavg)
  TMP=$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX")
  trap bench_cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  # A sleep that forks nothing: read with a timeout from a FIFO no one writes.
  mkfifo "$TMP/sleep.fifo"
  exec {SLEEP_FD}<>"$TMP/sleep.fifo"
}
nap() { read -r -t "$1" -u "$SLEEP_FD" _ || true; }

bench_cleanup() {
  if [ -n "$WRK_PID" ]; then stop_pid "$WRK_PID"; fi
  stop_servers
  rm -rf "$TMP"
}

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

# wait_listening PID SECONDS PORT...: waits until 127.0.0.1:PORT accepts a
# connection, for every PORT, and sets LISTEN_AT to $EPOCHREALTIME then;
# returns 1 as soon as PID has exited, 2 after ~SECONDS. The poll loop forks
# nothing, so it costs the starting server no CPU to speak of.
wait_listening() {
  local pid=$1 seconds=$2 port i up
  shift 2
  LISTEN_AT=""
  for ((i = 0; i < seconds * 1000; i++)); do
    up=1
    for port in "$@"; do
      if ! true 2>/dev/null <"/dev/tcp/127.0.0.1/$port"; then
        up=0
        break
      fi
    done
    if ((up)); then
      LISTEN_AT=$EPOCHREALTIME
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || return 1
    nap 0.001
  done
  return 2
}

# usec_between T0 T1: microseconds from T0 to T1 (two $EPOCHREALTIME values).
usec_between() { echo $((${2//[.,]/} - ${1//[.,]/})); }

# wrk_wait OUT WRK_ARGS...: runs wrk, its output to OUT, and waits for it.
# wrk stops quietly on SIGINT, so it runs in the background (WRK_PID, for
# bench_cleanup) and this shell waits: a Ctrl-C then reaches its trap as well.
wrk_wait() {
  local out=$1
  shift
  wrk "$@" >"$out" 2>&1 &
  WRK_PID=$!
  wait "$WRK_PID" || true
  WRK_PID=""
}

# read_result PREFIX FILE: R = the key=value fields of FILE's line starting
# with PREFIX (bench/lib.lua's BENCH_RESULT, bench/bulk.lua's BULK_RESULT);
# empty when there is none.
read_result() {
  local kv
  R=()
  for kv in $(grep "^$1" "$2" || true); do
    if [[ $kv == *=* ]]; then R[${kv%%=*}]=${kv#*=}; fi
  done
}

# wrk_measure PID LOG WRK_ARGS...: a warm-up run of WARMUP s (none if 0),
# then a measured run of RUN_SECONDS s, its output to LOG; R = its
# BENCH_RESULT fields (no R[requests] if wrk failed) and R[cpu_us], the CPU
# time PID and its descendants used over the measured run (bench/util.py cpu).
wrk_measure() {
  local pid=$1 wlog=$2 cpu0 cpu1
  shift 2
  if ((WARMUP > 0)); then wrk_wait /dev/null -d"${WARMUP}s" "$@"; fi
  cpu0=$($UTIL cpu "$pid")
  wrk_wait "$wlog" -d"${RUN_SECONDS}s" "$@"
  cpu1=$($UTIL cpu "$pid" 2>/dev/null || echo "$cpu0")
  read_result BENCH_RESULT "$wlog"
  R[cpu_us]=$((cpu1 - cpu0))
}

# result_row NAME...: one line of a results file for the report scripts: the
# NAMEs, then requests duration_us rps p50_us p99_us cpu_us errors from R,
# tab-separated.
result_row() {
  local name
  for name in "$@"; do printf '%s\t' "$name"; done
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "${R[requests]}" "${R[duration_us]}" "${R[rps]}" \
    "${R[p50_us]}" "${R[p99_us]}" "${R[cpu_us]}" "$((R[errors_status] + R[errors_socket]))"
}

# result_summary: R for a progress line: req/s, p50, p99 and errors.
result_summary() {
  printf '%8.0f req/s  p50 %6.0f us  p99 %6.0f us  errors %s' "${R[rps]}" "${R[p50_us]}" \
    "${R[p99_us]}" "$((R[errors_status] + R[errors_socket]))"
}

# wrk_tail LOG: the last lines of a wrk log on one line (why it failed).
wrk_tail() { tail -n 3 "$1" | tr '\n' ' '; }
