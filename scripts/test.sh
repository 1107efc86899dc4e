#!/usr/bin/env bash
# Runs every test against the binaries in the given build directory:
# the dependency check (tests/deps: include cycles against their allowlist,
# cycles between the CMake libraries, unused shared libraries of the binaries),
# GoogleTest unit tests (scripts/unit-tests.sh: each binary whole), then the wire tests (pytest + boto3 +
# AWS CLI), then the JavaScript SDK tests (node --test + @aws-sdk/client-dynamodb)
# against that build's ddb-server, then the web app's unit tests (vitest) and
# browser end-to-end tests (web/e2e/run.sh: Chromium against that build's
# `cruddur serve`), then the package test (tests/package: ddb-server's Debian
# package made from that build, extracted, serving boto3), then the fuzz smoke
# step (scripts/fuzz.sh smoke: clang build in build-fuzz/, corpora replayed, a
# few seconds of fuzzing per target). Exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build-asan}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

status=0
# Each step's output also goes to a log; a failed step's tail is printed again
# at the very end, so that the last lines of a CI run say what failed and why.
logs=$(mktemp -d /tmp/cruddur-test-logs.XXXXXX)
failed_steps=()
# step NAME CMD...: runs CMD, its output shown and kept in $logs/NAME.log.
step() {
  local name=$1
  shift
  if "$@" 2>&1 | tee "$logs/$name.log"; then return 0; fi
  failed_steps+=("$name")
  status=1
  return 1
}
# A throwaway PostgreSQL server for the users tests (tests/unit/users), stopped on exit.
pg_dir=$(mktemp -d /tmp/cruddur-pg.XXXXXX)
trap './scripts/pg-test-server.sh stop "$pg_dir" 2>/dev/null; rm -rf "$pg_dir" "$logs"' EXIT
if url=$(./scripts/pg-test-server.sh start "$pg_dir"); then
  export CONNECTION_URL_TEST_PG=$url
else
  echo "PostgreSQL test server did not start: its tests will be skipped" >&2
  status=1
fi

echo "== dependencies (tests/deps: include cycles, CMake library cycles, ldd -u of $BUILD/bin)"
step deps ./tests/deps/check_deps.py --build "$BUILD"

echo "== unit tests (GoogleTest binaries of $BUILD, each run whole, two at a time)"
step unit ./scripts/unit-tests.sh "$BUILD"

echo "== wire tests (pytest + boto3 + AWS CLI, $BUILD/bin/ddb-server)"
step wire env DDB_SERVER_BIN="$PWD/$BUILD/bin/ddb-server" ./tests/wire/run.sh

echo "== JavaScript SDK tests (node --test + @aws-sdk/client-dynamodb, $BUILD/bin/ddb-server)"
step js env DDB_SERVER_BIN="$PWD/$BUILD/bin/ddb-server" ./tests/js/run.sh

echo "== web app: unit tests (vitest) and browser end-to-end tests (Chromium, $BUILD/bin/cruddur)"
if step web-unit ./scripts/web.sh test; then
  step web-e2e env CRUDDUR_BIN="$PWD/$BUILD/bin/cruddur" ./web/e2e/run.sh
fi

echo "== package test (tests/package: ddb-server's .deb from $BUILD, extracted, serving boto3)"
step package ./tests/package/run.sh --build "$BUILD"

echo "== fuzz smoke (libFuzzer, build-fuzz: replay fuzz/corpus + fuzz/regressions, then ${FUZZ_SMOKE_SECONDS:-4} s per target)"
step fuzz ./scripts/fuzz.sh smoke

for name in "${failed_steps[@]}"; do
  echo "== FAILED: $name (the last 60 lines of its output again)"
  tail -n 60 "$logs/$name.log"
done
if [ ${#failed_steps[@]} -gt 0 ]; then echo "== failed steps: ${failed_steps[*]}"; fi
exit $status
