#!/usr/bin/env bash
# Runs every test against the binaries in the given build directory:
# the dependency check (tests/deps: include cycles against their allowlist,
# cycles between the CMake libraries, unused shared libraries of the binaries),
# GoogleTest unit tests through CTest, then the wire tests (pytest + boto3 +
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
# A throwaway PostgreSQL server for the users tests (tests/unit/users), stopped on exit.
pg_dir=$(mktemp -d /tmp/cruddur-pg.XXXXXX)
trap './scripts/pg-test-server.sh stop "$pg_dir" 2>/dev/null; rm -rf "$pg_dir"' EXIT
if url=$(./scripts/pg-test-server.sh start "$pg_dir"); then
  export CONNECTION_URL_TEST_PG=$url
else
  echo "PostgreSQL test server did not start: its tests will be skipped" >&2
  status=1
fi

echo "== dependencies (tests/deps: include cycles, CMake library cycles, ldd -u of $BUILD/bin)"
./tests/deps/check_deps.py --build "$BUILD" || status=1

echo "== unit tests (ctest, $BUILD)"
ctest --test-dir "$BUILD" --output-on-failure -j2 || status=1

echo "== wire tests (pytest + boto3 + AWS CLI, $BUILD/bin/ddb-server)"
DDB_SERVER_BIN="$PWD/$BUILD/bin/ddb-server" ./tests/wire/run.sh || status=1

echo "== JavaScript SDK tests (node --test + @aws-sdk/client-dynamodb, $BUILD/bin/ddb-server)"
DDB_SERVER_BIN="$PWD/$BUILD/bin/ddb-server" ./tests/js/run.sh || status=1

echo "== web app: unit tests (vitest) and browser end-to-end tests (Chromium, $BUILD/bin/cruddur)"
if ./scripts/web.sh test; then
  CRUDDUR_BIN="$PWD/$BUILD/bin/cruddur" ./web/e2e/run.sh || status=1
else
  status=1
fi

echo "== package test (tests/package: ddb-server's .deb from $BUILD, extracted, serving boto3)"
./tests/package/run.sh --build "$BUILD" || status=1

echo "== fuzz smoke (libFuzzer, build-fuzz: replay fuzz/corpus + fuzz/regressions, then ${FUZZ_SMOKE_SECONDS:-4} s per target)"
./scripts/fuzz.sh smoke || status=1

exit $status
