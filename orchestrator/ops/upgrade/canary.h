// Canaries: the nodes of a shard that get a release first and must prove it (upgrade.canary).
#pragma once

#include <vector>

#include "base/status.h"
#include "consensus/waves.h"
#include "model/inventory.h"

namespace shardctl::upgrade {

/// Up to `count` canaries for shard, planned by the rolling wave planner from `probed` (what
/// MakeWaveInput says of the shard now): never the leader, never a node out of sync (it would
/// prove nothing), never one in probed.exclude, and only as many as the shard can have down
/// while keeping its quorum and margin. count <= 0: none. An error when no node qualifies.
Result<std::vector<const Node*>> PickCanaries(const Shard& shard, const WaveInput& probed,
                                              int count);

}  // namespace shardctl::upgrade
