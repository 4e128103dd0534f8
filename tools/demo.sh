#!/usr/bin/env bash
# The demo: builds shardctl, starts a 4-shard sandbox, replays the 2019 incident and recovers it.
# (The recover flow is landing; until then this builds and validates the shipped inventory.)
set -euo pipefail
cd "$(dirname "$0")/.."
tools/build.sh
build/bin/shardctl validate -i inventory/harmony-mainnet.json
echo "demo: shardctl recover on the sandbox is coming (issue 4)."
