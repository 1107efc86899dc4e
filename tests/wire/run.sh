#!/usr/bin/env bash
# Runs the wire test suite (tests/wire) with Debian's python3 and pytest.
#   tests/wire/run.sh [extra pytest args...]
# Environment: DDB_SERVER_BIN (default build/bin/ddb-server), DDB_ENDPOINT (use a
# running server instead of starting one), WIRE_JOBS (the whole suite runs in
# that many pytest-xdist workers, a test file per worker at a time; default 2,
# 1 for one process; without python3-pytest-xdist, one process).
# Exits non-zero on any failure, and also when no test was collected (pytest's 5).
set -u
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cd "$repo"

if [ -z "${DDB_ENDPOINT:-}" ]; then
    bin="${DDB_SERVER_BIN:-$repo/build/bin/ddb-server}"
    if [ ! -x "$bin" ]; then
        echo "run.sh: server binary not found: $bin (build it, or set DDB_SERVER_BIN / DDB_ENDPOINT)" >&2
        exit 2
    fi
fi

# With no arguments, the whole suite; otherwise only what is named.
targets=("$here")
for a in "$@"; do [ -e "${a%%::*}" ] && { targets=(); break; }; done
# The suite waits on servers more than it computes (each file starts its own
# processes), so two workers take it from ~10 to ~5 minutes on 2 cores. Each
# worker has its own session server; a file stays on one worker (--dist
# loadfile), so a file's module fixtures and its order are as in one process.
parallel=()
if [ $# -eq 0 ] && [ "${WIRE_JOBS:-2}" -gt 1 ] && /usr/bin/python3 -c 'import xdist' 2>/dev/null; then
    parallel=(-n "${WIRE_JOBS:-2}" --dist loadfile)
fi
/usr/bin/python3 -m pytest "${targets[@]}" -q -rfEs -p no:cacheprovider "${parallel[@]}" "$@"
rc=$?
case $rc in
    0) echo "run.sh: wire tests passed" ;;
    5) echo "run.sh: no tests were collected - treating as failure" >&2; rc=5 ;;
    *) echo "run.sh: wire tests FAILED (pytest exit code $rc)" >&2 ;;
esac
exit $rc
