// `shardctl rolling-restart` (and its resume and retry): restarts the selected nodes shard by
// shard in quorum-safe waves, leader last, counting failures against one budget for the whole
// run. The waves, the per-node gate and resume are the shared wave runner's
// (run/shard_waves.h); this operation's node action is RestartAction.
#pragma once

#include "run/context.h"
#include "run/shard_waves.h"
#include "run/wave_report.h"

namespace shardctl {

/// Validates first (templates render for every node, shards exist) and touches nothing if
/// that fails. Stopping is looked at between waves only (see ShardWaves).
Result<WaveReport> RollingRestart(RunContext& ctx, const WaveOptions& options);

}  // namespace shardctl
