#!/usr/bin/env bash
# The package test: tests/package/check_deb.py on ddb-server's Debian package.
#
#   tests/package/run.sh DEB [CRUDDUR_DEB]
#                                      checks that package, and cruddur's if given
#                                      (make package-test: build/packages/ from make deb)
#   tests/package/run.sh --build DIR   first packages DIR's ddb-server component
#                                      (CPack, into a temporary folder), then checks it
#
# make test runs the second form on build-asan: the packaging (install rules,
# CPack fields, Depends from dpkg-shlibdeps, the extracted binary serving boto3)
# is checked there without a release build of its own, which CI could not
# afford; the package that ships is make deb's, from build/ (make package-test).
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

if [ "${1:-}" = --build ]; then
  build="$(cd "${2:?usage: $0 --build DIR}" && pwd)"
  if [ ! -f "$build/CPackConfig.cmake" ]; then
    echo "package test: $build/CPackConfig.cmake missing (configure $build)" >&2
    exit 1
  fi
  out=$(mktemp -d /tmp/cruddur-deb.XXXXXX)
  trap 'rm -rf "$out"' EXIT
  # gzip rather than xz: the sanitizer build's binary is big, the check is the same.
  if ! cpack --config "$build/CPackConfig.cmake" -B "$out" -D CPACK_COMPONENTS_ALL=ddb-server \
    -D CPACK_DEBIAN_COMPRESSION_TYPE=gzip >"$out/cpack.log" 2>&1; then
    cat "$out/cpack.log" >&2
    echo "package test: cpack FAILED" >&2
    exit 1
  fi
  set -- "$out"/ddb-server_*.deb
fi
if [ $# -lt 1 ] || [ $# -gt 2 ] || [ ! -f "$1" ]; then
  echo "usage: $0 DEB [CRUDDUR_DEB] | --build DIR" >&2
  exit 2
fi
/usr/bin/python3 "$here/check_deb.py" "$@"
