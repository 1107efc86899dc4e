#!/usr/bin/env bash
# Runs the browser end-to-end tests (web/e2e/*.e2e.test.mjs): each test file
# starts its own `cruddur serve` (temporary data, free ports on 127.0.0.1),
# which serves web/dist and /config.json on an ephemeral --web-port, and drives
# Debian's Chromium with playwright-core.
#   web/e2e/run.sh [test files...]
# Environment: CRUDDUR_BIN (default build/bin/cruddur, else build-asan/bin/cruddur),
# CHROMIUM_BIN (default /usr/bin/chromium), CRUDDUR_E2E_AUTH_FLOW (USER_SRP_AUTH or
# USER_PASSWORD_AUTH; default: SRP when the local pool answers it, else password).
# Builds web/dist first when it is missing. Exits non-zero on any failure, and when no test ran.
set -u
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
web="$(cd "$here/.." && pwd)"
repo="$(cd "$web/.." && pwd)"
cd "$web"

if [ ! -x "${CHROMIUM_BIN:-/usr/bin/chromium}" ]; then
  echo "run.sh: ${CHROMIUM_BIN:-/usr/bin/chromium} is missing (apt-get install chromium)" >&2
  exit 2
fi
if [ ! -f dist/index.html ] || [ ! -d node_modules/playwright-core ]; then
  "$repo/scripts/web.sh" || exit 2
fi

if [ $# -gt 0 ]; then files=("$@"); else files=("$here"/*.e2e.test.mjs); fi
[ -e "${files[0]}" ] || { echo "run.sh: no test files found" >&2; exit 5; }

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
node --test --test-reporter=spec --test-concurrency=1 "${files[@]}" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
count() { sed -n "s/^ℹ $1 \([0-9][0-9]*\)$/\1/p" "$log" | tail -1; }
passed=$(count pass)
failed=$(count fail)
echo "${passed:-0} passed, ${failed:-0} failed"
if [ "$rc" -ne 0 ]; then
  echo "run.sh: web end-to-end tests FAILED" >&2
  exit "$rc"
fi
if [ "${passed:-0}" -eq 0 ]; then
  echo "run.sh: no test ran - treating as failure" >&2
  exit 5
fi
echo "run.sh: web end-to-end tests passed"
