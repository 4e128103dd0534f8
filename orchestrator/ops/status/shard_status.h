// `shardctl status`: one look at every selected shard, two probes an interval apart, boiled
// down to one line per shard. Read-only: runs only the playbook's is_running and probe.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <set>
#include <string>
#include <vector>

#include "base/cancel.h"
#include "base/clock.h"
#include "consensus/node_status.h"
#include "consensus/shard_verdict.h"
#include "model/inventory.h"
#include "model/playbook.h"
#include "transport/transport.h"

namespace shardctl {

struct ShardStatus {
  int shard = 0;
  int64_t height = -1;             // top at the second sample
  int64_t blocks_in_interval = 0;  // top growth between the samples
  Duration interval{0};
  int nodes_up = 0;  // answering the probe
  int nodes_total = 0;
  int nodes_in_sync = 0;
  int normal_power = 0;  // Normal and within max_lag of the top
  int total_power = 0;
  int quorum_power = 0;
  std::set<int64_t> view_ids;
  ShardVerdict verdict = ShardVerdict::kDown;
  std::vector<NodeStatus> nodes;  // from the second sample
};

/// Samples every node of each shard, waits interval on clock, samples again. Shards and nodes
/// are probed in parallel (playbook parallelism).
std::vector<ShardStatus> CollectStatus(const Inventory& inv, const Playbook& pb,
                                       Transport& transport, Clock& clock,
                                       const CancelToken& cancel, const std::vector<int>& shards,
                                       Duration interval);

/// A table: one line per shard, then per node lines when verbose.
std::string RenderStatusText(const std::vector<ShardStatus>& st, bool verbose);
nlohmann::json StatusToJson(const std::vector<ShardStatus>& st);

}  // namespace shardctl
