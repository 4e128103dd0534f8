#!/usr/bin/env bash
# Upgrade benchmark: `shardctl upgrade` of a sandbox to a new release against `shardctl
# rolling-restart` of the same sandbox, in the same run. The upgrade does more per node (stage,
# swap, version check) and soaks one canary per shard; staging runs in parallel ahead of the
# waves, so its wall time should stay within 1.2x rolling-restart's.
#
#   tools/bench/upgrade.sh [--shards 4] [--nodes 7] [--build DIR] [--keep DIR]
#
# Prints both wall times and the ratio upgrade / rolling-restart. Needs a build (shardctl,
# validator-sim) in DIR/bin (default build/bin).
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
shards=4 nodes=7 keep= build=$root/build
while [ $# -gt 0 ]; do
  case "$1" in
    --shards) shards=$2; shift 2 ;;
    --nodes) nodes=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    --keep) keep=$2; shift 2 ;;
    *) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
  esac
done
shardctl=$build/bin/shardctl
playbook=$root/playbooks/sandbox.json
[ -x "$shardctl" ] || { echo "upgrade.sh: build first (tools/build.sh)" >&2; exit 1; }
work=${keep:-$(mktemp -d /tmp/shardctl-bench-upgrade-XXXXXX)}
cleanup() {
  "$root/tools/sandbox" down --dir "$work/sb" >/dev/null 2>&1 || true
  [ -n "$keep" ] || rm -rf "$work"
}
trap cleanup EXIT

now_ms() { date +%s%3N; }

"$root/tools/sandbox" up --dir "$work/sb" --shards "$shards" --nodes "$nodes" \
  --sim "$build/bin/validator-sim" >/dev/null
"$root/tools/sandbox" release --dir "$work/sb" --version v2 --out "$work/v2" >/dev/null
sha=$(sha256sum "$work/v2" | cut -d' ' -f1)
inv=$work/sb/inventory.json

t0=$(now_ms)
"$shardctl" rolling-restart -i "$inv" -p "$playbook" --yes --state-dir "$work/state" \
  >/dev/null 2>"$work/rolling.err" || { cat "$work/rolling.err" >&2; exit 1; }
rolling=$(( $(now_ms) - t0 ))

t0=$(now_ms)
"$shardctl" upgrade -i "$inv" -p "$playbook" --artifact "$work/v2" --sha256 "$sha" \
  --version v2 --yes --state-dir "$work/state" >/dev/null 2>"$work/upgrade.err" ||
  { cat "$work/upgrade.err" >&2; exit 1; }
upgrade=$(( $(now_ms) - t0 ))

awk -v r="$rolling" -v u="$upgrade" -v s="$shards" -v n="$nodes" 'BEGIN {
  printf "%d x %d sandbox: rolling-restart %.1f s, upgrade %.1f s, ratio %.2f\n",
         s, n, r / 1000, u / 1000, u / r }'
