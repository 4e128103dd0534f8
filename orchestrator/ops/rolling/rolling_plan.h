// `rolling-restart --dry-run`: the waves each shard would go through if it started now, from
// one read-only probe of every node. The real run re-plans before every wave.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "base/clock.h"
#include "run/shard_waves.h"
#include "transport/transport.h"

namespace shardctl {

struct ShardWavePlan {
  int shard = 0;
  std::string leader;                           // "" when no node says it leads
  std::vector<std::string> not_in_sync;         // as probed: they go first and cost nothing
  std::vector<std::vector<std::string>> waves;  // empty when `error` is set
  std::string error;                            // why this shard cannot be rolled now
};

/// Probes (read-only, nothing journaled) and plans every shard with a target.
Result<std::vector<ShardWavePlan>> PlanRolling(const Inventory& inv, const Playbook& pb,
                                               Transport& transport, Clock& clock,
                                               const WaveOptions& options);

std::string RenderWavePlanText(const std::vector<ShardWavePlan>& plan);
nlohmann::json WavePlanToJson(const std::vector<ShardWavePlan>& plan);

}  // namespace shardctl
