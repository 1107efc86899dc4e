#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests (Debian's postgresql package).
#
#   scripts/pg-test-server.sh [start] DIR   initdb a cluster in DIR/data, start it
#                                           on a free port of 127.0.0.1 (unix socket
#                                           in DIR), create database cruddur_test and
#                                           print its CONNECTION_URL on stdout (also
#                                           written to DIR/connection_url)
#   scripts/pg-test-server.sh stop DIR      stop the server by its PID file
#
# Built for speed, not durability (fsync off). initdb and postgres refuse to run
# as root, so as root they run as the `postgres` user (PG_TEST_USER to change
# it), which then owns DIR. Log: DIR/postgres.log. Progress goes to stderr.
set -euo pipefail

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
RUN_AS=${PG_TEST_USER:-postgres}
DB_USER=cruddur
DB_NAME=cruddur_test

die() { echo "pg-test-server: $*" >&2; exit 1; }
usage() { echo "usage: $0 [start] DIR | stop DIR" >&2; exit 2; }

cmd=start
case "${1:-}" in start | stop) cmd=$1; shift ;; esac
[ $# -eq 1 ] || usage
dir=$1

# Runs a PostgreSQL program as the cluster's owner.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u "$RUN_AS" -- "$@"; else "$@"; fi
}

stop_server() {
  local pidfile="$dir/data/postmaster.pid" pid
  [ -f "$pidfile" ] || { echo "pg-test-server: not running (no $pidfile)" >&2; return 0; }
  pid=$(head -n 1 "$pidfile")
  [[ $pid =~ ^[0-9]+$ ]] || die "bad PID file $pidfile"
  # A stale file may name a PID that now belongs to someone else.
  if [ "$(ps -o comm= -p "$pid" 2>/dev/null)" != postgres ]; then
    echo "pg-test-server: not running (stale PID $pid)" >&2
    return 0
  fi
  kill -INT "$pid"  # fast shutdown: disconnect clients, then stop
  for _ in $(seq 1 300); do
    kill -0 "$pid" 2>/dev/null || { echo "pg-test-server: stopped (pid $pid)" >&2; return 0; }
    sleep 0.1
  done
  echo "pg-test-server: pid $pid did not stop in 30 s; killing it" >&2
  kill -KILL "$pid" 2>/dev/null || true
}

free_port() {
  if command -v python3 >/dev/null; then
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
  else
    echo $((20000 + RANDOM % 40000))
  fi
}

start_server() {
  [ -x "$PG_BIN/initdb" ] || die "no $PG_BIN/initdb: install postgresql (scripts/install-deps.sh test)"
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  [[ $dir =~ ^[A-Za-z0-9_./-]+$ ]] || die "DIR must be a plain path (no spaces or quotes): $dir"
  # Unix socket paths are limited to 107 bytes.
  [ ${#dir} -le 80 ] || die "DIR path too long for a unix socket: $dir"
  [ ! -e "$dir/data" ] || die "$dir/data already exists; use a fresh directory"
  if [ "$(id -u)" -eq 0 ]; then
    id -u "$RUN_AS" >/dev/null 2>&1 || die "user $RUN_AS does not exist (set PG_TEST_USER)"
    chown "$RUN_AS" "$dir"
    runuser -u "$RUN_AS" -- test -w "$dir" ||
      die "$RUN_AS cannot write $dir (are its parent directories searchable?)"
  fi

  local password pwfile="$dir/pwfile"
  password=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
  (umask 077 && printf '%s\n' "$password" >"$pwfile")
  [ "$(id -u)" -ne 0 ] || chown "$RUN_AS" "$pwfile"
  # Local (socket) logins are trusted, for createdb below; TCP needs the password.
  as_owner "$PG_BIN/initdb" -D "$dir/data" -U "$DB_USER" --pwfile="$pwfile" \
    --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C --no-sync \
    >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; die "initdb failed"; }
  rm -f "$pwfile"

  local port attempt started=0
  for attempt in 1 2 3 4 5; do
    port=$(free_port)
    if as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 30 \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
      start >/dev/null 2>&1; then
      started=1
      break
    fi
    # Another process may have taken the port between the check and the start.
    grep -q "could not bind\|Address already in use" "$dir/postgres.log" 2>/dev/null || break
    echo "pg-test-server: port $port taken, retrying ($attempt)" >&2
  done
  if [ $started -ne 1 ]; then
    tail -n 20 "$dir/postgres.log" >&2 2>/dev/null || true
    die "postgres did not start (log: $dir/postgres.log)"
  fi

  as_owner "$PG_BIN/createdb" -h "$dir" -p "$port" -U "$DB_USER" "$DB_NAME" ||
    { stop_server; die "createdb $DB_NAME failed"; }
  local url="postgresql://$DB_USER:$password@127.0.0.1:$port/$DB_NAME"
  (umask 077 && printf '%s\n' "$url" >"$dir/connection_url")
  echo "pg-test-server: PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$port, data in $dir/data" >&2
  echo "$url"
}

case $cmd in
  start) start_server ;;
  stop) stop_server ;;
esac
