"""Watches a sandbox's shards from outside, for tools/bench/recover.sh.

  commit_watch.py NODES_TXT halted [--timeout S]
      waits until no shard's top height grows for 3 s; prints the tops, "top0 top1 ...".
  commit_watch.py NODES_TXT commits --shard S --above H --blocks N --since MS [--timeout S]
  commit_watch.py NODES_TXT commits --all --tops "T0 T1 ..." --blocks N --since MS [--timeout S]
      waits until each shard's top reaches its base + N; prints "SHARD MS" per shard as it does
      (MS: milliseconds since the unix time MS given). Exit 1 on timeout.

A shard's top is the highest hmyv2_blockNumber among up to 5 of its nodes (kept HTTP
connections, 100 ms apart), so watching a 200-node sandbox stays cheap.
"""
import argparse
import http.client
import json
import sys
import time

BODY = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "hmyv2_blockNumber", "params": []})


class Node:
    def __init__(self, port):
        self.port, self.conn = port, None

    def height(self):
        try:
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=0.3)
            self.conn.request("POST", "/", BODY, {"Content-Type": "application/json"})
            return int(json.loads(self.conn.getresponse().read())["result"])
        except Exception:
            if self.conn is not None:
                self.conn.close()
            self.conn = None
            return -1


def shards_of(nodes_txt):
    shards = {}
    for line in open(nodes_txt):
        name, shard, index, rpc_port = line.split()[:4]
        shards.setdefault(int(shard), []).append(Node(int(rpc_port)))
    return {s: nodes[:5] for s, nodes in sorted(shards.items())}


def tops(shards):
    return {s: max(n.height() for n in nodes) for s, nodes in shards.items()}


def halted(shards, timeout):
    deadline = time.time() + timeout
    before = tops(shards)
    while time.time() < deadline:
        time.sleep(3)
        after = tops(shards)
        if after == before:
            print(" ".join(str(after[s]) for s in sorted(after)))
            return 0
        before = after
    print("commit_watch: the shards never halted", file=sys.stderr)
    return 1


def commits(shards, bases, blocks, since_ms, timeout):
    deadline = time.time() + timeout
    pending = dict(bases)
    while pending and time.time() < deadline:
        for s in list(pending):
            if max(n.height() for n in shards[s]) >= pending[s] + blocks:
                print(s, int(time.time() * 1000) - since_ms, flush=True)
                del pending[s]
        time.sleep(0.1)
    return 1 if pending else 0


def main():
    p = argparse.ArgumentParser()
    p.add_argument("nodes_txt")
    p.add_argument("mode", choices=["halted", "commits"])
    p.add_argument("--timeout", type=float, default=120)
    p.add_argument("--shard", type=int)
    p.add_argument("--above", type=int)
    p.add_argument("--all", action="store_true")
    p.add_argument("--tops")
    p.add_argument("--blocks", type=int, default=5)
    p.add_argument("--since", type=int, default=0)
    a = p.parse_args()
    shards = shards_of(a.nodes_txt)
    if a.mode == "halted":
        return halted(shards, a.timeout)
    if a.all:
        bases = dict(zip(sorted(shards), (int(t) for t in a.tops.split())))
    else:
        bases = {a.shard: a.above}
        shards = {a.shard: shards[a.shard]}
    return commits(shards, bases, a.blocks, a.since, a.timeout)


if __name__ == "__main__":
    sys.exit(main())
