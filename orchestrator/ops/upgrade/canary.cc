#include "ops/upgrade/canary.h"

#include <algorithm>

namespace shardctl::upgrade {

Result<std::vector<const Node*>> PickCanaries(const Shard& shard, const WaveInput& probed,
                                              int count) {
  if (count <= 0) return std::vector<const Node*>{};
  WaveInput in = probed;
  in.exclude.insert(probed.not_in_sync.begin(), probed.not_in_sync.end());
  if (!probed.leader.empty()) in.exclude.insert(probed.leader);
  in.leader.clear();
  in.max_wave_size = in.max_wave_size > 0 ? std::min(in.max_wave_size, count) : count;
  auto waves = PlanWaves(shard, in);
  if (!waves.ok()) return waves.status().Annotate("canary: ");
  if (waves->empty() || waves->front().empty()) {
    return Status::Failed("shard " + std::to_string(shard.id) +
                          ": no node can be the canary (every selected node is the leader, out "
                          "of sync or already done)");
  }
  return waves->front();
}

}  // namespace shardctl::upgrade
