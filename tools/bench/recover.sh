#!/usr/bin/env bash
# Recover benchmark: time to recover per shard after the 2019 incident (fault aug30), against the
# ideal measured in the same run on the same sandbox: a bare whole-shard restart by hand (stop
# every node, start every node at once, wait for the gate's new blocks), with nothing to
# diagnose, verify or restore.
#
#   tools/bench/recover.sh [--shards 4] [--nodes 5] [--keep DIR]
#
# Prints one row per shard: ideal, shardctl recover's time to recover (from its report), and the
# ratio; then recover's wall time for all shards.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
shards=4 nodes=5 keep=
while [ $# -gt 0 ]; do
  case "$1" in
    --shards) shards=$2; shift 2 ;;
    --nodes) nodes=$2; shift 2 ;;
    --keep) keep=$2; shift 2 ;;
    *) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
  esac
done
shardctl=$root/build/bin/shardctl
playbook=$root/playbooks/sandbox.json
[ -x "$shardctl" ] || { echo "recover.sh: build first (tools/build.sh)" >&2; exit 1; }
work=${keep:-$(mktemp -d /tmp/shardctl-bench-recover-XXXXXX)}
cleanup() {
  "$root/tools/sandbox" down --dir "$work/sb" >/dev/null 2>&1 || true
  [ -n "$keep" ] || rm -rf "$work"
}
trap cleanup EXIT

now_ms() { date +%s%3N; }
min_new_blocks=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['gate']['min_new_blocks'])" "$playbook")

# Highest block any node of shard $1 reports (-1: none answers).
shard_height() {
  local top=-1 h
  for port in $(awk -v s="$1" '$2 == s {print $4}' "$work/sb/nodes.txt"); do
    h=$(curl -s -m 1 -d '{"jsonrpc":"2.0","id":1,"method":"hmyv2_blockNumber","params":[]}' \
        "http://127.0.0.1:$port/" | sed -n 's/.*"result":\([0-9]*\).*/\1/p') || true
    [ -n "$h" ] && [ "$h" -gt "$top" ] && top=$h
  done
  echo "$top"
}

# Waits until shard $1 reaches height $2; prints the ms it took since $3.
wait_height() {
  local deadline=$(( $(now_ms) + 60000 ))
  until [ "$(shard_height "$1")" -ge "$2" ]; do
    [ "$(now_ms)" -lt "$deadline" ] || { echo "recover.sh: shard $1 never reached $2" >&2; exit 1; }
    sleep 0.05
  done
  echo $(( $(now_ms) - $3 ))
}

"$root/tools/sandbox" up --dir "$work/sb" --shards "$shards" --nodes "$nodes" >/dev/null
declare -A ideal
for ((s = 0; s < shards; s++)); do
  dirs=$(awk -v s="$s" '$2 == s {print $1}' "$work/sb/nodes.txt")
  for d in $dirs; do "$work/sb/nodes/$d/ctl" stop >/dev/null & done; wait
  base=$(for d in $dirs; do "$work/sb/nodes/$d/bin/validator-sim" db-height --data "$work/sb/nodes/$d/data"; done | sort -n | tail -1)
  t0=$(now_ms)
  for d in $dirs; do "$work/sb/nodes/$d/ctl" start >/dev/null & done; wait
  ideal[$s]=$(wait_height "$s" $((base + min_new_blocks)) "$t0")
done

"$root/tools/sandbox" fault --dir "$work/sb" aug30 >/dev/null
halted=0
for _ in $(seq 1 100); do
  before=""; for ((s = 0; s < shards; s++)); do before+="$(shard_height "$s") "; done
  sleep 3
  after=""; for ((s = 0; s < shards; s++)); do after+="$(shard_height "$s") "; done
  [ "$before" = "$after" ] && { halted=1; break; }
done
[ "$halted" = 1 ] || { echo "recover.sh: aug30 did not halt every shard" >&2; exit 1; }

t0=$(now_ms)
"$shardctl" recover -i "$work/sb/inventory.json" -p "$playbook" --yes -o json \
  --state-dir "$work/state" > "$work/recover.json" 2> "$work/recover.stderr"
wall=$(( $(now_ms) - t0 ))

python3 - "$work/recover.json" "$wall" "${ideal[@]}" <<'PY'
import json, sys
report = [json.loads(l)["report"] for l in open(sys.argv[1]) if '"event":"report"' in l][0]
wall, ideal = int(sys.argv[2]), [int(x) for x in sys.argv[3:]]
print("| shard | ideal whole-shard restart s | recover time to recover s | ratio | restarts | binaries replaced |")
print("|---:|---:|---:|---:|---:|---:|")
for s in sorted(report["shards"], key=lambda s: s["shard"]):
    i, t = ideal[s["shard"]] / 1000, s["time_to_recover_ms"] / 1000
    print(f"| {s['shard']} | {i:.2f} | {t:.2f} | {t / i:.1f} | {s['restarts']} | {len(s['replaced_binaries'])} |")
print(f"\nrecover wall time, all shards: {wall / 1000:.1f} s; every shard healthy: {report['all_healthy']}")
PY
