#!/usr/bin/env bash
# Builds the libFuzzer targets of fuzz/ in build-fuzz/ (clang, the `fuzz`
# preset) and runs them, one at a time (fuzz/README.md).
#
#   scripts/fuzz.sh [run] [target...]   replay, then FUZZ_SECONDS (600) of fuzzing each
#   scripts/fuzz.sh smoke [target...]   replay, then FUZZ_SMOKE_SECONDS (4) each (make test)
#   scripts/fuzz.sh replay [target...]  only replay fuzz/corpus and fuzz/regressions
#
# Targets are the fuzz/*_fuzz.cc names (json_codec_fuzz, ...); default: all.
# Replay runs every seed (fuzz/corpus/<target>/) and every saved crash
# (fuzz/regressions/<target>/). Fuzzing adds what it finds to a scratch
# corpus (FUZZ_WORK/corpus/<target>/, kept between `run`s; a fresh temporary
# one for `smoke`) next to the seeds, with -timeout=10 -rss_limit_mb=2048.
# A crash, timeout or out-of-memory stops that target, keeps the input in
# FUZZ_WORK/artifacts/<target>/ and makes the script exit non-zero after the
# per-target report.
#
# Environment: FUZZ_SECONDS, FUZZ_SMOKE_SECONDS, FUZZ_WORK (build-fuzz/fuzz-work),
# FUZZ_BUILD=0 to skip the build, JOBS (2) for the build, BUILD_LOCK: a file
# to flock around the configure and build (for machines where builds queue).
set -uo pipefail
cd "$(dirname "$0")/.."

mode=run
case "${1:-}" in
  run | smoke | replay) mode=$1; shift ;;
esac
BUILD_DIR=build-fuzz
FUZZ_SECONDS=${FUZZ_SECONDS:-600}
FUZZ_SMOKE_SECONDS=${FUZZ_SMOKE_SECONDS:-4}
FUZZ_WORK=${FUZZ_WORK:-$BUILD_DIR/fuzz-work}
JOBS=${JOBS:-2}

if [ $# -gt 0 ]; then
  targets=("$@")
else
  targets=()
  for f in fuzz/*_fuzz.cc; do targets+=("$(basename "$f" .cc)"); done
fi

locked() {
  if [ -n "${BUILD_LOCK:-}" ]; then flock "$BUILD_LOCK" "$@"; else "$@"; fi
}

if [ "${FUZZ_BUILD:-1}" != 0 ]; then
  if [ ! -f "$BUILD_DIR/build.ninja" ]; then
    locked cmake --preset fuzz >/dev/null || exit 1
  fi
  locked ninja -C "$BUILD_DIR" -j"$JOBS" "${targets[@]}" || exit 1
fi

export ASAN_OPTIONS=detect_leaks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

dict_of() {
  case "$1" in
    *_expression_fuzz | key_condition_fuzz) echo fuzz/expression.dict ;;
    json_codec_fuzz | legacy_params_fuzz | userpool_request_fuzz) echo fuzz/json.dict ;;
    ion_reader_fuzz) echo fuzz/ion.dict ;;
  esac
}

smoke_dir=""
if [ "$mode" = smoke ]; then
  smoke_dir=$(mktemp -d /tmp/cruddur-fuzz.XXXXXX)
  trap 'rm -rf "$smoke_dir"' EXIT
fi

failed=0
report=()
for t in "${targets[@]}"; do
  bin=$BUILD_DIR/bin/$t
  seeds=fuzz/corpus/$t
  regressions=fuzz/regressions/$t
  log=$FUZZ_WORK/logs/$t.log
  mkdir -p "$FUZZ_WORK/logs" "$FUZZ_WORK/artifacts/$t"
  start=$SECONDS
  : >"$log"

  # Replay: every saved crash, one by one; in `replay` mode also every seed
  # (fuzzing runs them first anyway).
  if [ "$mode" = replay ] && ! "$bin" -runs=0 -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$FUZZ_WORK/artifacts/$t/" "$seeds" >>"$log" 2>&1; then
    report+=("$(printf '%-28s FAILED replaying %s (log: %s)' "$t" "$seeds" "$log")")
    failed=1
    continue
  fi
  if [ -d "$regressions" ] && [ -n "$(ls -A "$regressions")" ]; then
    if ! "$bin" -timeout=10 -rss_limit_mb=2048 "$regressions"/* >>"$log" 2>&1; then
      report+=("$(printf '%-28s FAILED replaying %s (log: %s)' "$t" "$regressions" "$log")")
      failed=1
      continue
    fi
  fi
  seconds=0
  case "$mode" in
    run) seconds=$FUZZ_SECONDS ;;
    smoke) seconds=$FUZZ_SMOKE_SECONDS ;;
  esac
  if [ "$seconds" = 0 ]; then
    report+=("$(printf '%-28s ok     replayed %s seeds' "$t" "$(ls "$seeds" | wc -l)")")
    continue
  fi

  # Fuzz: new inputs go to the scratch corpus (the first directory).
  scratch=${smoke_dir:-$FUZZ_WORK/corpus}/$t
  mkdir -p "$scratch"
  dict=$(dict_of "$t")
  "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    ${dict:+-dict="$dict"} -artifact_prefix="$FUZZ_WORK/artifacts/$t/" \
    "$scratch" "$seeds" >>"$log" 2>&1
  rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
  elapsed=$((SECONDS - start))
  if [ $rc -eq 0 ]; then
    report+=("$(printf '%-28s ok     %4ss  %10s execs  %-10s corpus %s' "$t" "$elapsed" \
      "${execs:-?}" "${cov:-}" "$(ls "$scratch" | wc -l)")")
  else
    failed=1
    kind=$(grep -o -m1 -E 'ERROR: libFuzzer: [a-z-]+|ERROR: AddressSanitizer: [a-z-]+|runtime error|FUZZ_CHECK failed' "$log" | head -1)
    input=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -1)
    report+=("$(printf '%-28s FAILED %4ss  %s; input: %s (log: %s)' "$t" "$elapsed" \
      "${kind:-exit $rc}" "${input:-?}" "$log")")
  fi
done

echo "== fuzz ($mode) report"
printf '%s\n' "${report[@]}"
if [ $failed -ne 0 ]; then
  echo "To keep a crashing input as a regression: cp <input> fuzz/regressions/<target>/ (fuzz/README.md)."
fi
exit $failed
