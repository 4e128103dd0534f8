#!/usr/bin/env bash
# The test command (README, CI): installs what is missing, builds, runs every test.
# Tests start real processes (a private sshd, validator simulators) on free loopback ports in
# their own temp dirs, so they run in parallel. Extra arguments go to ctest (e.g. -L model).
set -euo pipefail
cd "$(dirname "$0")/.."
tools/build.sh --all
cd build
ctest --output-on-failure -j "${CTEST_JOBS:-2}" --timeout 600 "$@"
