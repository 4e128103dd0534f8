#include "ops/rolling/restart_action.h"

namespace shardctl {

Status RestartAction::Apply(NodeOps& ops, const Node& node, ResumeAction how, NodeNotes& notes) {
  if (how == ResumeAction::kRestart) {
    ExecResult stop = ops.Act(node, CommandId::kStop);
    if (!stop.ok()) return Status::Failed("stop failed: " + Explain(stop));
    SHARDCTL_RETURN_IF_ERROR(ops.WaitUntilDown(node));
  }
  std::string replaced_because;
  SHARDCTL_RETURN_IF_ERROR(ops.VerifyOrRestore(node, &replaced_because));
  if (!replaced_because.empty()) notes.ReplacedBinary(node.name, replaced_because);
  ExecResult start = ops.Act(node, CommandId::kStart);
  if (!start.ok()) return Status::Failed("start failed: " + Explain(start));
  return Status::Ok();
}

}  // namespace shardctl
