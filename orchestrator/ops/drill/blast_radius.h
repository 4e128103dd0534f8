// The blast-radius check: before anything runs, every node a drill will touch (faults and
// rollback actions together) must lie in the blast radius's shards, and in each shard the touched
// nodes may hold at most max_power_share of its voting power. Each shard's line also says,
// under the playbook's quorum rule, whether the untouched rest still forms a quorum. Pure.
#pragma once

#include <string>
#include <vector>

#include "model/inventory.h"
#include "model/quorum.h"
#include "ops/drill/drill_spec.h"
#include "ops/drill/drill_targets.h"

namespace shardctl {

struct BlastShard {
  int shard = 0;
  std::vector<std::string> nodes;  // touched, inventory order
  int64_t power = 0;               // their voting power
  int64_t total = 0;               // the shard's
  bool inside = false;             // the shard is in the blast radius
  bool ok = false;                 // inside and power <= max share of total
  bool rest_has_quorum = false;    // total - power still forms a quorum (QuorumRule)
};

struct BlastCheck {
  double max_power_share = 0;
  std::string quorum;              // the rule judged against, described
  std::vector<BlastShard> shards;  // touched shards, inventory order
  std::vector<std::string> violations;

  bool ok() const { return violations.empty(); }
  /// One line per touched shard: "shard 1: s1-n[0-2] = 3 of 5 voting power (60%) <= 60%, the
  /// rest has no quorum (bft (> 2/3)): ok".
  std::vector<std::string> Lines() const;
};

BlastCheck CheckBlastRadius(const DrillSpec& spec, const DrillTargets& targets,
                            const Inventory& inv, const QuorumRule& quorum);

}  // namespace shardctl
