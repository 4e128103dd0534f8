#!/usr/bin/env bash
# The demo: replays the 2019-08-30 outage on a loopback testnet and recovers it with shardctl.
#
#   1. installs what is missing and builds (tools/build.sh)
#   2. starts a sandbox: 4 shards x 5 validators behind a private sshd (tools/sandbox up)
#   3. replays the incident: a bad release (S3 AccessDenied XML instead of the binary) lands on
#      3 of 5 nodes of every shard, staggered; every shard loses quorum (tools/sandbox fault aug30)
#   4. runs `shardctl recover --yes`: whole-shard restarts, binaries verified and restored,
#      consensus gated, with the live view and the final report
#   5. tears the sandbox down, also on failure or Ctrl-C
#
# tools/demo.sh --drill runs steps 3 and 4 as one game day instead: `shardctl drill` with
# playbooks/drills/aug30.json (hypothesis, bad release on > 1/3 of every shard, the 2019 move of
# restarting only the broken nodes, recover, rollbacks; time to detect and to recover per shard).
#
# Environment: DEMO_DIR (default: a new temp dir), DEMO_SHARDS (4), DEMO_NODES (5).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
drill=0
case "${1:-}" in
  "") ;;
  --drill) drill=1 ;;
  -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
  *) echo "demo: unknown argument '$1' (use --drill or nothing)" >&2; exit 2 ;;
esac

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "Building (installs missing packages first)"
tools/build.sh

dir=${DEMO_DIR:-$(mktemp -d /tmp/shardctl-demo.XXXXXX)}
shards=${DEMO_SHARDS:-4}
nodes=${DEMO_NODES:-5}
shardctl="$root/build/bin/shardctl"
inv="$dir/inventory.json"
pb="$root/playbooks/sandbox.json"
cleanup() {
  step "Tearing the sandbox down"
  "$root/tools/sandbox" down --dir "$dir" || true
}
trap cleanup EXIT

started=$SECONDS
step "Starting a sandbox: $shards shards x $nodes validators in $dir"
tools/sandbox up --dir "$dir" --shards "$shards" --nodes "$nodes"

step "The network is healthy"
"$shardctl" status -i "$inv" -p "$pb"

if [ $drill -eq 1 ]; then
  step "shardctl drill aug30: the 2019 night as a measured game day"
  rc=0
  "$shardctl" drill -i "$inv" -p "$pb" "$root/playbooks/drills/aug30.json" --yes \
    --state-dir "$dir/state" --report "$dir/drill.md" || rc=$?
  step "The drill report ($dir/drill.md)"
  cat "$dir/drill.md"
  echo
  echo "demo: drill finished with exit $rc in $((SECONDS - started)) s after the build."
  exit $rc
fi

step "Replaying 2019-08-30: a bad release reaches most validators of every shard"
tools/sandbox fault --dir "$dir" aug30

step "Waiting until every shard has halted"
deadline=$((SECONDS + 60))
for ((s = 0; s < shards; s++)); do
  until ! "$shardctl" status -i "$inv" -p "$pb" --shard "$s" --interval 1 >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || { echo "demo: shard $s did not halt within 60 s" >&2; exit 1; }
  done
done
"$shardctl" status -i "$inv" -p "$pb" || true

step "shardctl recover: every halted shard back, verified"
"$shardctl" recover -i "$inv" -p "$pb" --yes --state-dir "$dir/state" --report "$dir/report.md"

step "The report ($dir/report.md)"
cat "$dir/report.md"

step "The network after recovery"
"$shardctl" status -i "$inv" -p "$pb"
echo
echo "demo: done in $((SECONDS - started)) s after the build; every shard is committing blocks."
