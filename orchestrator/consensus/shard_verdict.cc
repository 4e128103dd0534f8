#include "consensus/shard_verdict.h"

#include "base/enum_names.h"

namespace shardctl {
namespace {

constexpr EnumNames<ShardVerdict, 5> kShardVerdicts{{
    {ShardVerdict::kHealthy, "healthy"},
    {ShardVerdict::kDegraded, "degraded"},
    {ShardVerdict::kHalted, "halted"},
    {ShardVerdict::kHaltedViewChange, "halted-view-change"},
    {ShardVerdict::kDown, "down"},
}};

}  // namespace

ShardVerdict JudgeShard(int64_t blocks, int normal_power, int quorum, int nodes_up,
                        bool view_trouble) {
  if (nodes_up == 0) return ShardVerdict::kDown;
  if (blocks > 0) return normal_power >= quorum ? ShardVerdict::kHealthy : ShardVerdict::kDegraded;
  return view_trouble ? ShardVerdict::kHaltedViewChange : ShardVerdict::kHalted;
}

const char* ShardVerdictName(ShardVerdict v) { return NameIn(kShardVerdicts, v); }
std::optional<ShardVerdict> ParseShardVerdict(std::string_view text) {
  return ValueIn(kShardVerdicts, text);
}

}  // namespace shardctl
