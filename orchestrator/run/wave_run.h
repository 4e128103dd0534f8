// A wave-based run (rolling-restart, upgrade) through the run driver: every shard with a
// target through ShardWaves with the operation's node action, one failure budget for the run.
#pragma once

#include <string>

#include "run/context.h"
#include "run/node_action.h"
#include "run/shard_waves.h"
#include "run/wave_report.h"

namespace shardctl {

/// command: the operation's name for the journal and the report ("rolling-restart").
/// Validates first and touches nothing if that fails.
Result<WaveReport> RunWaves(RunContext& ctx, const std::string& command, NodeAction& action,
                            const WaveOptions& options);

}  // namespace shardctl
