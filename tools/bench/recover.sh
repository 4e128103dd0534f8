#!/usr/bin/env bash
# Recover benchmark: the 2019 incident (fault aug30: a bad release on a majority of every shard,
# the rest left running) recovered by `shardctl recover` and by a prepared Ansible play
# (tools/bench/recover-play.yml: stop all, restore the release, start all, wait for Normal), on
# one sandbox, against the ideal measured in the same run: a bare whole-shard restart by hand
# (stop every node, start every node at once, wait for the gate's new blocks), with nothing to
# diagnose, verify or restore; once shard by shard, once every shard at once (as recover does).
#
#   tools/bench/recover.sh [--shards 4] [--nodes 5] [--tools "shardctl ansible"] [--keep DIR]
#
# For each tool: fault aug30, wait until every shard has halted, run the tool, and time (from
# the tool's start, watched from outside by tools/bench/commit_watch.py) when each shard has
# committed the gate's new blocks again. Prints one row per shard (ideal; each tool's time to
# commit and its ratio to the ideal) and the tools' wall times; shardctl's own per-shard time to
# recover is in the keep dir (recover.json). The sshd's HOME is the sandbox's private one.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
shards=4 nodes=5 keep= tools="shardctl ansible"
while [ $# -gt 0 ]; do
  case "$1" in
    --shards) shards=$2; shift 2 ;;
    --nodes) nodes=$2; shift 2 ;;
    --tools) tools=$2; shift 2 ;;
    --keep) keep=$2; shift 2 ;;
    *) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
  esac
done
shardctl=$root/build/bin/shardctl
playbook=$root/playbooks/sandbox.json
[ -x "$shardctl" ] || { echo "recover.sh: build first (tools/build.sh)" >&2; exit 1; }
work=${keep:-$(mktemp -d /tmp/shardctl-bench-recover-XXXXXX)}
mkdir -p "$work"
cleanup() {
  "$root/tools/sandbox" down --dir "$work/sb" >/dev/null 2>&1 || true
  [ -n "$keep" ] || rm -rf "$work"
}
trap cleanup EXIT

now_ms() { date +%s%3N; }
min_new_blocks=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['gate']['min_new_blocks'])" "$playbook")
watch() { python3 "$root/tools/bench/commit_watch.py" "$work/sb/nodes.txt" "$@"; }

"$root/tools/sandbox" up --dir "$work/sb" --shards "$shards" --nodes "$nodes" --timeout 120 >/dev/null
sb=$work/sb

# The ideal, shard by shard: stop all, start all at once, wait for the new blocks.
declare -A ideal
for ((s = 0; s < shards; s++)); do
  dirs=$(awk -v s="$s" '$2 == s {print $1}' "$sb/nodes.txt")
  for d in $dirs; do "$sb/nodes/$d/ctl" stop >/dev/null & done; wait
  base=$(for d in $dirs; do "$sb/nodes/$d/bin/validator-sim" db-height --data "$sb/nodes/$d/data"; done | sort -n | tail -1)
  t0=$(now_ms)
  for d in $dirs; do "$sb/nodes/$d/ctl" start >/dev/null & done; wait
  ideal[$s]=$(watch commits --shard "$s" --above "$base" --blocks "$min_new_blocks" --since "$t0" | cut -d' ' -f2)
done

# The ideal for the way recover works (every halted shard at once): every node of every shard
# stopped, then all started at once; each shard's time to its new blocks.
all_dirs=$(awk '{print $1}' "$sb/nodes.txt")
for d in $all_dirs; do "$sb/nodes/$d/ctl" stop >/dev/null & done; wait
bases=$(for ((s = 0; s < shards; s++)); do
  for d in $(awk -v s="$s" '$2 == s {print $1}' "$sb/nodes.txt"); do
    "$sb/nodes/$d/bin/validator-sim" db-height --data "$sb/nodes/$d/data"
  done | sort -n | tail -1
done | tr '\n' ' ')
t0=$(now_ms)
for d in $all_dirs; do "$sb/nodes/$d/ctl" start >/dev/null & done; wait
watch commits --all --tops "$bases" --blocks "$min_new_blocks" --since "$t0" --timeout 120 \
  > "$work/ideal-all.commits"
declare -A ideal_all
while read -r s ms; do ideal_all[$s]=$ms; done < "$work/ideal-all.commits"

# The Ansible side: one fork per node, a kept connection per node (ControlPersist).
nodes_total=$((shards * nodes))
port=$(cat "$sb/ssh/sshd.port")
cat > "$work/ssh_config" <<CFG
Host *
  HostName 127.0.0.1
  Port $port
  User root
  IdentityFile $sb/id_ed25519
  IdentitiesOnly yes
  UserKnownHostsFile $sb/known_hosts
  GlobalKnownHostsFile /dev/null
  StrictHostKeyChecking yes
  BatchMode yes
CFG
awk -v sb="$sb" '{ printf "%s dir=%s/nodes/%s\n", $1, sb, $1 }' "$sb/nodes.txt" > "$work/ansible.ini"
mkdir -p "$work/cp"

run_tool() {
  case "$1" in
    shardctl)
      "$shardctl" recover -i "$sb/inventory.json" -p "$playbook" --yes -o json \
        --state-dir "$work/state" > "$work/recover.json" 2> "$work/recover.stderr" ;;
    ansible)
      ANSIBLE_SSH_ARGS="-F $work/ssh_config -o ControlMaster=auto -o ControlPersist=120s" \
        ANSIBLE_SSH_CONTROL_PATH="$work/cp/%%n" ANSIBLE_HOST_KEY_CHECKING=True \
        ANSIBLE_LOCAL_TEMP="$work/ansible-tmp" ANSIBLE_NOCOLOR=1 \
        ansible-playbook -i "$work/ansible.ini" -f "$nodes_total" \
        "$root/tools/bench/recover-play.yml" > "$work/ansible.out" 2>&1 ;;
  esac
}

: > "$work/results"
for tool in $tools; do
  "$root/tools/sandbox" fault --dir "$sb" aug30 >/dev/null
  tops=$(watch halted --timeout 120)  # "top0 top1 ...", once every shard stopped committing
  t0=$(now_ms)
  watch commits --all --tops "$tops" --blocks "$min_new_blocks" --since "$t0" --timeout 180 \
    > "$work/$tool.commits" &
  watcher=$!
  run_tool "$tool" || echo "recover.sh: $tool exited $?" >&2
  wall=$(( $(now_ms) - t0 ))
  wait "$watcher" || echo "recover.sh: not every shard committed again after $tool" >&2
  echo "$tool $wall $(tr '\n' ' ' < "$work/$tool.commits")" >> "$work/results"
done

ideal_all_list=$(for ((s = 0; s < shards; s++)); do echo "${ideal_all[$s]}"; done | tr '\n' ',')
python3 - "$work/results" "$shards" "$nodes" "$(cut -d' ' -f1 /proc/loadavg)" "$ideal_all_list" \
  "${ideal[@]}" <<'PY'
import sys
lines = [l.split() for l in open(sys.argv[1]) if l.strip()]
shards, nodes, load = int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
ideal_all = [int(x) / 1000 for x in sys.argv[5].strip(",").split(",")]
ideal = [int(x) / 1000 for x in sys.argv[6:]]
tools = {l[0]: (int(l[1]) / 1000, {int(a): int(b) / 1000 for a, b in zip(l[2::2], l[3::2])}) for l in lines}
print(f"{shards} x {nodes}, load(1m) after: {load}")
print("ideal alone: the shard restarted by itself; ideal all: every shard restarted at once, as")
print("recover does (the like-for-like floor on this machine); ratios are against ideal all.")
head = "| shard | ideal alone s | ideal all s |" + "".join(f" {t} s | {t} / ideal |" for t in tools)
print(head)
print("|---:|---:|---:|" + "---:|---:|" * len(tools))
for s in range(shards):
    row = f"| {s} | {ideal[s]:.2f} | {ideal_all[s]:.2f} |"
    for t, (wall, per) in tools.items():
        v = per.get(s)
        row += f" {v:.2f} | {v / ideal_all[s]:.2f} |" if v is not None else " - | - |"
    print(row)
print()
for t, (wall, per) in tools.items():
    last = max(per.values()) if per else float("nan")
    print(f"{t}: wall {wall:.2f} s, every shard committing again {last:.2f} s after its start")
if "shardctl" in tools and "ansible" in tools:
    print(f"shardctl / ansible, every shard committing: "
          f"{max(tools['shardctl'][1].values()) / max(tools['ansible'][1].values()):.2f}")
PY
