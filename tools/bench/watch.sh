#!/usr/bin/env bash
# Watch benchmark, two parts (docs/benchmarks.md, "watch").
#
#   tools/bench/watch.sh [--keep DIR] [--cpu-nodes 25] [--cpu-seconds 60] [--no-cpu]
#
# 1. The 2019 incident on a 4 x 5 sandbox under `shardctl watch --act` (playbooks/sandbox.json:
#    interval 1 s, halt_after 3 s, for 1 s): the time from the fault (tools/sandbox fault aug30)
#    to each shard's first alert (as a webhook receiver got it), to the watcher's action, and to
#    the shard committing again (its height 5 blocks past where it halted). Goals: first alert
#    within halt_after_s + 2 intervals; every shard committing within 60 s of the fault.
# 2. What watching costs the nodes: a 4 x N sandbox (N = --cpu-nodes, 25: 100 nodes) watched at
#    a 5 s interval for --cpu-seconds; the CPU its sshd and everything under it (the probes) use,
#    from /proc, per node, and the watcher's own CPU. Goal: under 1% of one core per node.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
keep= cpu_nodes=25 cpu_seconds=60 cpu=1
while [ $# -gt 0 ]; do
  case "$1" in
    --keep) keep=$2; shift 2 ;;
    --cpu-nodes) cpu_nodes=$2; shift 2 ;;
    --cpu-seconds) cpu_seconds=$2; shift 2 ;;
    --no-cpu) cpu=0; shift ;;
    *) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
  esac
done
shardctl=$root/build/bin/shardctl
playbook=$root/playbooks/sandbox.json
[ -x "$shardctl" ] || { echo "watch.sh: build first (tools/build.sh)" >&2; exit 1; }
work=${keep:-$(mktemp -d /tmp/shardctl-bench-watch-XXXXXX)}
watcher= receiver=
cleanup() {
  [ -z "$watcher" ] || kill "$watcher" 2>/dev/null || true
  [ -z "$receiver" ] || kill "$receiver" 2>/dev/null || true
  wait 2>/dev/null || true
  for sb in "$work"/sb*; do [ -d "$sb" ] && "$root/tools/sandbox" down --dir "$sb" >/dev/null 2>&1; done
  [ -n "$keep" ] || rm -rf "$work"
}
trap cleanup EXIT
now_ms() { date +%s%3N; }
free_port() { "$root/build/bin/validator-sim" free-ports 1; }

# A webhook receiver that writes "unix_ms alertname shard status" per alert it is sent.
start_receiver() {
  python3 - "$1" "$2" <<'EOF' &
import http.server, json, sys, time
port, out = int(sys.argv[1]), sys.argv[2]
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        with open(out, "a") as f:
            for a in body.get("alerts", []):
                f.write("%d %s %s %s\n" % (time.time() * 1000, a["labels"]["alertname"],
                                           a["labels"].get("shard", "-"), a["status"]))
        self.send_response(200); self.end_headers()
    def log_message(self, *args): pass
http.server.HTTPServer(("127.0.0.1", port), H).serve_forever()
EOF
  receiver=$!
}

# Polls until every shard of sandbox $1 has had its first alert (receiver file $3), the watcher's
# action (journal $2) and 5 blocks past its halt height; prints one row per shard, times from
# the fault ($4, Unix ms).
measure() {
  python3 - "$@" <<'EOF'
import json, sys, time, urllib.request
sb, journal, alerts, fault = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
ports = {}
for line in open(sb + "/nodes.txt"):
    f = line.split()
    ports.setdefault(int(f[1]), []).append(int(f[3]))
def height(shard):
    top = -1
    for p in ports[shard]:
        req = urllib.request.Request("http://127.0.0.1:%d/" % p, data=json.dumps(
            {"jsonrpc": "2.0", "id": 1, "method": "hmyv2_blockNumber", "params": []}).encode())
        try:
            top = max(top, json.load(urllib.request.urlopen(req, timeout=1))["result"])
        except Exception:
            pass
    return top
def first_alert(shard):
    try:
        for l in open(alerts):
            ms, name, s, status = l.split()
            if name == "ShardctlShardHalted" and s == str(shard) and status == "firing":
                return int(ms)
    except FileNotFoundError:
        pass
def acted(shard):
    try:
        for l in open(journal):
            j = json.loads(l)
            if j.get("event") == "decision" and j.get("shard") == shard and j.get("acted"):
                return j["unix_ms"]
    except FileNotFoundError:
        pass
now = lambda: int(time.time() * 1000)
rows, halt, top, rise = {}, {}, {}, {}
while len(rows) < len(ports):
    if now() - fault > 180000:
        sys.exit("watch.sh: not every shard came back within 180 s: %s" % rows)
    for s in ports:
        if s in rows: continue
        h = height(s)
        a, act = first_alert(s), acted(s)
        if a is None:  # still before the halt: when did the shard last commit?
            if h > top.get(s, -1): top[s], rise[s] = h, now()
            continue
        if act is None: continue
        halt.setdefault(s, h)
        if h >= halt[s] + 5:
            rows[s] = (rise[s] - fault, a - fault, act - fault, now() - fault)
    time.sleep(0.1)
print("times from the start of the fault (aug30, 250 ms between broken nodes):")
print("%-6s %12s %14s %10s %14s %18s" % ("shard", "last block", "first alert", "action",
                                           "committing", "alert-last block"))
for s in sorted(rows):
    r = [x / 1000 for x in rows[s]]
    print("%-6d %10.1f s %12.1f s %8.1f s %12.1f s %16.1f s" % (s, *r, r[1] - r[0]))
print("slowest: first alert %.1f s after the shard's last block; every shard committing %.1f s "
      "after the fault" % (max(r[1] - r[0] for r in rows.values()) / 1000,
                           max(r[3] for r in rows.values()) / 1000))
EOF
}

incident() {
  echo "== the 2019 incident on 4 x 5 under watch --act"
  local sb=$work/sb-incident state=$work/state-incident hook_port fault
  hook_port=$(free_port)
  start_receiver "$hook_port" "$work/alerts.txt"
  "$root/tools/sandbox" up --dir "$sb" --shards 4 --nodes 5 >/dev/null
  "$shardctl" watch -i "$sb/inventory.json" -p "$playbook" --act --state-dir "$state" \
    --webhook "http://127.0.0.1:$hook_port/" > "$work/watch.out" 2>&1 &
  watcher=$!
  local deadline=$(( $(now_ms) + 90000 ))
  until n=$(grep -c '"to":"healthy"' "$state/watch/sandbox.jsonl" 2>/dev/null); [ "${n:-0}" -ge 4 ]; do
    [ "$(now_ms)" -lt "$deadline" ] || { echo "watch.sh: shards never healthy" >&2; exit 1; }
    sleep 0.2
  done
  fault=$(now_ms)
  "$root/tools/sandbox" fault --dir "$sb" aug30 > "$work/fault.out" &
  measure "$sb" "$state/watch/sandbox.jsonl" "$work/alerts.txt" "$fault"
  wait $!
  kill "$watcher"; wait "$watcher" || true; watcher=
  kill "$receiver"; wait "$receiver" 2>/dev/null || true; receiver=
  "$root/tools/sandbox" down --dir "$sb" >/dev/null
}

# CPU seconds (user + system, children reaped included) of process $1 and everything under it.
tree_cpu() {
  python3 - "$1" <<'EOF'
import os, sys
root, hz = int(sys.argv[1]), os.sysconf("SC_CLK_TCK")
stats = {}
for pid in os.listdir("/proc"):
    if not pid.isdigit(): continue
    try:
        raw = open("/proc/%s/stat" % pid).read()
    except OSError:
        continue
    f = raw[raw.rindex(")") + 2:].split()
    stats[int(pid)] = (int(f[1]), sum(int(x) for x in f[11:15]))
def under(pid):
    while pid > 1:
        if pid == root: return True
        pid = stats[pid][0] if pid in stats else 0
    return False
print("%.2f" % (sum(cpu for pid, (ppid, cpu) in stats.items() if under(pid)) / hz))
EOF
}

cpu_cost() {
  echo "== node CPU of watching $((4 * cpu_nodes)) nodes every 5 s"
  local sb=$work/sb-cpu state=$work/state-cpu nodes=$((4 * cpu_nodes)) sshd t0 t1 s0 s1 w0 w1
  "$root/tools/sandbox" up --dir "$sb" --shards 4 --nodes "$cpu_nodes" --block-ms 1000 \
    --phase-timeout-ms 5000 --view-change-ms 5000 >/dev/null
  echo '{"interval_s": 5, "halt_after_s": 60, "for_s": 30}' > "$work/policy.json"
  "$shardctl" watch -i "$sb/inventory.json" -p "$playbook" --dry-run --policy "$work/policy.json" \
    --state-dir "$state" > "$work/watch-cpu.out" 2>&1 &
  watcher=$!
  sshd=$(cat "$sb/ssh/sshd.pid")
  sleep 12  # the first round opens every session; measure the steady state after it
  t0=$(now_ms); s0=$(tree_cpu "$sshd"); w0=$(tree_cpu "$watcher")
  sleep "$cpu_seconds"
  t1=$(now_ms); s1=$(tree_cpu "$sshd"); w1=$(tree_cpu "$watcher")
  kill "$watcher"; wait "$watcher" || true; watcher=
  python3 - "$nodes" "$t0" "$t1" "$s0" "$s1" "$w0" "$w1" <<'EOF'
import sys
n, t0, t1, s0, s1, w0, w1 = int(sys.argv[1]), *map(float, sys.argv[2:])
secs = (t1 - t0) / 1000
print("watching %d nodes at a 5 s interval for %.0f s:" % (n, secs))
print("  node side (sshd + probes), all nodes: %.2f CPU s = %.2f%% of one core" % (s1 - s0, 100 * (s1 - s0) / secs))
print("  per node: %.3f%% of one core" % (100 * (s1 - s0) / secs / n))
print("  the watcher itself: %.2f CPU s = %.2f%% of one core" % (w1 - w0, 100 * (w1 - w0) / secs))
EOF
  "$root/tools/sandbox" down --dir "$sb" >/dev/null
}

[ "$cpu" = 0 ] || cpu_cost
incident
