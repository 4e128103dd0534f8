#!/usr/bin/env bash
# Upgrade benchmark: `shardctl upgrade` of a sandbox to a new release against `shardctl
# rolling-restart` of the same sandbox, in the same run. The upgrade does more per node (stage,
# swap, version check) and soaks one canary per shard; staging runs in parallel ahead of the
# waves, so its wall time should stay within 1.2x rolling-restart's.
#
#   tools/bench/upgrade.sh [--shards 4] [--nodes 7] [--stage-ahead] [--build DIR] [--keep DIR]
#
# --stage-ahead: stage the release first with `upgrade --stage-only` (timed on its own), then
# time the upgrade, which re-verifies what is staged (playbook verify_staged) instead of sending
# it again; it must take at most 1.25x rolling-restart plus the playbook's upgrade.soak_s.
#
# Prints the wall times and the ratio upgrade / rolling-restart. Needs a build (shardctl,
# validator-sim) in DIR/bin (default build/bin).
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
shards=4 nodes=7 keep= build=$root/build stage_ahead=
while [ $# -gt 0 ]; do
  case "$1" in
    --shards) shards=$2; shift 2 ;;
    --nodes) nodes=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    --keep) keep=$2; shift 2 ;;
    --stage-ahead) stage_ahead=1; shift ;;
    *) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
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

run_upgrade() {
  "$shardctl" upgrade -i "$inv" -p "$playbook" --artifact "$work/v2" --sha256 "$sha" \
    --version v2 --yes --state-dir "$work/state" "$@" >/dev/null 2>"$work/upgrade.err" ||
    { cat "$work/upgrade.err" >&2; exit 1; }
}

staged=0
if [ -n "$stage_ahead" ]; then
  t0=$(now_ms)
  run_upgrade --stage-only
  staged=$(( $(now_ms) - t0 ))
fi
t0=$(now_ms)
run_upgrade
upgrade=$(( $(now_ms) - t0 ))

soak_ms=$(python3 -c 'import json,sys; print(int(json.load(open(sys.argv[1]))["upgrade"]["soak_s"]*1000))' "$playbook")
awk -v r="$rolling" -v u="$upgrade" -v s="$shards" -v n="$nodes" -v st="$staged" \
    -v ahead="$stage_ahead" -v soak="$soak_ms" 'BEGIN {
  printf "%d x %d sandbox: rolling-restart %.1f s, upgrade %.1f s, ratio %.2f\n",
         s, n, r / 1000, u / 1000, u / r
  if (ahead) {
    limit = 1.25 * r + soak
    printf "staged ahead in %.1f s; the upgrade took %.1f s, limit 1.25 x rolling + soak %.1f s = %.1f s: %s\n",
           st / 1000, u / 1000, soak / 1000, limit / 1000, (u <= limit ? "within" : "OVER")
    if (u > limit) exit 1
  }
}'
