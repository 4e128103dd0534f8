// What `status` says of a shard from two samples an interval apart: a verdict with one string
// table (the text and JSON output's "verdict").
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace shardctl {

enum class ShardVerdict {
  kHealthy,           // new blocks, a quorum of power Normal and in sync
  kDegraded,          // new blocks, but less than a quorum Normal and in sync
  kHalted,            // no new block
  kHaltedViewChange,  // no new block, nodes in view change or on different views
  kDown,              // no node answers
};

/// The verdict from the blocks committed between the samples, the power Normal and in sync,
/// the quorum, the nodes answering and whether the views are in trouble.
ShardVerdict JudgeShard(int64_t blocks, int normal_power, int quorum, int nodes_up,
                        bool view_trouble);

const char* ShardVerdictName(ShardVerdict v);
std::optional<ShardVerdict> ParseShardVerdict(std::string_view text);

}  // namespace shardctl
