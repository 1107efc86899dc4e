#!/usr/bin/env bash
# Builds ddb-server (release) as it was at a git revision, for `make bench`'s
# side-by-side comparison, and prints the binary's path:
#   make bench BENCH_BASELINE=$(scripts/build-baseline.sh 76600f9)
# The revision is checked out in a git worktree under build-baseline/<rev>/
# (git-ignored with the other build trees); a second call reuses it.
set -euo pipefail
cd "$(dirname "$0")/.."
rev=${1:?usage: scripts/build-baseline.sh REVISION}
sha=$(git rev-parse --short "$rev^{commit}")
dir=build-baseline/$sha
if [ ! -d "$dir/src" ]; then
  git worktree add --detach -f "$dir/src" "$sha" >&2
fi
cmake -S "$dir/src" -B "$dir/build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG" >&2
ninja -C "$dir/build" -j"${JOBS:-2}" ddb-server >&2
echo "$PWD/$dir/build/bin/ddb-server"
