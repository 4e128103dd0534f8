#!/usr/bin/env bash
# Node-side cost of watching and commanding a node: the CPU the node's sshd and everything it
# starts spend per probe and per command, read from the kernel (a cpuacct cgroup holding the
# sandbox's sshd and all its descendants, orphans included; without cgroups, /proc of the sshd
# after its connections closed). Measured on a 1-shard sandbox, with the sshd's HOME clean and
# with a heavy .bashrc (tools/bench/heavy-bashrc), for:
#   http-probe     the playbook's probe.http over the kept session (probe-loop)
#   cmd-probe      the same probe as a command, `{{dir}}/ctl probe`, on the kept session
#   true-kept      `true` on the kept session (what every playbook command pays at least)
#   shardctl-exec  `shardctl exec -- true`: a fresh connection per run, like the next two
#   ssh-true       OpenSSH's `ssh host true`, one process and connection per node
#
#   tools/bench/node-cost.sh [--nodes 4] [--rounds 40] [--keep DIR]
#
# Per-call figures exclude the handshake for the kept-session rows (a run of 1 round is
# subtracted from a run of ROUNDS+1). The validator's own work answering the RPC is not counted:
# it is the same whichever way the question comes.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
nodes=4 rounds=40 keep=
while [ $# -gt 0 ]; do
  case "$1" in
    --nodes) nodes=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --keep) keep=$2; shift 2 ;;
    *) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
  esac
done
bin=$root/build/bin
for b in shardctl probe-loop validator-sim; do
  [ -x "$bin/$b" ] || { echo "node-cost.sh: build first (cmake --build build --target shardctl probe-loop validator-sim): $bin/$b" >&2; exit 1; }
done
work=${keep:-$(mktemp -d /tmp/shardctl-bench-nodecost-XXXXXX)}
cg=
cleanup() {
  "$root/tools/sandbox" down --dir "$work/sb" >/dev/null 2>&1 || true
  if [ -n "$cg" ]; then
    while read -r p; do echo "$p" > /sys/fs/cgroup/cpuacct/cgroup.procs 2>/dev/null || true; done < "$cg/cgroup.procs"
    rmdir "$cg" 2>/dev/null || true
  fi
  [ -n "$keep" ] || rm -rf "$work"
}
trap cleanup EXIT

"$root/tools/sandbox" up --dir "$work/sb" --shards 1 --nodes "$nodes" >/dev/null
inv=$work/sb/inventory.json pb=$root/playbooks/sandbox.json
sshd_pid=$(cat "$work/sb/ssh/sshd.pid")
if mkdir "/sys/fs/cgroup/cpuacct/shardctl-node-cost-$$" 2>/dev/null; then
  cg=/sys/fs/cgroup/cpuacct/shardctl-node-cost-$$
  echo "$sshd_pid" > "$cg/cgroup.procs"
  source_of_figures="cpuacct cgroup (sshd and every descendant)"
else
  source_of_figures="/proc/$sshd_pid/stat: utime+stime+cutime+cstime (orphans not counted)"
fi

# CPU ms the sshd and all it started have used so far.
node_ms() {
  if [ -n "$cg" ]; then
    echo $(( $(cat "$cg/cpuacct.usage") / 1000000 ))
  else
    awk -v hz="$(getconf CLK_TCK)" '{ print int(($14 + $15 + $16 + $17) * 1000 / hz) }' \
      "/proc/$sshd_pid/stat"
  fi
}
# Waits until the sshd has no connection left (their CPU is then counted in full).
settle() {
  local deadline=$((SECONDS + 20))
  while [ -n "$(pgrep -P "$sshd_pid")" ] && [ $SECONDS -lt $deadline ]; do sleep 0.05; done
}
# cost CMD...: node CPU ms spent while CMD ran.
cost() {
  settle; local before; before=$(node_ms)
  "$@" >/dev/null
  settle; echo $(( $(node_ms) - before ))
}
# per_call LABEL ARGS...: probe-loop with 1 and ROUNDS+1 rounds; prints ms per call.
per_call() {
  local one many
  one=$(cost "$bin/probe-loop" -i "$inv" -p "$pb" --rounds 1 "$@")
  many=$(cost "$bin/probe-loop" -i "$inv" -p "$pb" --rounds $((rounds + 1)) "$@")
  echo "$(( many - one )) $((rounds * nodes))" | awk '{ printf "%.2f", $1 / $2 }'
}
ssh_true() {
  local port; port=$(cat "$work/sb/ssh/sshd.port")
  for ((i = 0; i < nodes; i++)); do
    ssh -F /dev/null -p "$port" -i "$work/sb/ssh/id_ed25519" -o BatchMode=yes \
      -o UserKnownHostsFile="$work/sb/ssh/known_hosts" -o StrictHostKeyChecking=yes \
      root@127.0.0.1 true
  done
}
fresh_per_node() { echo "$(cost "$@") $nodes" | awk '{ printf "%.2f", $1 / $2 }'; }

: > "$work/results"
for home in clean heavy; do
  if [ "$home" = heavy ]; then cp "$root/tools/bench/heavy-bashrc" "$work/sb/ssh/home/.bashrc"
  else rm -f "$work/sb/ssh/home/.bashrc"; fi
  http=$(per_call)
  cmd=$(per_call --probe-command '{{dir}}/ctl probe')
  kept=$(per_call --exec true)
  exec_fresh=$(fresh_per_node "$bin/shardctl" exec -i "$inv" --output json -- true)
  ssh_fresh=$(fresh_per_node ssh_true)
  echo "$home $http $cmd $kept $exec_fresh $ssh_fresh" >> "$work/results"
done

echo "nodes=$nodes rounds=$rounds cores=$(nproc) load(1m)=$(cut -d' ' -f1 /proc/loadavg) source: $source_of_figures"
awk '
  BEGIN { printf "| HOME | http-probe ms | cmd-probe ms | true-kept ms | shardctl-exec ms | ssh-true ms | http / cmd |\n|---|---:|---:|---:|---:|---:|---:|\n" }
  { printf "| %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, ($3 > 0 ? sprintf("1/%.0f", $3 / ($2 > 0 ? $2 : 0.01)) : "-") }
' "$work/results"
