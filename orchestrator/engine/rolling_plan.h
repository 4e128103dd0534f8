// `rolling-restart --dry-run`: the waves each shard would go through if it started now, from
// one read-only probe of every node. The real run re-plans before every wave.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "base/cancel.h"
#include "base/clock.h"
#include "engine/gate.h"
#include "engine/rolling_engine.h"
#include "engine/waves.h"

namespace shardctl {

struct ShardWavePlan {
  int shard = 0;
  std::string leader;                           // "" when no node says it leads
  std::vector<std::string> not_in_sync;         // as probed: they go first and cost nothing
  std::vector<std::vector<std::string>> waves;  // empty when `error` is set
  std::string error;                            // why this shard cannot be rolled now
};

/// Answering, in the playbook's normal mode, and within gate.max_lag of the shard's top.
bool InSyncNormal(const NodeStatus& n, const SampleSummary& s, const Playbook& pb);

/// What PlanWaves needs, from one probe of every node of shard: who is not in sync, who leads,
/// the playbook's margins; nodes outside `remaining` are excluded (their power still counts).
WaveInput MakeWaveInput(const Shard& shard, const std::vector<NodeStatus>& sample,
                        const Playbook& pb, const std::set<std::string>& remaining);

/// Probes (read-only, nothing journaled) and plans every shard with a target.
Result<std::vector<ShardWavePlan>> PlanRolling(const Inventory& inv, const Playbook& pb,
                                               Transport& transport, Clock& clock,
                                               const CancelToken& cancel,
                                               const RollingOptions& options);

std::string RenderWavePlanText(const std::vector<ShardWavePlan>& plan);
nlohmann::json WavePlanToJson(const std::vector<ShardWavePlan>& plan);

}  // namespace shardctl
