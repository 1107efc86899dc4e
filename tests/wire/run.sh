#!/usr/bin/env bash
# Runs the wire test suite (tests/wire) with Debian's python3 and pytest.
#   tests/wire/run.sh [extra pytest args...]
# Environment: DDB_SERVER_BIN (default build/bin/ddb-server), DDB_ENDPOINT (use a
# running server instead of starting one).
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
/usr/bin/python3 -m pytest "${targets[@]}" -q -rfEs -p no:cacheprovider "$@"
rc=$?
case $rc in
    0) echo "run.sh: wire tests passed" ;;
    5) echo "run.sh: no tests were collected - treating as failure" >&2; rc=5 ;;
    *) echo "run.sh: wire tests FAILED (pytest exit code $rc)" >&2 ;;
esac
exit $rc
