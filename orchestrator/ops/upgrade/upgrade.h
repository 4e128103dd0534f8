// `shardctl upgrade` (and its resume): the release staged on every target, then the shared
// wave runner (run/wave_run.h) with UpgradeAction: a soaked canary per shard, quorum-safe waves
// leader last, the per-node gate plus the version check, and a failing node's previous binary
// put back at once. `upgrade --stage-only` runs the staging alone: nothing is restarted.
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

/// Stages artifact on every target of options (and verifies it there) through the driver,
/// touching no running node: one run phase, the staging step. The report's verb is "staged":
/// per shard, the nodes staged (or found staged already) and those that failed.
Result<WaveReport> RunStageOnly(RunContext& ctx, const Artifact& artifact, UpgradeRunVars run,
                                const WaveOptions& options);

}  // namespace shardctl::upgrade
