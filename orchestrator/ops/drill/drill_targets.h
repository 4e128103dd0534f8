// Which nodes each drill step acts on, decided before anything runs: a pure function of the
// drill, the playbook's quorum rule, the inventory, the leaders seen by one probe and a seed.
// Random choices use their own seeded generator (std::mt19937_64, Fisher-Yates), so the same
// seed gives the same nodes on every machine, and every choice is explained in a printable line.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "base/status.h"
#include "model/inventory.h"
#include "model/playbook.h"
#include "ops/drill/drill_spec.h"

namespace shardctl {

struct ResolvedStep {
  const FaultStep* step = nullptr;
  std::vector<const Node*> nodes;    // in the order chosen
  std::vector<std::string> choices;  // per shard: which nodes and why ("shard 0: ...")
};

struct DrillTargets {
  uint64_t seed = 0;
  std::vector<ResolvedStep> faults;     // parallel to DrillSpec::faults
  std::vector<ResolvedStep> rollbacks;  // parallel to DrillSpec::rollbacks
};

/// Resolves every step's targets. `leaders`: shard id -> the node that reported itself leader in
/// the probe before the drill (needed only by "leader" rules). Errors name the drill file, the
/// step's JSON pointer and the shard (a leader nobody reported, too few candidates, a power rule
/// no choice can meet).
Result<DrillTargets> ResolveTargets(const DrillSpec& spec, const Playbook& pb, const Inventory& inv,
                                    const std::map<int, std::string>& leaders, uint64_t seed);

/// The plan in words: one line per step ("t+20s restore-and-start on s0-n[1-3],... (undo:
/// none)"), then the recovery and the abort conditions. For --dry-run and the report.
std::vector<std::string> DescribeTimeline(const DrillSpec& spec, const Playbook& pb,
                                          const DrillTargets& targets);

}  // namespace shardctl
