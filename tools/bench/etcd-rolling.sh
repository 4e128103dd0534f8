#!/usr/bin/env bash
# Rolling-restart benchmark on real etcd: C clusters x M members (Debian's etcd, run by
# tools/etcd-member on free loopback ports, behind a private sshd), restarted once with
# `shardctl rolling-restart -p playbooks/etcd.json` and once with `ansible-playbook` (serial: 1,
# followers first then the leader, waiting after each member until it sees a leader and commits
# a write), in the same run, each under the same writer (build/bin/etcd-writer: a put to every
# cluster every 50 ms, failing over across its members; a put no member accepted within 1 s
# failed).
#
#   tools/bench/etcd-rolling.sh [--clusters 4] [--members 3] [--tools "shardctl ansible"]
#                               [--playbook FILE] [--keep DIR]
#
# Prints wall time and failed writes per tool and the ratio shardctl / ansible. Needs a build
# (shardctl, etcd-writer), etcd-server, ansible-core.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
clusters=4 members=3 keep= playbook=$root/playbooks/etcd.json tools="shardctl ansible"
while [ $# -gt 0 ]; do
  case "$1" in
    --clusters) clusters=$2; shift 2 ;;
    --members) members=$2; shift 2 ;;
    --playbook) playbook=$2; shift 2 ;;
    --tools) tools=$2; shift 2 ;;
    --keep) keep=$2; shift 2 ;;
    *) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
  esac
done
shardctl=$root/build/bin/shardctl writer=$root/build/bin/etcd-writer
member=$root/tools/etcd-member
for b in "$shardctl" "$writer"; do
  [ -x "$b" ] || { echo "etcd-rolling.sh: build first (cmake --build build --target shardctl etcd-writer)" >&2; exit 1; }
done
command -v etcd >/dev/null || { echo "etcd-rolling.sh: etcd missing (tools/deps.sh)" >&2; exit 1; }
command -v ansible-playbook >/dev/null || { echo "etcd-rolling.sh: ansible-playbook missing" >&2; exit 1; }
work=${keep:-$(mktemp -d /tmp/shardctl-bench-etcd-XXXXXX)}
mkdir -p "$work"
writer_pid=
cleanup() {
  [ -z "$writer_pid" ] || kill "$writer_pid" 2>/dev/null || true
  for d in "$work"/c*-m*; do [ -d "$d" ] && "$member" stop --dir "$d" --timeout 5 >/dev/null 2>&1 & done
  wait
  "$root/tools/local-sshd" stop --dir "$work/ssh" >/dev/null 2>&1 || true
  [ -n "$keep" ] || rm -rf "$work"
}
trap cleanup EXIT

now_ms() { date +%s%3N; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# Waits (60 s) until every member's probe says Normal.
wait_all_normal() {
  local deadline=$(( $(now_ms) + 60000 )) d
  for d in "$work"/c*-m*; do
    until "$member" probe --dir "$d" 2>/dev/null | grep -q '"mode":"Normal"'; do
      [ "$(now_ms)" -lt "$deadline" ] || { echo "etcd-rolling.sh: $d never Normal" >&2; exit 1; }
      sleep 0.2
    done
  done
}

"$root/tools/local-sshd" start --dir "$work/ssh" --port "$(free_port)" --private-home
: > "$work/members.txt"  # name cluster dir client_port
for ((c = 0; c < clusters; c++)); do
  initial=() names=()
  for ((i = 0; i < members; i++)); do
    name=c$c-m$i client=$(free_port) peer=$(free_port)
    initial+=("$name=http://127.0.0.1:$peer")
    echo "$name $c $work/$name $client $peer" >> "$work/members.txt"
  done
  list=$(IFS=,; echo "${initial[*]}")
  while read -r name cl dir client peer; do
    [ "$cl" = "$c" ] || continue
    "$member" init --dir "$dir" --name "$name" --client-port "$client" --peer-port "$peer" \
      --cluster "$list" --token "bench-$c"
    "$member" start --dir "$dir" >/dev/null &
  done < "$work/members.txt"
  wait
done
wait_all_normal

python3 - "$work" "$(cat "$work/ssh/sshd.port")" "$member" <<'PY'
import json, sys
work, port, member = sys.argv[1], int(sys.argv[2]), sys.argv[3]
rows = [l.split() for l in open(f"{work}/members.txt")]
shards = {}
for name, c, d, client, peer in rows:
    shards.setdefault(int(c), []).append({"name": name, "host": "127.0.0.1", "vars": {"dir": d}})
inv = {"network": "bench-etcd",
       "defaults": {"ssh": {"user": "root", "port": port, "identity_file": f"{work}/ssh/id_ed25519",
                            "known_hosts": f"{work}/ssh/known_hosts"},
                    "vars": {"etcd_member": member}},
       "shards": [{"id": c, "nodes": n} for c, n in sorted(shards.items())]}
json.dump(inv, open(f"{work}/inventory.json", "w"), indent=1)
open(f"{work}/ansible.ini", "w").write("[etcd]\n" + "".join(
    f"{name} ansible_host=127.0.0.1 ansible_port={port} ansible_user=root dir={d} cluster={c}\n"
    for name, c, d, client, peer in rows) + f"[etcd:vars]\netcd_member={member}\n")
open(f"{work}/endpoints", "w").write(" ".join(
    ",".join(f"127.0.0.1:{r[3]}" for r in rows if r[1] == c) for c in sorted({r[1] for r in rows})))
PY
cat > "$work/rolling.yml" <<'YML'
# Find each cluster's leader, then restart one member at a time: followers first, leaders last;
# after each, wait until the member sees a leader and a write commits through it.
- hosts: etcd
  gather_facts: false
  tasks:
    - raw: "{{ etcd_member }} probe --dir {{ dir | quote }}"
      register: probe
      changed_when: false
    - group_by:
        key: "{{ 'leaders' if (probe.stdout | from_json).leader else 'followers' }}"
- hosts: followers:leaders
  serial: 1
  gather_facts: false
  tasks:
    - raw: "{{ etcd_member }} stop --dir {{ dir | quote }} --timeout 20"
    - raw: "{{ etcd_member }} start --dir {{ dir | quote }}"
    - raw: >-
        timeout 60 sh -c 'until {{ etcd_member }} probe --dir {{ dir | quote }} 2>/dev/null
        | grep -q "\"mode\":\"Normal\""; do sleep 0.2; done'
YML
cat > "$work/ssh_config" <<CFG
Host *
  IdentityFile $work/ssh/id_ed25519
  IdentitiesOnly yes
  UserKnownHostsFile $work/ssh/known_hosts
  GlobalKnownHostsFile /dev/null
  StrictHostKeyChecking yes
  BatchMode yes
  ControlMaster auto
  ControlPersist 120s
  ControlPath $work/cm-%C
CFG

# run LABEL ARGV...: runs the tool under a fresh writer; appends "LABEL wall_ms writer_json".
run() {
  local label=$1; shift
  wait_all_normal
  # shellcheck disable=SC2046
  "$writer" $(cat "$work/endpoints") > "$work/$label.writer" &
  writer_pid=$!
  sleep 1  # let the writer reach every cluster before the tool starts
  local t0 rc=0
  t0=$(now_ms)
  "$@" > "$work/$label.out" 2> "$work/$label.err" || rc=$?
  local wall=$(( $(now_ms) - t0 ))
  sleep 1  # writes after the last restart count too
  kill -TERM "$writer_pid"; wait "$writer_pid" || true; writer_pid=
  [ "$rc" = 0 ] || { echo "etcd-rolling.sh: $label exited $rc; see $work/$label.err" >&2; keep=1; }
  echo "$label $wall $rc $(cat "$work/$label.writer")" >> "$work/results"
}

: > "$work/results"
load_before=$(cut -d' ' -f1 /proc/loadavg)
[[ " $tools " != *" shardctl "* ]] ||
  run shardctl "$shardctl" rolling-restart -i "$work/inventory.json" -p "$playbook" \
  --yes -o json --state-dir "$work/state"
[[ " $tools " != *" ansible "* ]] ||
  run ansible env ANSIBLE_HOST_KEY_CHECKING=True ANSIBLE_SSH_ARGS="-F $work/ssh_config" \
  ANSIBLE_PRIVATE_KEY_FILE="$work/ssh/id_ed25519" ANSIBLE_LOCAL_TEMP="$work/ansible-tmp" \
  ANSIBLE_NOCOLOR=1 ANSIBLE_TIMEOUT=30 ansible-playbook -i "$work/ansible.ini" "$work/rolling.yml"

echo "clusters=$clusters members=$members cores=$(nproc) load(1m) before=$load_before after=$(cut -d' ' -f1 /proc/loadavg)"
python3 - "$work/results" <<'PY'
import json, sys
rows = {}
for line in open(sys.argv[1]):
    label, wall, rc, writer = line.split(" ", 3)
    rows[label] = (int(wall) / 1000, int(rc), json.loads(writer))
print("| tool | wall s | exit | writes ok | writes failed | wall / ansible |")
print("|---|---:|---:|---:|---:|---:|")
base = rows["ansible"][0] if "ansible" in rows else None
for label, (wall, rc, w) in rows.items():
    ratio = f"{wall / base:.2f}" if base else "-"
    print(f"| {label} | {wall:.1f} | {rc} | {w['ok']} | {w['failed']} | {ratio} |")
    for f in w["failures"][:5]:
        print(f"  failed: cluster {f['cluster']} at {f['unix_ms']}: {f['why']}")
PY
