#!/usr/bin/env bash
# Fan-out benchmark: the same command on N inventory entries (all one private loopback sshd) with
# shardctl exec, clush, parallel-ssh and ansible raw; wall time and client CPU (user+sys of the
# tool's whole process tree) per run, and ratios against clush -f 16.
#
#   tools/bench/fanout.sh N [--tools "shardctl clush16 clushN pssh ansible16 ansibleN"]
#                           [--shardctl PATH] [-j J] [--cmd COMMAND] [--keep DIR] [--bastion]
#                           [--heavy-rc]
#
# --heavy-rc: the sshd's HOME gets tools/bench/heavy-bashrc as .bashrc (a version manager's
# init: ~100 ms of CPU per login shell), as on a real host; every tool's remote shell pays it.
# --bastion: every node sits behind a second private sshd (the bastion, LogLevel INFO) that the
# tools must jump through: shardctl with inventory `jump` (one kept session, a direct-tcpip
# channel per node), clush with `-o '-J bastion'` (OpenSSH ProxyJump: one more ssh process and
# bastion handshake per node). Default tools then: "shardctl clush16 clushN". Adds the column
# bastion_sessions: logins the bastion's log accepted during that tool's run.
#
# Every tool gets the same key, the same known_hosts and strict host key checking, and opens one
# fresh SSH connection per node (ansible's ControlMaster is off: its socket path would be shared
# by all entries here, since they are one host:port). Needs clush, parallel-ssh, ansible-core,
# /usr/bin/time; tools that are missing are skipped with a note.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
n=${1:-}
[[ "$n" =~ ^[1-9][0-9]*$ ]] || { sed -n '2,23p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
shift
tools=
shardctl=${SHARDCTL:-$root/build/bin/shardctl}
jobs=0
cmd=hostname
keep=
bastion=
heavy_rc=
while [ $# -gt 0 ]; do
  case "$1" in
    --bastion) bastion=1; shift ;;
    --heavy-rc) heavy_rc=1; shift ;;
    --tools) tools=$2; shift 2 ;;
    --shardctl) shardctl=$2; shift 2 ;;
    -j) jobs=$2; shift 2 ;;
    --cmd) cmd=$2; shift 2 ;;
    --keep) keep=$2; shift 2 ;;
    *) echo "fanout.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done

if [ -z "$tools" ]; then
  tools="shardctl clush16 clushN pssh ansible16 ansibleN"
  [ -z "$bastion" ] || tools="shardctl clush16 clushN"
fi

work=${keep:-$(mktemp -d /tmp/shardctl-bench-XXXXXX)}
mkdir -p "$work"
cleanup() {
  "$root/tools/local-sshd" stop --dir "$work/ssh" >/dev/null 2>&1 || true
  "$root/tools/local-sshd" stop --dir "$work/bastion" >/dev/null 2>&1 || true
  [ -n "$keep" ] || rm -rf "$work"
}
trap cleanup EXIT

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$root/tools/local-sshd" start --dir "$work/ssh" --port "$port" --private-home
[ -z "$heavy_rc" ] || cp "$root/tools/bench/heavy-bashrc" "$work/ssh/home/.bashrc"
key=$work/ssh/id_ed25519
kh=$work/ssh/known_hosts
bport=0
if [ -n "$bastion" ]; then
  # The bastion trusts the same client key; one known_hosts file vouches for both servers.
  mkdir -p "$work/bastion"
  cp "$key" "$key.pub" "$work/bastion/"
  bport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  "$root/tools/local-sshd" start --dir "$work/bastion" --port "$bport" --private-home --log-level INFO
  cat "$work/ssh/known_hosts" "$work/bastion/known_hosts" > "$work/known_hosts"
  kh=$work/known_hosts
fi

python3 - "$n" "$port" "$key" "$kh" "$work" "$bport" <<'PY'
import json, sys
n, port, key, kh, work = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
bport = int(sys.argv[6])
names = [f"b{i}" for i in range(n)]
ssh = {"user": "root", "port": port, "identity_file": key, "known_hosts": kh}
if bport:
    ssh["jump"] = "bastion"  # resolved through the ssh_config below (-F), like clush's -J
inv = {"network": "bench", "defaults": {"ssh": ssh},
       "shards": [{"id": 0, "nodes": [{"name": x, "host": "127.0.0.1"} for x in names]}]}
json.dump(inv, open(f"{work}/inventory.json", "w"))
open(f"{work}/hosts", "w").write("".join(f"root@{x}\n" for x in names))
open(f"{work}/ansible.ini", "w").write("[bench]\n" + "".join(
    f"{x} ansible_host=127.0.0.1 ansible_port={port} ansible_user=root\n" for x in names))
bastion_block = f"""Host bastion
  HostName 127.0.0.1
  Port {bport}
  User root
  IdentityFile {key}
  UserKnownHostsFile {kh}
  StrictHostKeyChecking yes
  BatchMode yes
""" if bport else ""
open(f"{work}/ssh_config", "w").write(bastion_block + f"""Host b* 127.0.0.1
  HostName 127.0.0.1
  Port {port}
  User root
  IdentityFile {key}
  IdentitiesOnly yes
  UserKnownHostsFile {kh}
  GlobalKnownHostsFile /dev/null
  StrictHostKeyChecking yes
  BatchMode yes
  ControlMaster no
  ControlPath none
""")
PY
cfg=$work/ssh_config
last=$((n - 1))
jump=() fcfg=()
[ -z "$bastion" ] || { jump=(-J bastion); fcfg=(-F "$cfg"); }
bastion_logins() { grep -c 'Accepted publickey' "$work/bastion/sshd.log" 2>/dev/null || true; }

# run LABEL SUCCESS_REGEX -- ARGV...: prints "LABEL wall_s cpu_s ok" into $work/results.
run() {
  local label=$1 regex=$2; shift 3
  local out=$work/$label.out
  local logins_before
  logins_before=$(bastion_logins)
  /usr/bin/time -f "%e %U %S" -o "$work/$label.time" "$@" >"$out" 2>"$work/$label.err" || true
  local wall user sys ok sessions=-
  read -r wall user sys < <(tail -n 1 "$work/$label.time")
  if [ "$regex" = clush-stderr ]; then  # output-less commands: every node not named in stderr
    ok=$(( n - $(grep -cE '^clush: b[0-9]+' "$work/$label.err" || true) ))
  else
    ok=$(grep -cE "$regex" "$out" || true)
  fi
  [ -z "$bastion" ] || sessions=$(( $(bastion_logins) - logins_before ))
  echo "$label $wall $(echo "$user + $sys" | bc) $ok $sessions" >> "$work/results"
}

: > "$work/results"
load_before=$(cut -d' ' -f1 /proc/loadavg)
for t in $tools; do
  case "$t" in
    shardctl)
      [ -x "$shardctl" ] || { echo "skip shardctl: $shardctl not built" >&2; continue; }
      j=() label=shardctl
      [ "$jobs" = 0 ] || { j=(-j "$jobs"); label=shardctl-j$jobs; }
      run "$label" '"ok":true' -- "$shardctl" exec -i "$work/inventory.json" "${fcfg[@]}" "${j[@]}" \
        --timeout 120 --output json -- "$cmd" ;;
    clush16|clushN)
      command -v clush >/dev/null || { echo "skip $t: clush missing" >&2; continue; }
      f=16; [ "$t" = clushN ] && f=$n
      regex='^b[0-9]+: '
      # A command that prints nothing (true) leaves no line per node: count the failures.
      [ -n "$(bash -c "$cmd" 2>/dev/null)" ] || regex=clush-stderr
      run "clush-f$f" "$regex" -- clush -f "$f" -t 30 -u 120 -o "-F $cfg ${jump[*]}" \
        -w "b[0-$last]" "$cmd" ;;
    pssh)
      command -v parallel-ssh >/dev/null || { echo "skip pssh: parallel-ssh missing" >&2; continue; }
      run "pssh-p$n" '\[SUCCESS\]' -- parallel-ssh -p "$n" -t 120 -h "$work/hosts" -x "-F $cfg" \
        "$cmd" ;;
    ansible16|ansibleN)
      command -v ansible >/dev/null || { echo "skip $t: ansible missing" >&2; continue; }
      f=16; [ "$t" = ansibleN ] && f=$n
      run "ansible-f$f" '\| (CHANGED|SUCCESS)' -- env ANSIBLE_HOST_KEY_CHECKING=True \
        ANSIBLE_SSH_ARGS="-F $cfg" ANSIBLE_PRIVATE_KEY_FILE="$key" ANSIBLE_TIMEOUT=30 \
        ANSIBLE_LOCAL_TEMP="$work/ansible-tmp" ANSIBLE_NOCOLOR=1 \
        ansible all -i "$work/ansible.ini" -m raw -a "$cmd" -f "$f" ;;
    *) echo "fanout.sh: unknown tool '$t'" >&2; exit 2 ;;
  esac
done

echo "N=$n command=$cmd cores=$(nproc) bastion=${bastion:-no} heavy_rc=${heavy_rc:-no}" \
  "load(1m) before=$load_before after=$(cut -d' ' -f1 /proc/loadavg)"
awk -v n="$n" '
  { label[NR] = $1; wall[NR] = $2; cpu[NR] = $3; ok[NR] = $4; sess[NR] = $5
    if ($1 == "clush-f16") { base = $2; base_cpu = $3 } }
  END {
    printf "%-14s %8s %8s %12s %8s %12s %12s %16s\n", "tool", "wall_s", "cpu_s", "cpu_ms/node", "ok",
           "wall/clush16", "cpu/clush16", "bastion_sessions"
    for (i = 1; i <= NR; i++)
      printf "%-14s %8.2f %8.2f %12.2f %5d/%d %12s %12s %16s\n", label[i], wall[i], cpu[i],
             1000 * cpu[i] / n, ok[i], n, base ? sprintf("%.2f", wall[i] / base) : "-",
             base_cpu ? sprintf("%.2f", cpu[i] / base_cpu) : "-", sess[i]
  }' "$work/results"
