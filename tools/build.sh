#!/usr/bin/env bash
# Installs what is missing, then configures and builds into build/ (binaries in build/bin/).
#
#   tools/build.sh          shardctl and validator-sim: what the demo and an operator run
#   tools/build.sh --all    everything, the test binaries included (tools/test.sh uses this)
set -euo pipefail
cd "$(dirname "$0")/.."
targets=(shardctl validator-sim)
case "${1:-}" in
  --all) targets=(all) ;;
  "") ;;
  *) echo "usage: tools/build.sh [--all]" >&2; exit 2 ;;
esac
tools/deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSHARDCTL_WERROR=ON >/dev/null
cmake --build build -j "$(nproc)" --target "${targets[@]}"
