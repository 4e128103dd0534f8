#!/usr/bin/env bash
# The test command (README, CI): installs what is missing, builds, runs every test. Tests start
# real processes (a private sshd, validator simulators, etcd) on free loopback ports in their own
# temp dirs, so they run in parallel.
#
#   tools/test.sh [CTEST_ARGS...]             the whole suite: unit, simulator and integration
#                                             tests, built with g++ (build/); e.g. -L unit
#   tools/test.sh --plain [CTEST_ARGS...]     the same, said explicitly
#   tools/test.sh --sanitize [CTEST_ARGS...]  the whole suite under ASan + UBSan (clang-14,
#                                             build-asan/), each fuzzer 10 s included
#   tools/test.sh --tsan [CTEST_ARGS...]      the unit tests (engines, transport, fakes) under TSan
#                                             (build-tsan/; other labels with -L)
# CI (.ci/run) runs the first, then --sanitize. Any sanitizer report fails the test that caused
# it. The simulator (the stand-in for the node software) is built without sanitizers; shardctl,
# its library and the tests are checked.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=build build=(--all) labels=()
case "${1:-}" in
  --plain) shift ;;
  --sanitize) dir=build-asan build=(--all --sanitize address,undefined); shift ;;
  --tsan) dir=build-tsan build=(--all --sanitize thread); labels=(-L unit); shift ;;
esac
[ $# -eq 0 ] || labels=()
tools/build.sh "${build[@]}"
# A report exits 99, a status no test expects of shardctl, so the test that ran it fails.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:exitcode=99}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1:exitcode=99}
export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1}
cd "$dir"
ctest --output-on-failure -j "${CTEST_JOBS:-2}" --timeout 600 "${labels[@]}" "$@"
