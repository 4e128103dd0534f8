// Several shards watched through their own gates at once (a drill's hypothesis, before and
// after its faults): one probe round of every undecided shard per poll interval, through the
// one wait loop, until each shard's gate decides or the run stops.
#pragma once

#include <string>
#include <vector>

#include "consensus/gate.h"
#include "run/context.h"

namespace shardctl {

struct ShardGate {
  int shard = 0;
  GateTracker::Verdict verdict = GateTracker::Verdict::kPending;  // kPending: the run stopped
  std::string reason;
  int64_t decided_unix_ms = -1;  // when the verdict came (-1: it did not)
};

/// Watches shards (probed shards.parallel at once) through gates judged by gate_pb's gate and
/// stuck policy (ctx.pb may differ: a drill's observe mode waits longer). Between polls it ends
/// early once the run is stopping (StopRule::kEndEarly). Results in input order.
std::vector<ShardGate> GateShards(RunContext& ctx, const Playbook& gate_pb,
                                  const std::vector<int>& shards);

}  // namespace shardctl
