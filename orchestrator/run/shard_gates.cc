#include "run/shard_gates.h"

#include <algorithm>

#include "run/node_ops.h"
#include "run/wait.h"

namespace shardctl {

std::vector<ShardGate> GateShards(RunContext& ctx, const Playbook& gate_pb,
                                  const std::vector<int>& shards) {
  std::vector<ShardGate> out(shards.size());
  std::vector<GateTracker> gates;
  for (size_t i = 0; i < shards.size(); ++i) {
    out[i].shard = shards[i];
    gates.emplace_back(gate_pb, -1, ctx.clock.Now());
  }
  PollUntil(ctx, {.every = gate_pb.gate.poll_interval, .stop = StopRule::kEndEarly}, [&] {
    std::vector<int> pending;
    std::vector<size_t> slots;
    for (size_t i = 0; i < out.size(); ++i) {
      if (out[i].verdict != GateTracker::Verdict::kPending) continue;
      pending.push_back(out[i].shard);
      slots.push_back(i);
    }
    std::vector<std::vector<NodeStatus>> samples = ProbeShards(ctx, pending, false);
    for (size_t k = 0; k < slots.size(); ++k) {
      ShardGate& g = out[slots[k]];
      g.verdict = gates[slots[k]].Add(ctx.clock.Now(), samples[k]);
      g.reason = gates[slots[k]].reason();
      if (g.verdict != GateTracker::Verdict::kPending) g.decided_unix_ms = ctx.clock.UnixMillis();
    }
    return std::all_of(out.begin(), out.end(), [](const ShardGate& g) {
      return g.verdict != GateTracker::Verdict::kPending;
    });
  });
  return out;
}

}  // namespace shardctl
