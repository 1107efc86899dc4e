#!/usr/bin/env bash
# Builds the web app (web/) into web/dist: installs the locked npm
# dependencies when node_modules is missing or older than package-lock.json
# (npm ci), then `npm run build` (type check + Vite).
#   scripts/web.sh           install if needed, build
#   scripts/web.sh test      also run the unit tests (vitest)
#   scripts/web.sh e2e       also run the browser end-to-end tests (web/e2e/run.sh)
# Needs node >= 18 and npm (scripts/install-deps.sh test installs them).
set -euo pipefail
cd "$(dirname "$0")/../web"

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "web.sh: node and npm are needed (scripts/install-deps.sh test installs them)" >&2
  exit 2
fi
node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 18 ]; then
  echo "web.sh: node >= 18 is needed (found $(node --version))" >&2
  exit 2
fi

# npm ci when node_modules is missing or the lock file changed since the last install
# (npm writes node_modules/.package-lock.json on every install).
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "web.sh: installing dependencies (npm ci)"
  npm ci --no-audit --no-fund
fi

echo "web.sh: building web/dist"
npm run --silent build

case "${1:-build}" in
  build) ;;
  test)
    echo "web.sh: unit tests (vitest)"
    npx vitest run
    ;;
  e2e)
    ./e2e/run.sh
    ;;
  *)
    echo "usage: $0 [build|test|e2e]" >&2
    exit 2
    ;;
esac
