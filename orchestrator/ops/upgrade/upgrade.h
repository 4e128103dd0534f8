// `shardctl upgrade` (and its resume): the release staged on every target, then the shared
// wave runner (run/shard_waves.h) with UpgradeAction: a soaked canary per shard, quorum-safe
// waves leader last, the per-node gate plus the version check, and a failing node's previous
// binary put back at once.
#pragma once

#include "ops/upgrade/artifact.h"
#include "ops/upgrade/upgrade_action.h"
#include "run/context.h"
#include "run/shard_waves.h"
#include "run/wave_report.h"

namespace shardctl::upgrade {

/// artifact: loaded and checked (PrecheckUpgrade). action.run.run_id is set to the journal's.
Result<WaveReport> RunUpgrade(RunContext& ctx, const Artifact& artifact,
                              UpgradeActionOptions action, const WaveOptions& options);

}  // namespace shardctl::upgrade
