#!/usr/bin/env bash
# Installs every Debian 12 package the project needs to build, test and
# benchmark. Idempotent: installs only what is missing. This is the one place
# dependencies are named (see CONTRIBUTING.md).
set -euo pipefail

BUILD_PKGS=(
  # mold: links the large sanitized test binaries in a fraction of ld's time
  build-essential cmake ninja-build pkg-config clang-format mold
  librocksdb-dev libjemalloc-dev libboost1.81-dev rapidjson-dev zlib1g-dev libzstd-dev libssl-dev libisal-dev
  libcli11-dev libsqlite3-dev libpq-dev libcurl4-openssl-dev
)
TEST_PKGS=(libgtest-dev zstd python3 python3-boto3 python3-botocore python3-pytest python3-pytest-xdist python3-requests python3-jwt python3-cryptography awscli nodejs npm postgresql postgresql-client sqlite3
  # fuzz/: clang 14 with libFuzzer and the sanitizer runtimes, llvm-symbolizer for stacks
  clang libclang-rt-14-dev llvm
  # web/e2e: Debian's Chromium, driven by playwright-core (nothing downloads a browser)
  chromium)
# `make run` builds the web app (scripts/web.sh) before starting.
RUN_PKGS=(nodejs npm)
BENCH_PKGS=(wrk nginx-light nodejs npm valgrind)

want=("${BUILD_PKGS[@]}")
case "${1:-build}" in
  build) ;;
  run) want+=("${RUN_PKGS[@]}") ;;
  test) want+=("${TEST_PKGS[@]}") ;;
  bench) want+=("${TEST_PKGS[@]}" "${BENCH_PKGS[@]}") ;;
  all) want+=("${TEST_PKGS[@]}" "${BENCH_PKGS[@]}") ;;
  *) echo "usage: $0 [build|run|test|bench|all]" >&2; exit 2 ;;
esac

missing=()
for p in "${want[@]}"; do
  # nodejs/npm may come from outside Debian's packages on some machines.
  if [[ $p == nodejs || $p == npm ]] && command -v "${p/nodejs/node}" >/dev/null 2>&1; then
    continue
  fi
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
echo "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
