#!/usr/bin/env bash
# Runs every test against the binaries in the given build directory:
# GoogleTest unit tests through CTest, then the wire tests (pytest + boto3 +
# AWS CLI) against that build's ddb-server. Exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build-asan}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

status=0
echo "== unit tests (ctest, $BUILD)"
ctest --test-dir "$BUILD" --output-on-failure -j2 || status=1

echo "== wire tests (pytest + boto3 + AWS CLI, $BUILD/bin/ddb-server)"
DDB_SERVER_BIN="$PWD/$BUILD/bin/ddb-server" ./tests/wire/run.sh || status=1

exit $status
