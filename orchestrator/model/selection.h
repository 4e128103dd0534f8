// Which nodes a command acts on: --shard N (repeatable) and --node GLOB (repeatable).
#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "model/inventory.h"

namespace shardctl {

struct Selection {
  std::vector<int> shards;         // empty: every shard
  std::vector<std::string> globs;  // empty: every node; fnmatch(3) patterns on node names

  bool empty() const { return shards.empty() && globs.empty(); }
  std::string ToString() const;
};

/// Nodes matching the selection, in inventory order. A shard id that does not exist, or a
/// glob that matches nothing, is an error (a typo must not silently select nothing).
Result<std::vector<const Node*>> SelectNodes(const Inventory& inv, const Selection& sel);
/// Shard ids touched by the selection, in inventory order.
Result<std::vector<int>> SelectShards(const Inventory& inv, const Selection& sel);

}  // namespace shardctl
