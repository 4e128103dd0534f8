// Rolling-restart waves: which nodes of a shard may be down at the same time without the shard
// losing quorum.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "base/status.h"
#include "consensus/node_status.h"
#include "model/inventory.h"
#include "model/playbook.h"
#include "model/quorum.h"

namespace shardctl {

struct WaveInput {
  /// Nodes that are down or out of sync now: they hold no voting power that counts, and taking
  /// them down again costs nothing.
  std::set<std::string> not_in_sync;
  std::string leader;        // current leader's name ("" if unknown); it goes last, alone
  double quorum_margin = 0;  // extra share of total power that must stay up beyond the quorum
  int max_wave_size = 0;     // 0: no limit beyond quorum
  /// Nodes not to plan (already restarted, failed, not selected); their power still counts as
  /// up when they are in sync.
  std::set<std::string> exclude;
  QuorumRule quorum = QuorumRule::Bft();
};

/// Voting power that must stay up and in sync during a wave: a quorum, and more than the rule's
/// share plus margin of the total.
int RequiredUpPower(const Shard& shard, const QuorumRule& quorum, double quorum_margin);

/// Splits the shard's nodes into waves, in order: nodes already out of sync first, then the
/// rest greedily (inventory order) while the power left up stays >= RequiredUpPower, and the
/// leader alone in the last wave. Fails, naming the node and the numbers, when even one node
/// cannot go down without losing quorum.
Result<std::vector<std::vector<const Node*>>> PlanWaves(const Shard& shard, const WaveInput& in);

/// What PlanWaves needs, from one probe of every node of shard: who is not in sync, who leads,
/// the playbook's quorum rule and margins; nodes outside `remaining` are excluded (their power
/// still counts).
WaveInput MakeWaveInput(const Shard& shard, const std::vector<NodeStatus>& sample,
                        const Playbook& pb, const std::set<std::string>& remaining);

}  // namespace shardctl
