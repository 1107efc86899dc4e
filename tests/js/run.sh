#!/usr/bin/env bash
# Runs the JavaScript SDK tests (tests/js) with node's built-in test runner.
#   tests/js/run.sh [test files...]
# Installs the locked dependencies (npm ci) when node_modules is missing.
# Environment: DDB_SERVER_BIN (default build/bin/ddb-server), DDB_ENDPOINT (use a
# running server instead of starting one per test file).
# Exits non-zero on any failure, and also when no test ran.
set -u
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cd "$repo"

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    echo "run.sh: node and npm are needed (scripts/install-deps.sh test installs them)" >&2
    exit 2
fi
if [ -z "${DDB_ENDPOINT:-}" ]; then
    bin="${DDB_SERVER_BIN:-$repo/build/bin/ddb-server}"
    if [ ! -x "$bin" ]; then
        echo "run.sh: server binary not found: $bin (build it, or set DDB_SERVER_BIN / DDB_ENDPOINT)" >&2
        exit 2
    fi
    export DDB_SERVER_BIN="$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")"
fi

if [ ! -d "$here/node_modules/@aws-sdk/client-dynamodb" ] || [ ! -d "$here/node_modules/@aws-sdk/client-dynamodb-streams" ] ||
    [ ! -d "$here/node_modules/ion-js" ]; then
    echo "run.sh: installing dependencies (npm ci --prefix tests/js)"
    npm ci --prefix "$here" --no-audit --no-fund || { echo "run.sh: npm ci failed" >&2; exit 2; }
fi

if [ $# -gt 0 ]; then
    files=("$@")
else
    files=("$here"/*.test.mjs)
fi
[ -e "${files[0]}" ] || { echo "run.sh: no test files found" >&2; exit 5; }

# The SDK's notice that releases after January 2027 need Node.js 22 is not a test result.
export AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=${AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED:-true}
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
node --test --test-reporter=spec "${files[@]}" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}

# the spec reporter's summary: "ℹ tests N", "ℹ pass N", "ℹ fail N"
count() { sed -n "s/^ℹ $1 \([0-9][0-9]*\)$/\1/p" "$log" | tail -1; }
tests=$(count tests)
passed=$(count pass)
failed=$(count fail)
# node counts a file without any test() as one passing test: count real tests
# (top-level results not named after a file).
ran=$(grep -E '^(✔|✖) ' "$log" | grep -cvE '^(✔|✖) .*\.(m?js|cjs)( \([0-9.]+m?s\))?$')
if [ "$rc" -ne 0 ]; then
    echo "${passed:-0} passed, ${failed:-0} failed"
    echo "run.sh: JavaScript SDK tests FAILED (node exit code $rc)" >&2
    exit "$rc"
fi
if [ -z "$tests" ] || [ "$tests" -eq 0 ] || [ "${passed:-0}" -eq 0 ] || [ "$ran" -eq 0 ]; then
    echo "run.sh: no test ran - treating as failure" >&2
    exit 5
fi
echo "${passed} passed, ${failed:-0} failed"
echo "run.sh: JavaScript SDK tests passed"
