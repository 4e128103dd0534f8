#!/usr/bin/env bash
# The test command (README, CI): installs what is missing, builds, runs every test.
# Tests start real processes (a private sshd, validator simulators) on free loopback ports in
# their own temp dirs, so they run in parallel.
#
#   tools/test.sh [CTEST_ARGS...]             the whole suite, built in build/ (e.g. -L unit)
#   tools/test.sh --sanitize [CTEST_ARGS...]  the whole suite under ASan + UBSan (build-asan/)
#   tools/test.sh --tsan [CTEST_ARGS...]      the unit tests (engines, transport, fakes) under TSan
#                                             (build-tsan/; other labels with -L)
# Any sanitizer report fails the test that caused it.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=build build=(--all) labels=()
case "${1:-}" in
  --sanitize) dir=build-asan; build+=(--sanitize address,undefined); shift ;;
  --tsan) dir=build-tsan; build+=(--sanitize thread); labels=(-L unit); shift ;;
esac
[ $# -eq 0 ] || labels=()
tools/build.sh "${build[@]}"
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=0:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1}
cd "$dir"
ctest --output-on-failure -j "${CTEST_JOBS:-2}" --timeout 600 "${labels[@]}" "$@"
