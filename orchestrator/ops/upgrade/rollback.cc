#include "ops/upgrade/rollback.h"

#include "ops/upgrade/upgrade_action.h"
#include "run/wave_run.h"

namespace shardctl::upgrade {

Status RollbackAction::Apply(NodeOps& ops, const Node& node, ResumeAction how, NodeNotes&) {
  // kStartAgain (resume): the node is down; `rollback` is idempotent, so it is sent again. The
  // rollback command needs no release values: it checks the kept copy's own sha256.
  return SwapIn(ops, node, CommandId::kRollback, {}, how == ResumeAction::kRestart);
}

Result<WaveReport> RunRollback(RunContext& ctx, const WaveOptions& options) {
  RollbackAction rollback;
  return RunWaves(ctx, OperationKind::kRollback, rollback, options);
}

}  // namespace shardctl::upgrade
