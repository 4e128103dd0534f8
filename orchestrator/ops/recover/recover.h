// `shardctl recover`: every selected shard through ShardRecovery (whole-shard restarts until
// the gate says healthy), in the playbook's order, as many at once as it allows.
#pragma once

#include <map>
#include <vector>

#include "ops/recover/recover_report.h"
#include "ops/recover/recover_resume.h"
#include "run/context.h"

namespace shardctl {

struct RecoverOptions {
  std::vector<int> shards;  // empty: every shard of the inventory
  bool force = false;       // restart shards that look healthy too
  /// Shards an interrupted run left mid-recovery: finished from where they stood (a shard whose
  /// starts went out gets only its stopped nodes started, never a second restart of the rest).
  std::map<int, RecoverResume> resume{};
};

/// Validates first (every template renders for every node, every shard exists) and touches
/// nothing if that fails. Then recovers through the run driver; the report says what happened
/// to each shard.
Result<RecoveryReport> Recover(RunContext& ctx, const RecoverOptions& options);

}  // namespace shardctl
