#include "ops/upgrade/rollback.h"

#include "ops/upgrade/upgrade_action.h"
#include "run/wave_run.h"

namespace shardctl::upgrade {

Status RollbackAction::Apply(NodeOps& ops, const Node& node, ResumeAction how, NodeNotes&) {
  // kStartAgain (resume): the node is down; `rollback` is idempotent, so it is sent again.
  if (how == ResumeAction::kRestart) SHARDCTL_RETURN_IF_ERROR(StopAndConfirmDown(ops, node));
  // The rollback command needs no release values: it checks the kept copy's own sha256.
  SHARDCTL_RETURN_IF_ERROR(SendUpgradeCommand(pb_, ops, node, CommandId::kRollback, {}));
  ExecResult start = ops.Act(node, CommandId::kStart);
  if (!start.ok()) return Status::Failed("start failed on the previous binary: " + Explain(start));
  return Status::Ok();
}

Result<WaveReport> RunRollback(RunContext& ctx, const WaveOptions& options) {
  RollbackAction rollback(ctx.pb);
  return RunWaves(ctx, "rollback", rollback, options);
}

}  // namespace shardctl::upgrade
