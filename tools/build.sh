#!/usr/bin/env bash
# Installs what is missing, then configures and builds into build/ (binaries in build/bin/).
set -euo pipefail
cd "$(dirname "$0")/.."
tools/deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSHARDCTL_WERROR=ON >/dev/null
cmake --build build -j "$(nproc)"
